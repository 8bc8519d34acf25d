import { beforeAll, describe, expect, it } from "vitest";
import { findUserByEmail } from "../src/data/users.ts";
import { verifyPassword } from "../src/lib/password.ts";
import { SIGN_IN_LIMITS } from "../src/routes/auth.tsx";
import {
  Agent,
  describeEachDatabase,
  signedInAgent,
  TEST_PASSWORD,
  testApp,
  uniqueEmail,
} from "./support/harness.ts";

const setCookie = (res: Response, name: string) =>
  res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`)) ?? "";

describeEachDatabase("accounts", (t) => {
  // Runs first, while the database has no account yet.
  describe("first-run page", () => {
    it("does not exist outside local mode, even with no account", async () => {
      const app = testApp(t.current(), { localMode: false });
      expect((await app.request("/setup")).status).toBe(404);
      const agent = new Agent(app);
      await agent.get("/signin");
      const res = await agent.post("/setup", { email: uniqueEmail(), password: TEST_PASSWORD });
      expect(res.status).toBe(404);
      expect(await findUserByEmail(t.current().db, "nobody@example.test")).toBeUndefined();
    });

    it("in local mode creates the owner, signs them in, and then disappears", async () => {
      const app = testApp(t.current(), { localMode: true });
      const agent = new Agent(app);
      const first = await agent.get("/signin");
      expect(first.headers.get("location")).toBe("/setup");
      expect((await agent.get("/setup")).status).toBe(200);
      const bad = await agent.post("/setup", { email: "me@", password: "short" });
      expect(bad.status).toBe(422);
      const html = await bad.text();
      expect(html).toContain("Enter an email address, such as name@example.com");
      expect(html).toContain("Use at least 8 characters");
      const email = uniqueEmail("owner");
      const res = await agent.post("/setup", { email, password: TEST_PASSWORD });
      expect(res.status).toBe(303);
      expect((await findUserByEmail(t.current().db, email))?.isOwner).toBe(true);
      expect((await agent.get("/")).status).toBe(200);
      expect((await app.request("/setup")).status).toBe(404);
    });
  });

  describe("sign-in", () => {
    let app: ReturnType<typeof testApp>;
    beforeAll(() => {
      app = testApp(t.current());
    });

    it("sets an HttpOnly, SameSite=Lax session cookie, not Secure over plain HTTP", async () => {
      const { email } = await signedInAgent(app, t.current());
      const agent = new Agent(app);
      await agent.get("/signin");
      const res = await agent.post("/signin", { email, password: TEST_PASSWORD });
      expect(res.status).toBe(303);
      const cookie = setCookie(res, "et_session");
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Lax/);
      expect(cookie).not.toMatch(/Secure/);
    });

    it("marks cookies Secure behind a trusted proxy that says HTTPS, and only then", async () => {
      const { email } = await signedInAgent(app, t.current());
      const behindProxy = testApp(t.current(), { trustProxy: 1 });
      const proxied = new Agent(behindProxy, {
        "x-forwarded-proto": "https",
        host: "money.example",
      });
      await proxied.get("/signin");
      const res = await proxied.post(
        "/signin",
        { email, password: TEST_PASSWORD },
        { origin: "https://money.example" },
      );
      expect(res.status).toBe(303);
      expect(setCookie(res, "et_session")).toMatch(/Secure/);
      // Without TRUST_PROXY the same header is ignored.
      const direct = new Agent(app, { "x-forwarded-proto": "https" });
      await direct.get("/signin");
      const res2 = await direct.post("/signin", { email, password: TEST_PASSWORD });
      expect(setCookie(res2, "et_session")).not.toMatch(/Secure/);
    });

    it("refuses a wrong password with 401 and a message, and no session", async () => {
      const { email } = await signedInAgent(app, t.current());
      const agent = new Agent(app);
      await agent.get("/signin");
      const res = await agent.post("/signin", { email, password: "wrong password" });
      expect(res.status).toBe(401);
      expect(await res.text()).toContain("That email and password do not match an account.");
      expect(agent.cookies.has("et_session")).toBe(false);
    });

    it("refuses empty fields with 422", async () => {
      const agent = new Agent(app);
      await agent.get("/signin");
      const res = await agent.post("/signin", { email: "", password: "" });
      expect(res.status).toBe(422);
      const html = await res.text();
      expect(html).toContain("Enter your email address");
      expect(html).toContain("Enter your password");
    });

    it.each([
      ["/transactions/new", "/transactions/new"],
      ["//evil.example/", "/"],
      ["https://evil.example/", "/"],
      ["/\\evil.example", "/"],
      ["/.//evil.example", "/"],
      ["/..//evil.example", "/"],
      ["/%2e//evil.example", "/"],
      ["/%2F%2Fevil.example", "/"],
      ["/.%2F/evil.example", "/"],
      ["/\t//evil.example", "/"],
    ])("after sign-in follows next=%s only within the site", async (next, expected) => {
      const { email } = await signedInAgent(app, t.current());
      const agent = new Agent(app);
      await agent.get("/signin");
      const res = await agent.post("/signin", { email, password: TEST_PASSWORD, next });
      expect(res.headers.get("location")).toBe(expected);
    });

    it("answers 429 after 20 failures a minute for one account from anywhere, even with the right password", async () => {
      const { email } = await signedInAgent(app, t.current());
      // A fresh app has a fresh throttle; each failure comes from a different address.
      const shared = testApp(t.current(), { trustProxy: 1 });
      for (let i = 0; i < SIGN_IN_LIMITS.account; i++) {
        const a = new Agent(shared, { "x-forwarded-for": `198.51.100.${i}` });
        expect((await a.post("/signin", { email, password: "nope" })).status).toBe(401);
      }
      const owner = new Agent(shared, { "x-forwarded-for": "203.0.113.9" });
      const res = await owner.post("/signin", { email, password: TEST_PASSWORD });
      expect(res.status).toBe(429);
      expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(await res.text()).toContain("Too many failed sign-ins");
    });

    it("a few strangers' failures do not lock the owner out", async () => {
      const { email } = await signedInAgent(app, t.current());
      const shared = testApp(t.current(), { trustProxy: 1 });
      for (let i = 0; i < 5; i++) {
        const a = new Agent(shared, { "x-forwarded-for": `198.51.100.${i}` });
        expect((await a.post("/signin", { email, password: "nope" })).status).toBe(401);
      }
      const owner = new Agent(shared, { "x-forwarded-for": "203.0.113.9" });
      expect((await owner.post("/signin", { email, password: TEST_PASSWORD })).status).toBe(303);
    });

    it("parallel guesses are counted before the password check: only 5 of 20 get an answer", async () => {
      const { email } = await signedInAgent(app, t.current());
      const shared = testApp(t.current(), { trustProxy: 1 });
      const attacker = new Agent(shared, { "x-forwarded-for": "192.0.2.200" });
      await attacker.get("/signin");
      const statuses = await Promise.all(
        Array.from({ length: 20 }, () =>
          attacker.post("/signin", { email, password: "guess" }).then((r) => r.status),
        ),
      );
      expect(statuses.filter((s) => s === 401)).toHaveLength(5);
      expect(statuses.filter((s) => s === 429)).toHaveLength(15);
    });

    it("answers 429 after 5 failures a minute from one address, whatever the account", async () => {
      const shared = testApp(t.current(), { trustProxy: 1 });
      const from = { "x-forwarded-for": "192.0.2.77" };
      for (let i = 0; i < 5; i++) {
        const a = new Agent(shared, from);
        expect((await a.post("/signin", { email: uniqueEmail(), password: "nope" })).status).toBe(
          401,
        );
      }
      const { email } = await signedInAgent(app, t.current());
      expect(
        (await new Agent(shared, from).post("/signin", { email, password: TEST_PASSWORD })).status,
      ).toBe(429);
      // Another address is not blocked.
      const other = new Agent(shared, { "x-forwarded-for": "192.0.2.78" });
      expect((await other.post("/signin", { email, password: TEST_PASSWORD })).status).toBe(303);
    });

    it("ignores a forged X-Forwarded-For without TRUST_PROXY: the socket address is throttled", async () => {
      const shared = testApp(t.current(), { trustProxy: 0 });
      for (let i = 0; i < 5; i++) {
        const a = new Agent(shared, { "x-forwarded-for": `10.0.0.${i}` });
        await a.post("/signin", { email: uniqueEmail(), password: "nope" });
      }
      const { email } = await signedInAgent(app, t.current());
      const res = await new Agent(shared, { "x-forwarded-for": "10.0.0.99" }).post("/signin", {
        email,
        password: TEST_PASSWORD,
      });
      expect(res.status).toBe(429);
    });
  });

  describe("sign-out and password change", () => {
    let app: ReturnType<typeof testApp>;
    beforeAll(() => {
      app = testApp(t.current());
    });

    it("sign-out revokes the session on the server, so a copied cookie stops working", async () => {
      const { agent } = await signedInAgent(app, t.current());
      const stolen = `et_session=${agent.cookies.get("et_session")}`;
      expect((await app.request("/", { headers: { cookie: stolen } })).status).toBe(200);
      expect((await agent.post("/signout", {})).status).toBe(303);
      expect((await app.request("/", { headers: { cookie: stolen } })).status).toBe(303);
    });

    it("sign-out needs the CSRF token", async () => {
      const { agent } = await signedInAgent(app, t.current());
      expect((await agent.post("/signout", { _csrf: "forged" })).status).toBe(403);
      expect((await agent.get("/")).status).toBe(200);
    });

    it("refuses a wrong current password or a mismatched confirmation with 422", async () => {
      const { agent, email } = await signedInAgent(app, t.current());
      const wrong = await agent.post("/account/password", {
        current: "not it",
        password: "new password 1",
        confirm: "new password 1",
      });
      expect(wrong.status).toBe(422);
      expect(await wrong.text()).toContain("That is not your current password");
      const mismatch = await agent.post("/account/password", {
        current: TEST_PASSWORD,
        password: "new password 1",
        confirm: "new password 2",
      });
      expect(mismatch.status).toBe(422);
      expect(await mismatch.text()).toContain("The two new passwords differ");
      const user = await findUserByEmail(t.current().db, email);
      expect(await verifyPassword(TEST_PASSWORD, user?.passwordHash ?? "")).toBe(true);
    });

    it("changes the password and signs out other devices", async () => {
      const { agent, email } = await signedInAgent(app, t.current());
      const other = new Agent(app);
      await other.post("/signin", { email, password: TEST_PASSWORD });
      expect((await other.get("/")).status).toBe(200);
      const res = await agent.post("/account/password", {
        current: TEST_PASSWORD,
        password: "brand new password",
        confirm: "brand new password",
      });
      expect(res.status).toBe(303);
      expect((await agent.get("/")).status).toBe(200);
      expect((await other.get("/")).status).toBe(303);
      const fresh = new Agent(app);
      expect((await fresh.post("/signin", { email, password: TEST_PASSWORD })).status).toBe(401);
      expect((await fresh.post("/signin", { email, password: "brand new password" })).status).toBe(
        303,
      );
    });
  });

  describe("settings", () => {
    it("saves a valid time zone and currency, and amounts then show in that currency", async () => {
      const app = testApp(t.current());
      const { agent, email } = await signedInAgent(app, t.current());
      const res = await agent.post("/settings", { timeZone: "Europe/Berlin", currency: "eur" });
      expect(res.status).toBe(303);
      const user = await findUserByEmail(t.current().db, email);
      expect(user).toMatchObject({ timeZone: "Europe/Berlin", currency: "EUR" });
      expect(await (await agent.get("/transactions")).text()).toMatch(/data-total="net">€0\.00</);
    });

    it.each([
      [
        { timeZone: "Mars/Olympus", currency: "USD" },
        "timeZone",
        "Choose a time zone from the list",
      ],
      [{ timeZone: "UTC", currency: "XYZW" }, "currency", "Choose a currency code from the list"],
      [{ timeZone: "+05:30", currency: "USD" }, "timeZone", "Choose a time zone from the list"],
      [
        { timeZone: "europe/berlin", currency: "USD" },
        "timeZone",
        "Choose a time zone from the list",
      ],
    ])("refuses %j with 422", async (form, field, message) => {
      const app = testApp(t.current());
      const { agent, email } = await signedInAgent(app, t.current());
      const res = await agent.post("/settings", form);
      expect(res.status).toBe(422);
      expect(await res.text()).toMatch(new RegExp(`id="f-${field}-error"[^>]*>${message}`));
      expect((await findUserByEmail(t.current().db, email))?.timeZone).toBe("UTC");
    });
  });
});
