import { type ChildProcess, spawn } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BuiltArtifact, buildService } from "../../scripts/lib/build-service.ts";
import { loadAssets } from "../src/embedded.ts";
import {
  createThrowawayDatabase,
  requirePostgres,
  type ThrowawayDatabase,
} from "./support/postgres.ts";

const pgAvailable = await requirePostgres();

const workDir = mkdtempSync(join(tmpdir(), "et-build-test-"));
const children = new Set<ChildProcess>();
let artifact: BuiltArtifact;

beforeAll(async () => {
  artifact = await buildService({ outFile: join(workDir, "first", "expense-tracker.mjs") });
});

afterAll(() => {
  for (const child of children) child.kill("SIGKILL");
  rmSync(workDir, { recursive: true, force: true });
});

interface Started {
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Runs the artifact from a folder holding nothing else, so no node_modules can be found. */
function startArtifact(env: Record<string, string>): Started {
  const dir = mkdtempSync(join(workDir, "run-"));
  const file = join(dir, "expense-tracker.mjs");
  copyFileSync(artifact.file, file);
  const child = spawn(process.execPath, [file], {
    cwd: dir,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdout?.resume();
  const exited = new Promise<number | null>((resolve) => {
    child.on("exit", (code) => {
      children.delete(child);
      resolve(code);
    });
  });
  return { child, stderr: () => stderr, exited };
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms).unref(),
    ),
  ]);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === "string") throw new Error("no port");
  return address.port;
}

/** `name=value` of a Set-Cookie header, without its attributes. */
function cookie(response: Response, name: string): string | undefined {
  return response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0] ?? "")
    .find((c) => c.startsWith(`${name}=`));
}

describe("npm run build", () => {
  it("building twice from the same source gives the same bytes", async () => {
    const second = await buildService({ outFile: join(workDir, "second", "expense-tracker.mjs") });
    expect(second.sha256).toBe(artifact.sha256);
    expect(second.bytes).toBe(artifact.bytes);
    expect(readFileSync(second.file).equals(readFileSync(artifact.file))).toBe(true);
  });

  it("leaves the embedded PGlite database out and stays under 1.5 MB", () => {
    const text = readFileSync(artifact.file, "utf8");
    // PGlite instantiates WebAssembly; drizzle's PGlite driver names its classes Pglite*.
    expect(text).not.toContain("WebAssembly");
    expect(text).not.toMatch(/PgliteSession|PgliteDriver/);
    expect(text).toContain("this build has no embedded database: set DATABASE_URL");
    // The node-postgres driver is what the artifact uses instead.
    expect(text).toContain("NodePgSession");
    expect(artifact.bytes).toBeLessThan(1.5 * 1024 * 1024);
  });

  it("refuses to start without DATABASE_URL, naming it on stderr", async () => {
    const run = startArtifact({ SESSION_SECRET: "s".repeat(40) });
    const code = await withTimeout(run.exited, 10_000, "exit without DATABASE_URL");
    expect(code).not.toBe(0);
    expect(run.stderr()).toMatch(/^config: DATABASE_URL .*$/m);
  });
});

describe.runIf(pgAvailable)("the artifact alone in an empty folder, on PostgreSQL", () => {
  const email = "owner@example.com";
  const password = "correct horse battery staple";
  let database: ThrowawayDatabase;
  let run: Started;
  let base: string;

  beforeAll(async () => {
    database = await createThrowawayDatabase();
    const passwordFile = join(workDir, "owner-password");
    writeFileSync(passwordFile, `${password}\n`);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    run = startArtifact({
      DATABASE_URL: database.url,
      SESSION_SECRET: "a-test-session-secret-of-at-least-32-chars",
      OWNER_EMAIL: email,
      OWNER_PASSWORD_FILE: passwordFile,
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
    });
  });

  afterAll(async () => {
    run?.child.kill("SIGKILL");
    await database?.drop();
  });

  it("answers GET /readyz with 200 ready", async () => {
    const deadline = Date.now() + 15_000;
    let last = "not started";
    while (Date.now() < deadline) {
      if (run.child.exitCode !== null) throw new Error(`artifact exited:\n${run.stderr()}`);
      try {
        const res = await fetch(`${base}/readyz`);
        if (res.status === 200) {
          expect(await res.json()).toEqual({ status: "ready" });
          return;
        }
        last = `${res.status} ${await res.text()}`;
      } catch (err) {
        last = (err as Error).message;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`not ready within 15 s (last: ${last})\n${run.stderr()}`);
  });

  it("serves the hashed bootstrap CSS from the sign-in page with a one-year immutable cache", async () => {
    const html = await (await fetch(`${base}/signin`)).text();
    const href = html.match(/href="(\/assets\/bootstrap\.[0-9a-f]{12}\.min\.css)"/)?.[1];
    expect(href).toBe(loadAssets()["bootstrap.min.css"].path);
    const res = await fetch(`${base}${href}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(res.headers.get("content-type")).toMatch(/^text\/css/);
    expect(await res.text()).toBe(loadAssets()["bootstrap.min.css"].body);
  });

  it("lets the owner sign in", async () => {
    const form = await fetch(`${base}/signin`);
    const csrfCookie = cookie(form, "et_csrf");
    const token = (await form.text()).match(/name="_csrf" value="([^"]+)"/)?.[1];
    expect(csrfCookie).toBeDefined();
    expect(token).toBeDefined();
    const res = await fetch(`${base}/signin`, {
      method: "POST",
      redirect: "manual",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        cookie: csrfCookie ?? "",
      },
      body: new URLSearchParams({ email, password, _csrf: token ?? "", next: "/" }),
    });
    expect(res.status).toBe(303);
    expect(cookie(res, "et_session")).toMatch(/^et_session=.+/);
  });

  it("exits with code 0 within 10 s of SIGTERM", async () => {
    run.child.kill("SIGTERM");
    expect(await withTimeout(run.exited, 10_000, "exit after SIGTERM")).toBe(0);
  });
});
