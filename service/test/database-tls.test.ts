import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app.tsx";
import { loadConfig } from "../src/config.ts";
import { ensureAppRole } from "../src/db/app-role.ts";
import { type Database, type DatabaseOptions, type Db, openDatabase } from "../src/db/client.ts";
import { migrate } from "../src/db/migrate.ts";
import { silentLogger } from "../src/lib/logger.ts";
import { prepareDatabase } from "../src/startup.ts";
import { fakeSecrets } from "./support/fake-secret.ts";
import { requireTlsCluster, startTlsCluster, type TlsCluster } from "./support/pg-cluster.ts";

// Skips with a message without PostgreSQL server binaries or openssl; fails under CI=true.
const clusterReady = requireTlsCluster();

const newPassword = () => randomBytes(12).toString("hex");

describe.skipIf(!clusterReady)("PostgreSQL over TLS verified with the RDS-style CA file", () => {
  let cluster: TlsCluster;
  let secretsDir: string;
  let secret: ReturnType<typeof fakeSecrets>;
  const opened: Database[] = [];
  const appPassword = newPassword();

  beforeAll(async () => {
    cluster = await startTlsCluster({ role: "app", password: appPassword, database: "db" });
    secretsDir = mkdtempSync(join(tmpdir(), "et-secrets-"));
    secret = fakeSecrets(secretsDir);
  });

  afterAll(async () => {
    await Promise.all(opened.map((d) => d.close().catch(() => {})));
    await cluster?.stop();
    if (secretsDir) rmSync(secretsDir, { recursive: true, force: true });
  });

  const url = (user: string, host = "localhost", database = "db") =>
    `postgres://${user}@${host}:${cluster.port}/${database}`;

  async function open(options: DatabaseOptions): Promise<Database> {
    const database = await openDatabase(options);
    opened.push(database);
    return database;
  }

  async function createRole(name: string, password: string): Promise<void> {
    await cluster.admin(`create role ${name} login password ${cluster.literal(password)}`);
  }

  async function rows<T>(db: Db, text: string): Promise<T[]> {
    return ((await db.execute(sql.raw(text))) as unknown as { rows: T[] }).rows;
  }

  const backendPid = async (db: Db) =>
    (await rows<{ pid: number }>(db, "select pg_backend_pid() as pid"))[0]?.pid;

  it("connects with the password the command prints, migrates, and the session is encrypted", async () => {
    const s = secret("app", appPassword);
    const { db } = await open({
      url: url("app"),
      caFile: cluster.caFile,
      passwordCommand: s.command,
    });
    expect((await migrate(db)).length).toBeGreaterThan(0);
    const [session] = await rows<{ ssl: boolean; version: string }>(
      db,
      "select ssl, version from pg_stat_ssl where pid = pg_backend_pid()",
    );
    expect(session).toMatchObject({ ssl: true, version: expect.stringMatching(/^TLSv1\.[23]$/) });
    expect(await rows(db, "select count(*)::int as n from schema_migrations")).toEqual([
      { n: expect.any(Number) },
    ]);
    expect(s.runs()).toBe(1);
  });

  it("accepts 127.0.0.1, which the certificate names as an IP address", async () => {
    const s = secret("app-ip", appPassword);
    const { db } = await open({
      url: url("app", "127.0.0.1"),
      caFile: cluster.caFile,
      passwordCommand: s.command,
    });
    expect(await backendPid(db)).toEqual(expect.any(Number));
  });

  it("refuses a server whose certificate another CA signed, before any password is sent", async () => {
    const s = secret("app-other-ca", appPassword);
    const { db } = await open({
      url: url("app"),
      caFile: cluster.otherCaFile,
      passwordCommand: s.command,
    });
    const err = await failure(db);
    expect(err.code).toMatch(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT/);
    // No plaintext fallback: that would have reached authentication and run the command.
    expect(s.runs()).toBe(0);
  });

  it("the throwaway server itself admits no plaintext session", async () => {
    const plain = new pg.Client({
      host: "127.0.0.1",
      port: cluster.port,
      user: "app",
      password: appPassword,
      database: "db",
      ssl: false,
      connectionTimeoutMillis: 5_000,
    });
    const err = await plain.connect().then(
      () => new Error("connected in plaintext"),
      (e: Error & { code?: string }) => e,
    );
    await plain.end().catch(() => {});
    expect(err).toMatchObject({ code: "28000", message: expect.stringMatching(/no encryption/) });
  });

  it("refuses a host name the certificate does not name, even from the trusted CA", async (ctx) => {
    if (!cluster.aliasHost) return ctx.skip("no second loopback address on this system");
    const s = secret("app-alias", appPassword);
    const { db } = await open({
      url: url("app", cluster.aliasHost),
      caFile: cluster.caFile,
      passwordCommand: s.command,
    });
    const err = await failure(db);
    expect(err.code).toBe("ERR_TLS_CERT_ALTNAME_INVALID");
    expect(s.runs()).toBe(0);
  });

  it("refuses a URL whose sslmode would override the CA file (sslmode=disable turns TLS off in pg)", async () => {
    await expect(
      openDatabase({ url: `${url("app")}?sslmode=disable`, caFile: cluster.caFile }),
    ).rejects.toThrow(/sslmode.*remove it/);
  });

  it("after the password rotates, open connections keep working and new ones re-run the command once", async () => {
    const first = newPassword();
    await createRole("rotating", first);
    const s = secret("rotating", first);
    const { db } = await open({
      url: url("rotating"),
      caFile: cluster.caFile,
      passwordCommand: s.command,
      maxConnections: 4,
    });
    const pooledPid = await backendPid(db);
    expect(s.runs()).toBe(1);

    // What RDS does: change the password in PostgreSQL, then publish it in the secret.
    const second = newPassword();
    await cluster.admin(`alter role rotating password ${cluster.literal(second)}`);
    s.rotate(second);
    expect(await backendPid(db)).toBe(pooledPid);
    expect(s.runs()).toBe(1);

    // Four at once: the pooled connection plus three new ones, which meet the old password first.
    const pids = await Promise.all(
      Array.from({ length: 4 }, async () => {
        const [r] = await rows<{ pid: number }>(
          db,
          "select pg_backend_pid() as pid, pg_sleep(0.3)",
        );
        return r?.pid;
      }),
    );
    expect(new Set(pids).size).toBe(4);
    expect(pids).toContain(pooledPid);
    expect(s.runs()).toBe(2);
    await Promise.all(Array.from({ length: 4 }, () => backendPid(db)));
    expect(s.runs()).toBe(2);
  });

  it("a password wrong in the secret too fails quickly with PostgreSQL's message, after one re-read", async () => {
    await createRole("stranger", newPassword());
    const wrong = newPassword();
    const s = secret("stranger", wrong);
    const { db } = await open({
      url: url("stranger"),
      caFile: cluster.caFile,
      passwordCommand: s.command,
    });
    const started = Date.now();
    const err = await failure(db);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(err.code).toBe("28P01");
    expect(err.message).toMatch(/password authentication failed for user "stranger"/);
    expect(err.message).not.toContain(wrong);
    expect(s.runs()).toBe(2);
  });

  it("a failing password command is named in the error and runs again for the next connection", async () => {
    const password = newPassword();
    await createRole("late", password);
    const s = secret("late");
    const { db } = await open({
      url: url("late"),
      caFile: cluster.caFile,
      passwordCommand: s.command,
    });
    const err = await failure(db);
    expect(err.message).toMatch(/password command \(.+\) exited with status 3: no secret at /);
    expect(s.runs()).toBe(1);
    s.rotate(password);
    expect(await backendPid(db)).toEqual(expect.any(Number));
    expect(s.runs()).toBe(2);
  });

  it("through the app, /readyz answers 200 over verified TLS and still after a rotation", async () => {
    const first = newPassword();
    await createRole("web", first);
    await cluster.admin("create database web owner web");
    const s = secret("web", first);
    const ownerPasswordFile = join(secretsDir, "owner-password");
    writeFileSync(ownerPasswordFile, "owner password\n");
    const config = loadConfig({
      DATABASE_URL: url("web", "localhost", "web"),
      DATABASE_CA_FILE: cluster.caFile,
      DATABASE_PASSWORD_COMMAND: s.command.join(" "),
      SESSION_SECRET: "test-session-secret-0123456789abcdef",
      OWNER_EMAIL: "owner@example.test",
      OWNER_PASSWORD_FILE: ownerPasswordFile,
    });
    const database = await prepareDatabase(config, silentLogger);
    opened.push(database);
    const app = createApp({
      db: database.db,
      logger: silentLogger,
      sessionSecret: config.sessionSecret,
      trustProxy: 0,
      localMode: false,
    });
    expect((await app.request("/readyz")).status).toBe(200);
    expect(s.runs()).toBe(1);

    const second = newPassword();
    await cluster.admin(`alter role web password ${cluster.literal(second)}`);
    s.rotate(second);
    // Drop the pooled connections, as an idle timeout would, so the next request must log in anew.
    await cluster.admin(
      "select pg_terminate_backend(pid) from pg_stat_activity where usename = 'web'",
    );
    const pool = (database.db as unknown as { $client: pg.Pool }).$client;
    await until(() => pool.totalCount === 0, "the pool to drop its terminated connections");

    const res = await app.request("/readyz");
    expect(await res.json()).toEqual({ status: "ready" });
    expect(res.status).toBe(200);
    expect(s.runs()).toBe(2);
  });

  it("the app role, made by an owner that is no superuser (as RDS's master user), signs in by SCRAM with the password in its file, and only with it", async () => {
    const ownerPassword = newPassword();
    await createRole("owner2", ownerPassword);
    await cluster.admin("alter role owner2 createrole");
    await cluster.admin("create database db2 owner owner2");
    const owner = await open({
      url: `${url("owner2", "localhost", "db2")}`,
      caFile: cluster.caFile,
      passwordCommand: secret("owner2", ownerPassword).command,
    });
    await migrate(owner.db);
    const webPassword = `${newPassword()}${newPassword()}`;
    expect(
      await ensureAppRole(owner.db, { role: "expense_app", password: webPassword }),
    ).toMatchObject({
      created: true,
    });
    // The next deploy's run alters the role in place, which a non-superuser may do.
    expect(
      await ensureAppRole(owner.db, { role: "expense_app", password: webPassword }),
    ).toMatchObject({
      created: false,
    });
    const [stored] = await cluster
      .admin("select rolpassword from pg_authid where rolname = 'expense_app'")
      .then((r) => r.rows as { rolpassword: string }[]);
    expect(stored?.rolpassword).toMatch(/^SCRAM-SHA-256\$4096:/);

    const good = join(secretsDir, "web-password");
    writeFileSync(good, `${webPassword}\n`, { mode: 0o600 });
    const web = await open({
      url: url("expense_app", "localhost", "db2"),
      caFile: cluster.caFile,
      passwordFile: good,
    });
    expect(await rows(web.db, "select current_user as u")).toEqual([{ u: "expense_app" }]);
    expect(await rows(web.db, "select count(*)::int as n from users")).toEqual([{ n: 0 }]);

    const bad = join(secretsDir, "web-password-wrong");
    writeFileSync(bad, "not-the-password-0123456789\n", { mode: 0o600 });
    const refused = await open({
      url: url("expense_app", "localhost", "db2"),
      caFile: cluster.caFile,
      passwordFile: bad,
    });
    const err = await failure(refused.db);
    expect(err.code).toBe("28P01");
  });
});

/** The innermost error of a failed query (Drizzle wraps the driver's error as `cause`). */
async function failure(db: Db): Promise<Error & { code?: string }> {
  const err = await db.execute(sql`select 1`).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!err) throw new Error("the query succeeded");
  let inner = err as Error & { code?: string; cause?: unknown };
  while (inner.cause instanceof Error) inner = inner.cause;
  return inner;
}

async function until(done: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
