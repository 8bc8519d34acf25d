// The pages through HTTP: the built artifact, started against the bench database, signed in as
// the heavy user, asked for each page by one client, one request after another.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { SERVICE_NODE_FLAGS } from "../../infra/instance/node-runtime.ts";
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

/** A size from a process's /proc status (VmHWM: peak resident set; VmRSS: now), in bytes. */
function statusBytes(pid: number | undefined, field: "VmHWM" | "VmRSS"): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1];
    return kb ? Number(kb) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

export class Client {
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

  /** The Cookie header a load generator sends to be this client. */
  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  /** A form's CSRF token, from a page that has a form. */
  async csrfToken(path = "/transactions/new"): Promise<string> {
    const html = await (await this.request(path)).text();
    const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
    if (!token) throw new Error(`no CSRF token on ${path}`);
    return token;
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

export interface RunningService {
  origin: string;
  pid: number;
  /** Its peak resident set size so far (VmHWM), in bytes. */
  peakRss(): number | undefined;
  /** Its resident set size now (VmRSS), in bytes. */
  rss(): number | undefined;
  stop(): Promise<void>;
}

/** `node ARGS` as a server on a free port, once its /readyz answers 200. */
export async function startNodeServer(
  args: string[],
  env: Record<string, string>,
  cwd: string,
): Promise<RunningService> {
  const log: string[] = [];
  const port = await freePort();
  const child = spawn(process.execPath, args, {
    cwd,
    env: { PATH: process.env.PATH ?? "", PORT: String(port), HOST: "127.0.0.1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (b: Buffer) => log.push(b.toString()));
  child.stderr?.on("data", (b: Buffer) => log.push(b.toString()));
  const origin = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = once(child, "exit");
    child.kill("SIGTERM");
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    child.kill("SIGKILL");
  };
  try {
    await waitUntilReady(origin, child, log);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    origin,
    pid: child.pid ?? 0,
    peakRss: () => statusBytes(child.pid, "VmHWM"),
    rss: () => statusBytes(child.pid, "VmRSS"),
    stop,
  };
}

/** Builds the artifact into `dir` and starts it on `databaseUrl`, with the flags its unit uses. */
export async function startService(databaseUrl: string, dir: string): Promise<RunningService> {
  const artifact = await buildService({ outFile: join(dir, "expense-tracker.mjs") });
  return startNodeServer(
    [...SERVICE_NODE_FLAGS, artifact.file],
    {
      DATABASE_URL: databaseUrl,
      DATA_DIR: dir,
      SESSION_SECRET: randomBytes(32).toString("hex"),
      LOG_LEVEL: "warn",
      // The load would otherwise meet the per-token limit rather than the service's speed.
      API_RATE_LIMIT: "1000000",
    },
    dir,
  );
}

/** Times each page with one client, one request after another; anything but 200 fails. */
export async function timePages(
  client: Client,
  cases: PageCase[],
  runs: number,
): Promise<PageResult[]> {
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
  return results;
}
