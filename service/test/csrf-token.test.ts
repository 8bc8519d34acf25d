// The CSRF token is bound to the session, masked afresh in every response, and the session itself
// is replaced when the password changes.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { maskToken, matchesToken } from "../src/middleware/csrf.ts";
import {
  Agent,
  describeEachDatabase,
  signedInAgent,
  TEST_PASSWORD,
  testApp,
} from "./support/harness.ts";

describe("masked CSRF token", () => {
  const raw = randomBytes(32);

  it("differs every time and still matches its token", () => {
    const a = maskToken(raw);
    const b = maskToken(raw);
    expect(a).not.toBe(b);
    expect(matchesToken(a, raw)).toBe(true);
    expect(matchesToken(b, raw)).toBe(true);
  });

  it("does not match another token, a shortened value or garbage", () => {
    const a = maskToken(raw);
    expect(matchesToken(a, randomBytes(32))).toBe(false);
    expect(matchesToken(a.slice(0, -1), raw)).toBe(false);
    expect(matchesToken("x".repeat(86), raw)).toBe(false);
    expect(matchesToken("", raw)).toBe(false);
  });
});

describeEachDatabase("CSRF token and session", (t) => {
  it("a token and cookie obtained before sign-in do not work after it", async () => {
    const app = testApp(t.current());
    // An attacker gets a cookie and its token from the sign-in page, then plants the cookie.
    const attacker = new Agent(app);
    await attacker.get("/signin");
    const planted = attacker.cookies.get("et_csrf") ?? "";
    const token = attacker.csrf;
    const { agent } = await signedInAgent(app, t.current());
    agent.cookies.set("et_csrf", planted);
    const refused = await agent.post("/signout", { _csrf: token });
    expect(refused.status).toBe(403);
    // The refusal page offers no sign-out form: without a token it would be refused again.
    const html = await refused.text();
    expect(html).not.toContain('action="/signout"');
    expect(html).not.toContain('name="_csrf" value=""');
    expect((await agent.get("/")).status).toBe(200);
  });

  it("a token from one session does not work in another session of the same browser", async () => {
    const app = testApp(t.current());
    const { agent, email } = await signedInAgent(app, t.current());
    const first = agent.csrf;
    await agent.post("/signin", { email, password: TEST_PASSWORD });
    await agent.get("/");
    const cookie = agent.cookies.get("et_csrf");
    expect(cookie).toBeTruthy();
    expect((await agent.post("/signout", { _csrf: first })).status).toBe(403);
  });

  it("every page carries a different token, and each one works", async () => {
    const app = testApp(t.current());
    const { agent } = await signedInAgent(app, t.current());
    await agent.get("/settings");
    const one = agent.csrf;
    await agent.get("/settings");
    const two = agent.csrf;
    expect(one).not.toBe(two);
    const save = { timeZone: "UTC", currency: "EUR" };
    expect((await agent.post("/settings", { ...save, _csrf: one })).status).toBe(303);
    expect((await agent.post("/settings", { ...save, _csrf: two })).status).toBe(303);
  });

  it("a password change replaces the current session: the old cookie stops working", async () => {
    const app = testApp(t.current());
    const { agent } = await signedInAgent(app, t.current());
    const old = agent.cookies.get("et_session");
    const res = await agent.post("/account/password", {
      current: TEST_PASSWORD,
      password: "a brand new password",
      confirm: "a brand new password",
    });
    expect(res.status).toBe(303);
    expect(agent.cookies.get("et_session")).not.toBe(old);
    expect((await agent.get("/settings")).status).toBe(200);
    const copy = await app.request("/settings", { headers: { cookie: `et_session=${old}` } });
    expect(copy.status).toBe(303);
  });
});
