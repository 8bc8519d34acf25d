import { type Clock, formatDuration } from "./clock.ts";
import type { Output } from "./terminal.ts";
import {
  hiddenInput,
  numericOptions,
  type Page,
  rowIdWithTitle,
  type WebSession,
} from "./web-session.ts";

export type CheckStatus = "pass" | "fail" | "skip";

/** One row of the smoke test's table. */
export interface CheckResult {
  name: string;
  status: CheckStatus;
  detail: string;
}

const pass = (name: string, detail: string): CheckResult => ({ name, status: "pass", detail });
const fail = (name: string, detail: string): CheckResult => ({ name, status: "fail", detail });

/** `ECONNREFUSED`, `ENOTFOUND`, `timeout`: why a request got no answer at all. */
export function networkReason(err: unknown): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === "TimeoutError") return "no answer (timeout)";
  return e.cause?.code ?? e.cause?.message ?? e.message ?? String(err);
}

/** `503 database unreachable`: the status and the reason /readyz gives for it. */
function readyAnswer(page: Page): string {
  try {
    const reason = (JSON.parse(page.body) as { reason?: unknown }).reason;
    return typeof reason === "string" ? `${page.status} ${reason}` : String(page.status);
  } catch {
    return String(page.status);
  }
}

export interface ReadyWait {
  session: WebSession;
  clock: Clock;
  out: Output;
  timeoutMs: number;
  pollMs: number;
  signal?: AbortSignal;
}

/** Polls `/readyz` until it answers 200: a fresh instance needs minutes to boot and migrate. */
export async function waitForReady(w: ReadyWait): Promise<CheckResult> {
  const name = "readyz 200";
  const started = w.clock.now();
  let last = "no answer yet";
  for (let tries = 1; ; tries++) {
    try {
      const page = await w.session.get("/readyz");
      if (page.status === 200)
        return pass(
          name,
          `200 after ${formatDuration(w.clock.now() - started)} (${tries} ${tries === 1 ? "try" : "tries"})`,
        );
      last = readyAnswer(page);
    } catch (err) {
      if (w.signal?.aborted) return fail(name, "cancelled");
      last = networkReason(err);
    }
    const waited = w.clock.now() - started;
    if (waited >= w.timeoutMs) return fail(name, `still ${last} after ${formatDuration(waited)}`);
    w.out.progress(
      `waiting for ${w.session.origin}/readyz: ${last}, ${formatDuration(waited)} of ${formatDuration(w.timeoutMs)}`,
    );
    await w.clock.sleep(Math.min(w.pollMs, w.timeoutMs - waited), w.signal);
    if (w.signal?.aborted) return fail(name, "cancelled");
  }
}

/**
 * The headers every page must carry: a CSP without 'unsafe-inline', HSTS, nosniff, and a frame
 * ban (X-Frame-Options or CSP frame-ancestors).
 */
export function checkSecurityHeaders(page: Page): CheckResult {
  const name = "security headers";
  const h = page.headers;
  const csp = h.get("content-security-policy") ?? "";
  const problems: string[] = [];
  if (!csp) problems.push("no Content-Security-Policy");
  else if (/'unsafe-inline'/i.test(csp)) problems.push("CSP allows 'unsafe-inline'");
  const hsts = /max-age=(\d+)/i.exec(h.get("strict-transport-security") ?? "");
  if (!hsts || Number(hsts[1]) <= 0) problems.push("no Strict-Transport-Security");
  if ((h.get("x-content-type-options") ?? "").toLowerCase() !== "nosniff")
    problems.push("no X-Content-Type-Options: nosniff");
  if (!h.get("x-frame-options") && !/frame-ancestors/i.test(csp))
    problems.push("no X-Frame-Options or frame-ancestors");
  return problems.length
    ? fail(name, `${problems.join("; ")} (status ${page.status})`)
    : pass(name, "CSP (no unsafe-inline), HSTS, nosniff, frame ban");
}

/** Plain HTTP on the same host must answer a redirect to https://. */
export async function checkHttpsRedirect(
  httpUrl: string,
  signal?: AbortSignal,
  fetchImpl: typeof fetch = fetch,
): Promise<CheckResult> {
  const name = "http -> https";
  try {
    const timeout = AbortSignal.timeout(15_000);
    const res = await fetchImpl(httpUrl, {
      redirect: "manual",
      signal: signal ? AbortSignal.any([timeout, signal]) : timeout,
    });
    await res.body?.cancel();
    const location = res.headers.get("location") ?? "";
    if (res.status >= 300 && res.status < 400 && location.startsWith("https://")) {
      return pass(name, `${res.status} -> ${location}`);
    }
    return fail(
      name,
      `${httpUrl} answered ${res.status}${location ? ` -> ${location}` : ""}, not a redirect to https://`,
    );
  } catch (err) {
    return fail(name, `${httpUrl}: ${networkReason(err)}`);
  }
}

/** Signs in through the real form: CSRF cookie and token from GET /signin, then the POST. */
export async function signIn(
  session: WebSession,
  email: string,
  password: string,
): Promise<CheckResult> {
  const name = "sign in";
  const form = await session.get("/signin");
  const csrf = hiddenInput(form.body, "_csrf");
  if (form.status !== 200 || !csrf || !session.cookie("et_csrf")) {
    return fail(name, `GET /signin answered ${form.status}${csrf ? "" : " without a _csrf field"}`);
  }
  const res = await session.postForm("/signin", { _csrf: csrf, next: "/", email, password });
  if (res.status === 303 && session.cookie("et_session"))
    return pass(name, `303 as ${email}, session cookie set`);
  const why: Record<number, string> = {
    // The stack's ownerPassword is only the first password: the README tells the owner to change it.
    401: "the e-mail and password do not match (SMOKE_EMAIL / SMOKE_PASSWORD, else the stack's ownerEmail / ownerPassword, which is only the first password: once the owner has changed it, set SMOKE_PASSWORD)",
    403: "refused by the CSRF or Origin check",
    429: `too many failed sign-ins; retry in ${res.headers.get("retry-after") ?? "?"} s`,
  };
  return fail(
    name,
    `POST /signin answered ${res.status}: ${why[res.status] ?? "no session cookie"}`,
  );
}

/** Adds a 1.23 expense titled `title` and finds its row; resolves with the new id. */
export async function addTransaction(
  session: WebSession,
  title: string,
): Promise<{ check: CheckResult; id?: string }> {
  const name = "add transaction";
  const form = await session.get("/transactions/new");
  const csrf = hiddenInput(form.body, "_csrf");
  const options = numericOptions(form.body);
  const category = options.find((o) => o.label === "Food") ?? options[0];
  if (form.status !== 200 || !csrf || !category) {
    return {
      check: fail(
        name,
        `GET /transactions/new answered ${form.status}${category ? "" : " without a category"}`,
      ),
    };
  }
  const fields = {
    _csrf: csrf,
    kind: "expense",
    title,
    amount: "1.23",
    categoryId: category.value,
    occurredOn: "",
  };
  const res = await session.postForm("/transactions", fields);
  if (res.status !== 303)
    return { check: fail(name, `POST /transactions answered ${res.status}, expected 303`) };
  const id = rowIdWithTitle(
    (await session.get(`/transactions?q=${encodeURIComponent(title)}`)).body,
    title,
  );
  if (!id) return { check: fail(name, `added, but "${title}" is not in the list`) };
  return { check: pass(name, `id ${id} "${title}" (${category.label}) is listed`), id };
}

/** Deletes the transaction through its confirmation form and checks the list no longer shows it. */
export async function deleteTransaction(
  session: WebSession,
  id: string,
  title: string,
): Promise<CheckResult> {
  const name = "delete transaction";
  const confirm = await session.get(`/transactions/${id}/delete`);
  const csrf = hiddenInput(confirm.body, "_csrf");
  if (confirm.status !== 200 || !csrf)
    return fail(name, `GET /transactions/${id}/delete answered ${confirm.status}`);
  const res = await session.postForm(`/transactions/${id}/delete`, { _csrf: csrf });
  if (res.status !== 303)
    return fail(name, `POST /transactions/${id}/delete answered ${res.status}, expected 303`);
  const still = rowIdWithTitle(
    (await session.get(`/transactions?q=${encodeURIComponent(title)}`)).body,
    title,
  );
  return still
    ? fail(name, `id ${id} is still listed after the delete`)
    : pass(name, `id ${id} deleted, gone from the list`);
}
