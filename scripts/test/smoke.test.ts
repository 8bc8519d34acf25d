import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../service/test/support/server-process.ts";
import { checkSecurityHeaders } from "../ops/smoke-checks.ts";
import { defaultHttpUrl, runSmoke, type SmokeOptions } from "../ops/smoke-run.ts";
import { fakeClock } from "./support/fake-clock.ts";
import { type OwnerServer, startOwnerServer } from "./support/owner-server.ts";
import { recordingOutput } from "./support/recording-output.ts";
import { type StubServer, startStub } from "./support/stub-server.ts";

const owner = { email: "owner@example.com", password: "correct horse battery" };

let app: OwnerServer;
let redirector: StubServer;
let broken: StubServer;

beforeAll(async () => {
  // What CloudFront does on plain HTTP, and a site whose every answer is an error page.
  [app, redirector, broken] = await Promise.all([
    startOwnerServer(owner),
    startStub((req, res) =>
      res.writeHead(301, { location: `https://example.test${req.url}` }).end(),
    ),
    startStub((_req, res) =>
      res.writeHead(500, { "content-type": "text/plain" }).end("Internal Server Error"),
    ),
  ]);
});

afterAll(async () => {
  await Promise.all([app?.stop(), redirector?.close(), broken?.close()]);
});

function smoke(options: Partial<SmokeOptions> & { url: string }) {
  const out = recordingOutput();
  const result = runSmoke({
    credentials: owner,
    httpUrl: `${redirector.origin}/`,
    // Fake time: the /readyz wait is bounded without really waiting.
    clock: fakeClock(),
    readyTimeoutMs: 30_000,
    out,
    ...options,
  });
  return { out, result };
}

describe("runSmoke", () => {
  it("on a healthy server passes every check and prints the table", async () => {
    const { out, result } = smoke({ url: app.origin });
    const { checks, passed } = await result;
    expect(checks.map((c) => [c.name, c.status])).toEqual([
      ["readyz 200", "pass"],
      ["security headers", "pass"],
      ["http -> https", "pass"],
      ["sign in", "pass"],
      ["add transaction", "pass"],
      ["delete transaction", "pass"],
    ]);
    expect(passed).toBe(true);
    expect(out.lines[1]).toMatch(/^check\s+result\s+detail$/);
    expect(out.lines.at(-1)).toBe("PASS: 6 passed, 0 failed, 0 skipped");
    expect(out.text()).not.toContain(owner.password);
  });

  it("on a server answering 500 shows each failure, skips what needs sign-in, and does not pass", async () => {
    const { out, result } = smoke({ url: broken.origin, httpUrl: `${broken.origin}/` });
    const { checks, passed } = await result;
    expect(passed).toBe(false);
    expect(Object.fromEntries(checks.map((c) => [c.name, c.status]))).toEqual({
      "readyz 200": "fail",
      "security headers": "fail",
      "http -> https": "fail",
      "sign in": "fail",
      "add transaction": "skip",
      "delete transaction": "skip",
    });
    expect(checks[0]?.detail).toBe("still 500 after 0m30s");
    expect(checks[3]?.detail).toBe("GET /signin answered 500 without a _csrf field");
    expect(out.lines.at(-1)).toBe("FAIL: 0 passed, 4 failed, 2 skipped");
    expect(out.progressLines[0]).toBe(`waiting for ${broken.origin}/readyz: 500, 0m00s of 0m30s`);
  });

  it("with a wrong password fails the sign-in row with the reason, never printing the password", async () => {
    const wrong = "not the password";
    const { out, result } = smoke({
      url: app.origin,
      credentials: { email: owner.email, password: wrong },
    });
    const { checks, passed } = await result;
    expect(passed).toBe(false);
    expect(checks.find((c) => c.name === "sign in")?.detail).toMatch(
      /^POST \/signin answered 401: the e-mail and password do not match/,
    );
    // The stack's ownerPassword stops working once the owner changes it, as the README says to.
    expect(checks.find((c) => c.name === "sign in")?.detail).toContain(
      "which is only the first password: once the owner has changed it, set SMOKE_PASSWORD",
    );
    expect(out.text()).not.toContain(wrong);
  });

  it("reports a site that does not answer at all as failures, not a crash", async () => {
    // A port nobody listens on: every request is refused.
    const url = `http://127.0.0.1:${await freePort()}`;
    const { result } = smoke({ url, httpUrl: null, readyTimeoutMs: 10_000 });
    const { checks } = await result;
    expect(checks[0]?.detail).toBe("still ECONNREFUSED after 0m10s");
    expect(checks.find((c) => c.name === "http -> https")).toMatchObject({ status: "skip" });
    expect(checks.find((c) => c.name === "sign in")).toMatchObject({
      status: "fail",
      detail: "ECONNREFUSED",
    });
  });
});

describe("smoke helpers", () => {
  it("tries plain HTTP on the same host of an https:// site, and not at all for an http:// one", () => {
    expect(defaultHttpUrl("https://d111111abcdef8.cloudfront.net")).toBe(
      "http://d111111abcdef8.cloudfront.net/",
    );
    expect(defaultHttpUrl("http://localhost:3000")).toBeNull();
  });

  it("fails the headers check for a CSP that allows 'unsafe-inline' or a missing frame ban", () => {
    const headers = new Headers({
      "content-security-policy": "default-src 'self'; script-src 'self' 'unsafe-inline'",
      "strict-transport-security": "max-age=31536000",
      "x-content-type-options": "nosniff",
    });
    const check = checkSecurityHeaders({ status: 200, headers, body: "" });
    expect(check.status).toBe("fail");
    expect(check.detail).toBe(
      "CSP allows 'unsafe-inline'; no X-Frame-Options or frame-ancestors (status 200)",
    );
  });
});
