// The pages through HTTP: the built artifact, started against the bench database, signed in as
// the heavy user, asked for each page by one client, one request after another.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildService } from "../lib/build-service.ts";
import { type Timing, time } from "./measure.ts";

export interface PageCase {
  name: string;
  path: string;
  /** Median bound in ms; absent for a page that is only reported. */
  targetMs?: number;
  /** Runs before the page is timed (say, a setting changed in the database). */
  before?: () => Promise<void>;
}

export interface PageResult {
  c: PageCase;
  t: Timing;
}

async function freePort(): Promise<number> {
  const probe = createServer().listen(0, "127.0.0.1");
  await new Promise((resolve) => probe.once("listening", resolve));
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  if (!address || typeof address === "string") throw new Error("no free port");
  return address.port;
}

/** The server's peak resident set size so far (VmHWM), in bytes; Linux only. */
function peakRss(pid: number | undefined): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    return kb ? Number(kb) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

class Client {
  readonly cookies = new Map<string, string>();
  constructor(readonly origin: string) {}

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    const res = await fetch(`${this.origin}${path}`, {
      ...init,
      redirect: "manual",
      headers: { origin: this.origin, ...(cookie ? { cookie } : {}), ...init.headers },
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const eq = pair.indexOf("=");
      this.cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    return res;
  }

  async signIn(email: string, password: string): Promise<void> {
    const form = await (await this.request("/signin")).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form)?.[1] ?? "";
    const res = await this.request("/signin", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ _csrf: csrf, email, password }),
    });
    await res.arrayBuffer();
    if (res.status !== 303) throw new Error(`sign-in answered ${res.status}, not 303`);
  }
}

async function waitUntilReady(origin: string, child: ChildProcess, log: string[]): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`the server exited with ${child.exitCode}:\n${log.join("")}`);
    }
    const ok = await fetch(`${origin}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the server was not ready within 60 s:\n${log.join("")}`);
}

/**
 * Builds the artifact, starts it on `databaseUrl` (already migrated and loaded), signs in and
 * times each page. Every answer must be 200 with a body; anything else fails the run.
 */
export async function timePages(
  databaseUrl: string,
  user: { email: string; password: string },
  cases: PageCase[],
  runs: number,
): Promise<{ results: PageResult[]; serverPeakRss: number | undefined }> {
  const dir = mkdtempSync(join(tmpdir(), "et-bench-"));
  const log: string[] = [];
  let child: ChildProcess | undefined;
  try {
    const artifact = await buildService({ outFile: join(dir, "expense-tracker.mjs") });
    const port = await freePort();
    child = spawn(process.execPath, [artifact.file], {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? "",
        DATABASE_URL: databaseUrl,
        PORT: String(port),
        HOST: "127.0.0.1",
        DATA_DIR: dir,
        SESSION_SECRET: randomBytes(32).toString("hex"),
        LOG_LEVEL: "warn",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout?.on("data", (b: Buffer) => log.push(b.toString()));
    child.stderr?.on("data", (b: Buffer) => log.push(b.toString()));
    const origin = `http://127.0.0.1:${port}`;
    await waitUntilReady(origin, child, log);
    const client = new Client(origin);
    await client.signIn(user.email, user.password);

    const results: PageResult[] = [];
    for (const c of cases) {
      await c.before?.();
      const get = async () => {
        const res = await client.request(c.path);
        const body = await res.text();
        if (res.status !== 200) throw new Error(`GET ${c.path} answered ${res.status}`);
        return body.length;
      };
      results.push({ c, t: await time(get, { warmups: 3, runs, budgetMs: 20_000 }) });
    }
    return { results, serverPeakRss: peakRss(child.pid) };
  } finally {
    if (child && child.exitCode === null) {
      const exited = once(child, "exit");
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      child.kill("SIGKILL");
    }
    rmSync(dir, { recursive: true, force: true });
  }
}
