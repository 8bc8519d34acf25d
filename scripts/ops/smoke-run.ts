import { type Clock, systemClock } from "./clock.ts";
import {
  addTransaction,
  type CheckResult,
  checkHttpsRedirect,
  checkSecurityHeaders,
  deleteTransaction,
  networkReason,
  signIn,
  waitForReady,
} from "./smoke-checks.ts";
import type { Output } from "./terminal.ts";
import { WebSession } from "./web-session.ts";

export interface SmokeOptions {
  /** The site, e.g. the stack's `url` output. */
  url: string;
  /** The owner's account; the password is sent to the site and never printed. */
  credentials: { email: string; password: string };
  /**
   * Where plain HTTP is tried. Default `url` with `http:` (same host); null skips the check,
   * which is the default when `url` is itself http:// (a local server has no HTTPS to move to).
   */
  httpUrl?: string | null;
  /** How long /readyz may take to answer 200. Default 10 min (a fresh instance boots and migrates). */
  readyTimeoutMs?: number;
  /** Time between /readyz tries. Default 5 s. */
  readyPollMs?: number;
  /** Default the system clock. */
  clock?: Clock;
  out: Output;
  /** Aborting (Ctrl-C) skips the checks not yet run. */
  signal?: AbortSignal;
  /** Default the global fetch. */
  fetch?: typeof fetch;
}

export interface SmokeResult {
  checks: CheckResult[];
  /** No check failed (skipped ones do not count). */
  passed: boolean;
}

/** The plain-HTTP address of an https:// site, or null when there is none to test. */
export function defaultHttpUrl(url: string): string | null {
  const u = new URL(url);
  if (u.protocol !== "https:") return null;
  u.protocol = "http:";
  return `${u.origin}/`;
}

/**
 * The after-deploy smoke test: /readyz, security headers, HTTP -> HTTPS, and the owner signing in,
 * adding and deleting a transaction through the real forms. Prints the table and returns it.
 */
export async function runSmoke(options: SmokeOptions): Promise<SmokeResult> {
  const { out, signal } = options;
  const clock = options.clock ?? systemClock;
  const session = new WebSession(options.url, { signal, fetch: options.fetch });
  const checks: CheckResult[] = [];
  const skip = (name: string, detail: string) => checks.push({ name, status: "skip", detail });
  // A check that throws (no answer, connection reset) is a failed row, not a crash.
  const attempt = async (name: string, run: () => Promise<CheckResult>): Promise<CheckResult> => {
    if (signal?.aborted) {
      skip(name, "cancelled");
      return { name, status: "skip", detail: "cancelled" };
    }
    const result = await run().catch((err: unknown) => ({
      name,
      status: "fail" as const,
      detail: networkReason(err),
    }));
    checks.push(result);
    return result;
  };

  out.line(`smoke test of ${session.origin}`);
  await attempt("readyz 200", () =>
    waitForReady({
      session,
      clock,
      out,
      timeoutMs: options.readyTimeoutMs ?? 600_000,
      pollMs: options.readyPollMs ?? 5_000,
      signal,
    }),
  );
  await attempt("security headers", async () => checkSecurityHeaders(await session.get("/signin")));
  const httpUrl = options.httpUrl === undefined ? defaultHttpUrl(options.url) : options.httpUrl;
  if (httpUrl)
    await attempt("http -> https", () => checkHttpsRedirect(httpUrl, signal, options.fetch));
  else skip("http -> https", `${session.origin} is not https://`);

  const { email, password } = options.credentials;
  const signedIn = await attempt("sign in", () => signIn(session, email, password));
  const title = `smoke test ${new Date(clock.now()).toISOString()}`;
  let id: string | undefined;
  if (signedIn.status === "pass") {
    await attempt("add transaction", async () => {
      const added = await addTransaction(session, title);
      id = added.id;
      return added.check;
    });
  } else skip("add transaction", "needs sign in");
  if (id)
    await attempt("delete transaction", () => deleteTransaction(session, id as string, title));
  else skip("delete transaction", "needs add transaction");

  const result = { checks, passed: checks.every((c) => c.status !== "fail") };
  for (const line of formatCheckTable(checks)) out.line(line);
  const left = checks.find((c) => c.name === "delete transaction" && c.status === "fail");
  if (left) out.line(`the transaction "${title}" may still be there: delete it in the app`);
  return result;
}

/** The pass/fail table, aligned, with a totals line under it. */
export function formatCheckTable(checks: CheckResult[]): string[] {
  const width = Math.max(5, ...checks.map((c) => c.name.length));
  const row = (a: string, b: string, c: string) =>
    `${a.padEnd(width)}  ${b.padEnd(6)}  ${c}`.trimEnd();
  const count = (s: string) => checks.filter((c) => c.status === s).length;
  return [
    row("check", "result", "detail"),
    row("-".repeat(width), "------", "------"),
    ...checks.map((c) => row(c.name, c.status.toUpperCase(), c.detail)),
    `${count("fail") ? "FAIL" : "PASS"}: ${count("pass")} passed, ${count("fail")} failed, ${count("skip")} skipped`,
  ];
}
