// The artifact started exactly as the rendered systemd unit starts it (command, environment
// file, Environment= lines, credentials), behind nginx running the rendered site, with the
// requests CloudFront would send. Only what must differ on a developer machine is replaced:
// paths, ports, the database (a throwaway one on the local PostgreSQL, no TLS).
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildService } from "../../../scripts/lib/build-service.ts";
import {
  createThrowawayDatabase,
  dropRole,
  requirePostgres,
  type ThrowawayDatabase,
} from "../../../service/test/support/postgres.ts";
import { freePort } from "../../../service/test/support/server-process.ts";
import {
  CREDENTIALS,
  PATHS,
  renderEnvFile,
  renderMigrateEnvFile,
  renderMigrateUnit,
  renderServiceUnit,
} from "../../instance/index.ts";
import { SERVICE_NODE_FLAGS } from "../../instance/node-runtime.ts";
import { type RunningNginx, startNginx, writeNginxConf, writeSite } from "./support/nginx.ts";
import { sampleInput } from "./support/sample-input.ts";
import {
  cookiePair,
  http,
  parseEnvFile,
  runMigrateUnit,
  SYSTEMD_PATH,
  serviceDirectives,
  setCookie,
  unitEnvironment,
} from "./support/service-unit.ts";
import { requireTool } from "./support/tools.ts";

const ready = (await requirePostgres()) && requireTool("nginx", "nginx");

let input = sampleInput({ ownerEmail: "owner@example.com" });
const appPassword = "app-role-password-for-tests-0123";
const ownerPassword = "correct horse battery staple";
const originSecret = "b3JpZ2luLXNlY3JldC1mb3ItdGVzdHM";
const cloudFrontHost = "d111111abcdef8.cloudfront.net";
/** Headers CloudFront sends to the origin for a viewer at `viewerIp`. */
const fromCloudFront = (viewerIp: string): Record<string, string> => ({
  Host: cloudFrontHost,
  "CloudFront-Forwarded-Proto": "https",
  "X-Forwarded-For": viewerIp,
  "X-Origin-Verify": originSecret,
});

describe.runIf(ready)("the artifact as the unit starts it, behind the rendered nginx site", () => {
  const workDir = mkdtempSync(join(tmpdir(), "et-instance-test-"));
  let database: ThrowawayDatabase;
  let service: ChildProcess;
  let nginx: RunningNginx;
  let nginxPort: number;
  let output = "";
  let migrateOutput = "";

  beforeAll(async () => {
    const appDir = join(workDir, "opt-expense-tracker");
    const artifact = await buildService({ outFile: join(appDir, "expense-tracker.mjs") });
    database = await createThrowawayDatabase();
    // Roles are the server's, not the database's: one of its own for this run.
    input = { ...input, database: { ...input.database, appUser: `${database.name}_app` } };
    const servicePort = await freePort();
    nginxPort = await freePort();

    // LoadCredential= copies the files the secrets unit fetched into a private directory (%d).
    const credentialsDir = join(workDir, "credentials");
    mkdirSync(credentialsDir, { mode: 0o700 });
    writeFileSync(join(credentialsDir, CREDENTIALS.sessionSecret), "s".repeat(48), { mode: 0o400 });
    writeFileSync(join(credentialsDir, CREDENTIALS.ownerPassword), ownerPassword, { mode: 0o400 });
    writeFileSync(join(credentialsDir, CREDENTIALS.dbPassword), appPassword, { mode: 0o400 });

    // First the migration unit, exactly as rendered but for paths and the local database.
    const migrated = runMigrateUnit({
      unit: renderMigrateUnit(input),
      envFile: renderMigrateEnvFile(input),
      nodeAndArtifact: [
        [PATHS.node, process.execPath],
        [PATHS.artifact, artifact.file],
      ],
      secretsDir: [PATHS.secretsDir, credentialsDir],
      ownerUrl: database.url,
      cwd: appDir,
    });
    migrateOutput = migrated.output;
    expect(migrated.argv.slice(0, 3)).toEqual([PATHS.node, PATHS.artifact, "migrate"]);
    expect(migrated.env.DATABASE_URL).toMatch(/^postgres:\/\/expense_admin@/);
    expect(migrated.env.DATABASE_PASSWORD_COMMAND).toMatch(/^\/usr\/local\/bin\/et-fetch secret /);
    expect(migrated.status, migrateOutput).toBe(0);

    const unit = renderServiceUnit();
    const directives = new Map(serviceDirectives(unit));
    expect(directives.get("EnvironmentFile")).toBe(PATHS.envFile);
    expect(directives.get("WorkingDirectory")).toBe(PATHS.appDir);
    // node, its flags, the artifact: run below with the same flags.
    const [node, ...args] = (directives.get("ExecStart") ?? "").split(" ");
    const flags = args.slice(0, -1);
    expect([node, args.at(-1), flags]).toEqual([
      PATHS.node,
      PATHS.artifact,
      [...SERVICE_NODE_FLAGS],
    ]);

    const fromFile = parseEnvFile(renderEnvFile(input));
    const env: Record<string, string> = {
      // What systemd gives every service.
      PATH: SYSTEMD_PATH,
      CREDENTIALS_DIRECTORY: credentialsDir,
      ...fromFile,
      ...unitEnvironment(unit, credentialsDir),
      // Replaced for this machine: the port, and a local database without TLS.
      PORT: String(servicePort),
      DATABASE_URL: appUrl(),
    };
    expect(fromFile.DATABASE_URL).toMatch(/^postgres:\/\/[^:@/]+@[^/]+\/[^?]+$/);
    expect(fromFile.DATABASE_URL).toContain(`//${input.database.appUser}@`);
    expect(env.DATABASE_PASSWORD_FILE).toBe(join(credentialsDir, CREDENTIALS.dbPassword));
    expect(env.DATABASE_PASSWORD_COMMAND).toBeUndefined();
    expect(env.MIGRATIONS).toBe("external");
    delete env.DATABASE_CA_FILE;
    expect(env.HOST).toBe("127.0.0.1");
    expect(env.TRUST_PROXY).toBe("2");

    service = spawn(process.execPath, [...flags, artifact.file], {
      cwd: appDir,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    for (const stream of [service.stdout, service.stderr]) {
      stream?.on("data", (c: Buffer) => {
        output += c.toString();
      });
    }

    const nginxDir = join(workDir, "nginx");
    const siteFile = writeSite(nginxDir, {
      listen: [`127.0.0.1:${nginxPort}`],
      upstreamPort: servicePort,
      originSecret,
    });
    nginx = await startNginx(nginxDir, writeNginxConf(nginxDir, siteFile), nginxPort);
  });

  /** The throwaway database as the app role (the rendered URL's user, this machine's server). */
  const appUrl = () => {
    const url = new URL(database.url);
    url.username = input.database.appUser;
    return url.toString();
  };

  afterAll(async () => {
    await nginx?.stop();
    if (service && service.exitCode === null) {
      service.kill("SIGTERM");
      await Promise.race([once(service, "exit"), new Promise((r) => setTimeout(r, 10_000))]);
      service.kill("SIGKILL");
    }
    await database?.drop();
    if (database) await dropRole(input.database.appUser);
    rmSync(workDir, { recursive: true, force: true });
  });

  it("answers /readyz with 200 through nginx once migrations are applied", async () => {
    const deadline = Date.now() + 20_000;
    let last = "";
    while (Date.now() < deadline) {
      if (service.exitCode !== null) throw new Error(`the service exited:\n${output}`);
      const res = await http(nginxPort, "GET", "/readyz", fromCloudFront("203.0.113.1"));
      if (res.status === 200) {
        expect(JSON.parse(res.body)).toEqual({ status: "ready" });
        return;
      }
      last = `${res.status} ${res.body}`;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`not ready within 20 s (last: ${last})\n${output}`);
  });

  it("migrates in the migration unit; the service only checks, connected as the app role", async () => {
    expect(migrateOutput).toContain('"msg":"app role created"');
    expect(output).toContain('"migrations":"external"');
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    const sessions = await admin
      .query(
        "select distinct usename from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()",
      )
      .finally(() => admin.end());
    expect(sessions.rows).toEqual([{ usename: input.database.appUser }]);
  });

  it("refuses with 403 a request without the origin secret, or with another one", async () => {
    const { "X-Origin-Verify": _, ...without } = fromCloudFront("203.0.113.1");
    expect((await http(nginxPort, "GET", "/readyz", without)).status).toBe(403);
    const wrong = { ...without, "X-Origin-Verify": `${originSecret}x` };
    expect((await http(nginxPort, "GET", "/readyz", wrong)).status).toBe(403);
    const direct = await http(nginxPort, "GET", "/signin", { Host: "203.0.113.50" });
    expect(direct.status).toBe(403);
    expect(direct.headers.server).toBe("nginx");
  });

  it("signs the owner in and adds an expense with CloudFront's headers: Secure cookies, Origin accepted", async () => {
    const headers = fromCloudFront("198.51.100.23");
    const origin = `https://${cloudFrontHost}`;
    const form = await http(nginxPort, "GET", "/signin", headers);
    expect(form.status).toBe(200);
    const csrfCookie = setCookie(form, "et_csrf");
    // Secure only when the service saw https: the scheme made it through nginx.
    expect(csrfCookie).toMatch(/;\s*Secure/i);
    const token = form.body.match(/name="_csrf" value="([^"]+)"/)?.[1] ?? "";

    const signIn = await http(
      nginxPort,
      "POST",
      "/signin",
      {
        ...headers,
        Origin: origin,
        "Content-Type": "application/x-www-form-urlencoded",
        Cookie: cookiePair(csrfCookie),
      },
      new URLSearchParams({
        email: input.ownerEmail,
        password: ownerPassword,
        _csrf: token,
        next: "/",
      }).toString(),
    );
    expect(signIn.status, signIn.body).toBe(303);
    const session = setCookie(signIn, "et_session");
    expect(session).toMatch(/;\s*Secure/i);
    expect(session).toMatch(/;\s*HttpOnly/i);
    const cookies = `${cookiePair(csrfCookie)}; ${cookiePair(session)}`;

    const newForm = await http(nginxPort, "GET", "/transactions/new", {
      ...headers,
      Cookie: cookies,
    });
    expect(newForm.status).toBe(200);
    const categoryId = newForm.body.match(/name="categoryId"[\s\S]*?<option value="(\d+)"/)?.[1];
    const token2 = newForm.body.match(/name="_csrf" value="([^"]+)"/)?.[1] ?? "";
    expect(categoryId).toBeDefined();
    const expense = new URLSearchParams({
      _csrf: token2,
      kind: "expense",
      title: "Groceries via CloudFront",
      amount: "12.50",
      categoryId: categoryId ?? "",
      occurredOn: "",
      notes: "",
      paymentMethod: "",
    }).toString();
    const post = (originHeader: string) =>
      http(
        nginxPort,
        "POST",
        "/transactions",
        {
          ...headers,
          Origin: originHeader,
          Cookie: cookies,
          "Content-Type": "application/x-www-form-urlencoded",
        },
        expense,
      );
    // The host reached the service: an Origin naming another scheme is a cross-site post.
    expect((await post(`http://${cloudFrontHost}`)).status).toBe(403);
    const added = await post(origin);
    expect(added.status, added.body).toBe(303);
    const list = await http(nginxPort, "GET", "/", { ...headers, Cookie: cookies });
    expect(list.body).toContain("Groceries via CloudFront");
    expect(list.body).toContain("12.50");
  });

  it("gives the service the viewer's address, two proxies back", async () => {
    const headers = fromCloudFront("192.0.2.77");
    const form = await http(nginxPort, "GET", "/signin", headers);
    const csrfCookie = setCookie(form, "et_csrf");
    const token = form.body.match(/name="_csrf" value="([^"]+)"/)?.[1] ?? "";
    const failed = await http(
      nginxPort,
      "POST",
      "/signin",
      {
        ...headers,
        Origin: `https://${cloudFrontHost}`,
        "Content-Type": "application/x-www-form-urlencoded",
        Cookie: cookiePair(csrfCookie),
      },
      new URLSearchParams({
        email: "nobody@example.com",
        password: "wrong password",
        _csrf: token,
      }).toString(),
    );
    expect(failed.status).toBe(401);
    const deadline = Date.now() + 2_000;
    while (!output.includes('"sign-in failed"') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const line = output.split("\n").find((l) => l.includes('"sign-in failed"')) ?? "";
    expect(JSON.parse(line)).toMatchObject({ ip: "192.0.2.77" });
  });

  it("answers a body over 1 MB with nginx's 413 page, before the service sees it", async () => {
    const res = await http(
      nginxPort,
      "POST",
      "/transactions",
      { ...fromCloudFront("203.0.113.1"), "Content-Type": "application/x-www-form-urlencoded" },
      Buffer.alloc(1024 * 1024 + 1, "a"),
    );
    expect(res.status).toBe(413);
    expect(res.body).toContain("larger than 1 MB");
  });

  it("takes a 2 MB CSV upload through nginx's /imports/upload location and previews it; 21 MB gets nginx's 413", async () => {
    const headers = { ...fromCloudFront("198.51.100.24"), Origin: `https://${cloudFrontHost}` };
    const form = await http(nginxPort, "GET", "/signin", headers);
    const csrfCookie = cookiePair(setCookie(form, "et_csrf"));
    const signIn = await http(
      nginxPort,
      "POST",
      "/signin",
      { ...headers, "Content-Type": "application/x-www-form-urlencoded", Cookie: csrfCookie },
      new URLSearchParams({
        email: input.ownerEmail,
        password: ownerPassword,
        _csrf: form.body.match(/name="_csrf" value="([^"]+)"/)?.[1] ?? "",
      }).toString(),
    );
    expect(signIn.status, signIn.body).toBe(303);
    const cookies = `${csrfCookie}; ${cookiePair(setCookie(signIn, "et_session"))}`;
    const page = await http(nginxPort, "GET", "/imports/new", { ...headers, Cookie: cookies });
    const token = page.body.match(/name="_csrf" value="([^"]+)"/)?.[1] ?? "";
    const boundary = "----ExpenseTrackerUploadBoundary5d1e";
    const upload = (csv: string) =>
      http(
        nginxPort,
        "POST",
        "/imports/upload",
        {
          ...headers,
          Cookie: cookies,
          "Content-Type": `multipart/form-data; boundary=${boundary}`,
        },
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token}\r\n` +
            `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\n` +
            `Content-Type: text/csv\r\n\r\n${csv}\r\n--${boundary}--\r\n`,
        ),
        // Reading a few MB of CSV takes seconds on a loaded machine.
        30_000,
      );
    const line = "01.03.2026;Coffee at the corner cafe;-3,50\n";
    const rows = Math.ceil((2 * 1024 * 1024) / line.length);
    const taken = await upload(`Datum;Titel;Betrag\n${line.repeat(rows)}`);
    expect(taken.status, taken.body).toBe(303);
    const preview = await http(
      nginxPort,
      "GET",
      String(taken.headers.location),
      { ...headers, Cookie: cookies },
      undefined,
      30_000,
    );
    expect(preview.body).toContain(`${rows} rows: ${rows} to import, 0 bad.`);
    const refused = await upload(line.repeat(Math.ceil((21 * 1024 * 1024) / line.length)));
    expect(refused.status).toBe(413);
    expect(refused.body).toContain("larger than 20 MB");
  }, 90_000);

  it("compresses pages and logs one JSON line per request, with the service's request id", async () => {
    const res = await http(nginxPort, "GET", "/signin", {
      ...fromCloudFront("203.0.113.1"),
      "Accept-Encoding": "gzip",
    });
    expect(res.headers["content-encoding"]).toBe("gzip");
    const log = readFileSync(join(workDir, "nginx", "access.log"), "utf8")
      .trim()
      .split("\n");
    const entries = log.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(entries.some((e) => e.status === 403)).toBe(true);
    const ok = entries.find((e) => e.status === 200 && e.uri === "/signin");
    // The health checkers' successful /readyz requests are left out (see nginx.ts).
    expect(entries.some((e) => e.status === 200 && e.uri === "/readyz")).toBe(false);
    expect(ok).toMatchObject({ source: "nginx", host: cloudFrontHost, method: "GET" });
    // The 5xx metric filter selects nginx's lines by this field and compares status as a number.
    expect(entries.every((e) => e.source === "nginx" && typeof e.status === "number")).toBe(true);
    expect(ok?.request_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(dirname(PATHS.accessLog)).toBe("/var/log/nginx");
  });
});
