// Edge cases a hostile or careless client can produce: each gets a clear answer, never a 500.
import { count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { describeError } from "../src/app.tsx";
import { users } from "../src/db/schema.ts";
import { safeNext } from "../src/lib/safe-path.ts";
import {
  Agent,
  describeEachDatabase,
  signedInAgent,
  TEST_PASSWORD,
  testApp,
  uniqueEmail,
} from "./support/harness.ts";

describe("safeNext", () => {
  it.each([
    ["/transactions/new?x=1#top", "/transactions/new?x=1#top"],
    ["/\t/evil.example", "/"],
    ["/\n/evil.example", "/"],
    ["/\\evil.example", "/"],
    ["//evil.example", "/"],
    ["https://evil.example/", "/"],
    ["javascript:alert(1)", "/"],
    ["JavaScript:alert(1)", "/"],
    ["data:text/html,x", "/"],
    ["/.//evil.example", "/"],
    ["/..//evil.example", "/"],
    ["/%2e//evil.example", "/"],
    ["/%2E%2E//evil.example", "/"],
    ["/././/evil.example/path?q=1", "/"],
    ["/transactions/..//evil.example", "/"],
    ["/\t//evil.example", "/"],
    ["/\r\n//evil.example", "/"],
    ["/%2F%2Fevil.example", "/"],
    ["/%2f/evil.example", "/"],
    ["/.%2F/evil.example", "/"],
    ["/%5Cevil.example", "/"],
    ["/%zz", "/"],
    ["", "/"],
    ["/transactions/./new", "/transactions/new"],
    ["/transactions/%2e%2e/summary", "/summary"],
    ["/transactions?q=%2F%2Fevil.example", "/transactions?q=%2F%2Fevil.example"],
  ])("%j -> %j", (next, expected) => {
    expect(safeNext(next)).toBe(expected);
  });
});

describe("describeError", () => {
  it("logs a failed query's SQL and PostgreSQL's reason, never its parameters", () => {
    const cause = Object.assign(new Error("value too long for type character varying(200)"), {
      code: "22001",
    });
    const err = Object.assign(
      new Error("Failed query: insert into users ... params: me@example.com,scrypt$32768$secret"),
      {
        query: "insert into users (email, password_hash) values ($1, $2)",
        params: ["me@example.com", "scrypt$32768$secret"],
        cause,
      },
    );
    const logged = JSON.stringify(describeError(err));
    expect(logged).toContain("value too long");
    expect(logged).toContain('"pgCode":"22001"');
    expect(logged).toContain("insert into users (email, password_hash) values ($1, $2)");
    expect(logged).not.toContain("me@example.com");
    expect(logged).not.toContain("secret");
  });
});

describeEachDatabase("hardening", (t) => {
  // First, while the database has no account.
  it("two first-run forms sent at once create exactly one owner", async () => {
    const app = testApp(t.current(), { localMode: true });
    const a = new Agent(app);
    const b = new Agent(app);
    await a.get("/setup");
    await b.get("/setup");
    const results = await Promise.all([
      a.post("/setup", { email: uniqueEmail("first"), password: TEST_PASSWORD }),
      b.post("/setup", { email: uniqueEmail("second"), password: TEST_PASSWORD }),
    ]);
    expect(results.map((r) => r.status)).toEqual([303, 303]);
    const [owners] = await t
      .current()
      .db.select({ n: count() })
      .from(users)
      .where(eq(users.isOwner, true));
    expect(owners?.n).toBe(1);
  });

  it("in local mode answers only at localhost or an IP address (no DNS rebinding)", async () => {
    const app = testApp(t.current(), { localMode: true });
    const rebound = await app.request("/signin", {
      headers: { host: "rebind.attacker.example:3000" },
    });
    expect(rebound.status).toBe(421);
    expect(await rebound.text()).toContain("answers only at localhost or its IP address");
    for (const host of ["localhost:3000", "127.0.0.1:3000", "[::1]:3000", "192.168.1.20:3000"]) {
      expect((await app.request("/healthz", { headers: { host } })).status, host).toBe(200);
    }
    // Outside local mode the check does not apply: a proxy in front names the host.
    expect(
      (await testApp(t.current()).request("/healthz", { headers: { host: "money.example" } }))
        .status,
    ).toBe(200);
  });

  it.each([
    ["title", { title: "a\u0000b" }],
    ["notes", { notes: "a\u0000b" }],
    ["paymentMethod", { paymentMethod: "a\u0000b" }],
  ])("a NUL character in %s is refused with 422, not a database error", async (field, change) => {
    const app = testApp(t.current());
    const { agent } = await signedInAgent(app, t.current());
    const form = await (await agent.get("/transactions/new")).text();
    const food = /<option value="(\d+)"[^>]*>Food<\/option>/.exec(form)?.[1] ?? "";
    const res = await agent.post("/transactions", {
      kind: "expense",
      title: "ok",
      amount: "1",
      categoryId: food,
      ...change,
    });
    expect(res.status).toBe(422);
    expect(await res.text()).toMatch(
      new RegExp(`id="f-${field}-error"[^>]*>Remove the NUL character`),
    );
  });

  it("a NUL character in the search or the sign-in email is refused, not a 500", async () => {
    const app = testApp(t.current());
    const { agent } = await signedInAgent(app, t.current());
    expect((await agent.get("/transactions?q=a%00b")).status).toBe(422);
    const stranger = new Agent(app);
    await stranger.get("/signin");
    expect(
      (await stranger.post("/signin", { email: "a\u0000@example.com", password: "x" })).status,
    ).toBe(422);
  });

  it("ids beyond PostgreSQL's integer range are 422 in a filter and 404 in a path", async () => {
    const app = testApp(t.current());
    const owner = await signedInAgent(app, t.current(), { isOwner: true });
    expect((await owner.agent.get("/transactions?category=9999999999")).status).toBe(422);
    expect((await owner.agent.get("/users/9999999999/delete")).status).toBe(404);
    expect((await owner.agent.post("/users/9999999999/delete", {})).status).toBe(404);
    expect((await owner.agent.get("/transactions/2147483648/edit")).status).toBe(404);
  });

  it("a body that claims to be multipart but is not is refused with 403", async () => {
    const app = testApp(t.current());
    const { agent } = await signedInAgent(app, t.current());
    const cookie = [...agent.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    const res = await app.request("/transactions", {
      method: "POST",
      headers: { cookie, "content-type": "multipart/form-data; boundary=x" },
      body: "not multipart at all",
    });
    expect(res.status).toBe(403);
  });

  it("a next with a newline after sign-in goes home instead of failing", async () => {
    const app = testApp(t.current());
    const { email } = await signedInAgent(app, t.current());
    const agent = new Agent(app);
    await agent.get("/signin");
    const res = await agent.post("/signin", {
      email,
      password: TEST_PASSWORD,
      next: "/\r\nSet-Cookie: x=1",
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/");
  });

  it("signing in ends the browser's previous session and issues a new CSRF cookie", async () => {
    const app = testApp(t.current());
    const a = await signedInAgent(app, t.current());
    const b = await signedInAgent(app, t.current());
    const oldSession = a.agent.cookies.get("et_session");
    const oldCsrf = a.agent.cookies.get("et_csrf");
    const res = await a.agent.post("/signin", { email: b.email, password: TEST_PASSWORD });
    expect(res.status).toBe(303);
    expect(res.headers.getSetCookie().some((c) => /^et_csrf=;/.test(c))).toBe(true);
    expect(
      (await app.request("/", { headers: { cookie: `et_session=${oldSession}` } })).status,
    ).toBe(303);
    await a.agent.get("/");
    expect(a.agent.cookies.get("et_csrf")).not.toBe(oldCsrf);
  });

  it("signed-in pages are not stored by the browser", async () => {
    const app = testApp(t.current());
    const { agent } = await signedInAgent(app, t.current());
    expect((await agent.get("/")).headers.get("cache-control")).toBe("no-store");
    expect((await agent.get("/settings")).headers.get("cache-control")).toBe("no-store");
  });

  it("5 wrong current passwords a minute, then 429 on the password page", async () => {
    const app = testApp(t.current());
    const { agent } = await signedInAgent(app, t.current());
    const attempt = () =>
      agent.post("/account/password", {
        current: "wrong",
        password: "new password 1",
        confirm: "new password 1",
      });
    for (let i = 0; i < 5; i++) expect((await attempt()).status).toBe(422);
    const res = await attempt();
    expect(res.status).toBe(429);
    expect(await res.text()).toContain("Too many wrong passwords");
  });
});
