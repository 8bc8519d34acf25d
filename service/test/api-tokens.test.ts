import { eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { createApiToken, LAST_USED_INTERVAL_MS } from "../src/data/api-tokens.ts";
import { deleteUser } from "../src/data/users.ts";
import { apiTokens } from "../src/db/schema.ts";
import type { Logger } from "../src/lib/logger.ts";
import { BAD_TOKEN_LIMIT } from "../src/routes/api/auth.ts";
import { ApiClient, fetchDocument, OpenApiChecker, tokenFor } from "./support/api.ts";
import {
  type Agent,
  describeEachDatabase,
  signedInAgent,
  TEST_PASSWORD,
  testApp,
} from "./support/harness.ts";

describeEachDatabase("API tokens", (t) => {
  let clock = new Date("2026-03-10T12:00:00Z");
  let app: ReturnType<typeof testApp>;
  let checker: OpenApiChecker;
  let agent: Agent;
  let userId: number;
  const logged: string[] = [];
  const logger: Logger = {
    debug: (m, f) => logged.push(JSON.stringify([m, f])),
    info: (m, f) => logged.push(JSON.stringify([m, f])),
    warn: (m, f) => logged.push(JSON.stringify([m, f])),
    error: (m, f) => logged.push(JSON.stringify([m, f])),
  };

  beforeAll(async () => {
    app = testApp(t.current(), { now: () => clock, logger, apiRateLimit: 5 });
    checker = new OpenApiChecker(await fetchDocument(app));
    const signedIn = await signedInAgent(app, t.current());
    agent = signedIn.agent;
    userId = signedIn.user.id;
  });

  const client = (token?: string, headers: Record<string, string> = {}) =>
    new ApiClient(app, checker, token, headers);

  async function createOnPage(fields: Record<string, string>) {
    await agent.get("/settings/tokens");
    return agent.post("/settings/tokens", {
      name: "phone",
      scope: "read-write",
      expires: "never",
      password: TEST_PASSWORD,
      ...fields,
    });
  }

  it("the settings page creates a token once, after the password, and stores only a hash", async () => {
    const res = await createOnPage({ name: "bank sync" });
    expect(res.status).toBe(201);
    const html = await res.text();
    const token = /value="(et_pat_[0-9a-f]{16}_[A-Za-z0-9_-]{43})"/.exec(html)?.[1];
    expect(token).toBeDefined();
    expect(res.headers.get("cache-control")).toBe("no-store");
    const rows = await t.current().db.select().from(apiTokens).where(eq(apiTokens.userId, userId));
    const row = rows.find((r) => r.name === "bank sync");
    expect(row?.scope).toBe("read-write");
    expect(JSON.stringify(rows)).not.toContain(token?.split("_").at(-1));
    const again = await (await agent.get("/settings/tokens")).text();
    expect(again).toContain("bank sync");
    expect(again).not.toContain(token);
    expect((await client(token).get("/api/v1/categories")).status).toBe(200);
  });

  it("a wrong password creates nothing and says so", async () => {
    const before = await t.current().db.select().from(apiTokens);
    const res = await createOnPage({ name: "nope", password: "wrong password" });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain("That is not your password");
    expect(await t.current().db.select().from(apiTokens)).toHaveLength(before.length);
  });

  it("a blank name or an unknown expiry is refused with a message", async () => {
    const blank = await createOnPage({ name: "  " });
    expect(blank.status).toBe(422);
    expect(await blank.text()).toContain("Enter a name");
    const forever = await createOnPage({ expires: "9999" });
    expect(forever.status).toBe(422);
    expect(await forever.text()).toContain("Choose when the token expires");
  });

  it("revoking on the settings page makes the token a 401 with WWW-Authenticate", async () => {
    const token = await tokenFor(t.current().db, userId);
    expect((await client(token).get("/api/v1/categories")).status).toBe(200);
    const [row] = await t
      .current()
      .db.select()
      .from(apiTokens)
      .where(eq(apiTokens.publicId, token.slice(7, 23)));
    await agent.get("/settings/tokens");
    const res = await agent.post(`/settings/tokens/${row?.id}/revoke`, {});
    expect(res.status).toBe(303);
    const refused = await client(token).get("/api/v1/categories");
    expect(refused.status).toBe(401);
    expect(refused.headers.get("www-authenticate")).toContain('error="invalid_token"');
    expect(refused.body.error.message).toContain("revoked");
  });

  it("an expired token gets 401 saying when it expired", async () => {
    const token = await tokenFor(t.current().db, userId, "read", new Date(clock.getTime() - 1000));
    const res = await client(token).get("/api/v1/categories");
    expect(res.status).toBe(401);
    expect(res.body.error.message).toContain("expired on");
  });

  it("no token, another scheme, a malformed or mistyped token: 401 JSON", async () => {
    const none = await client().get("/api/v1/transactions");
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toBe('Bearer realm="expense-tracker"');
    const basic = await client(undefined, { authorization: "Basic dXNlcjpwYXNz" }).get(
      "/api/v1/transactions",
    );
    expect(basic.body.error.message).toContain("Only Bearer");
    expect((await client("ghp_abc").get("/api/v1/transactions")).body.error.message).toContain(
      "et_pat_",
    );
    const real = await tokenFor(t.current().db, userId);
    const mistyped = `${real.slice(0, -1)}${real.endsWith("A") ? "B" : "A"}`;
    expect((await client(mistyped).get("/api/v1/transactions")).status).toBe(401);
  });

  it("a session cookie alone gets 401 JSON, not a page or a redirect", async () => {
    const cookie = [...agent.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    const res = await client(undefined, { cookie }).get("/api/v1/transactions");
    expect(res.status).toBe(401);
    expect(res.body.error.message).toContain("does not accept a session cookie");
  });

  it("the web pages never accept a token", async () => {
    const token = await tokenFor(t.current().db, userId);
    const res = await app.request("/transactions", {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toContain("/signin");
  });

  it("a read-only token reads, and gets 403 on a write", async () => {
    const reader = client(await tokenFor(t.current().db, userId, "read"));
    expect((await reader.get("/api/v1/categories")).status).toBe(200);
    const res = await reader.post("/api/v1/categories", { name: "Books", kind: "expense" });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain("read-only");
  });

  it("each token has its own rate limit: 429 with Retry-After, then allowed again", async () => {
    const busy = client(await tokenFor(t.current().db, userId));
    for (let i = 0; i < 5; i++) expect((await busy.get("/api/v1/categories")).status).toBe(200);
    const limited = await busy.get("/api/v1/categories");
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe("rate_limited");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(
      (await client(await tokenFor(t.current().db, userId)).get("/api/v1/categories")).status,
    ).toBe(200);
    clock = new Date(clock.getTime() + 60_000);
    const later = await busy.get("/api/v1/categories");
    expect(later.status, JSON.stringify(later.body)).toBe(200);
  });

  it("bad tokens from one address are limited: 429 after 30 a minute", async () => {
    const guesser = client(`et_pat_${"0".repeat(16)}_${"x".repeat(43)}`, { "x-test": "guess" });
    const statuses: number[] = [];
    for (let i = 0; i < BAD_TOKEN_LIMIT; i++)
      statuses.push((await guesser.get("/api/v1/categories")).status);
    expect(statuses.every((s) => s === 401)).toBe(true);
    const last = await guesser.get("/api/v1/categories");
    expect(last.status).toBe(429);
    expect(last.body.error.message).toContain("Too many bad tokens");
    clock = new Date(clock.getTime() + 61_000);
  });

  it("last use is recorded, at most once a minute", async () => {
    const token = await tokenFor(t.current().db, userId);
    const lastUsed = async () =>
      (
        await t
          .current()
          .db.select()
          .from(apiTokens)
          .where(eq(apiTokens.publicId, token.slice(7, 23)))
      )[0]?.lastUsedAt;
    expect(await lastUsed()).toBeNull();
    const first = clock;
    await client(token).get("/api/v1/categories");
    expect(await lastUsed()).toEqual(first);
    clock = new Date(first.getTime() + LAST_USED_INTERVAL_MS - 1000);
    await client(token).get("/api/v1/categories");
    expect(await lastUsed()).toEqual(first);
    clock = new Date(first.getTime() + LAST_USED_INTERVAL_MS + 1000);
    await client(token).get("/api/v1/categories");
    expect(await lastUsed()).toEqual(clock);
  });

  it("tokens die with their user", async () => {
    const { user } = await signedInAgent(app, t.current());
    const { token } = await createApiToken(
      t.current().db,
      user.id,
      { name: "x", scope: "read", expiresAt: null },
      clock,
    );
    await deleteUser(t.current().db, user.id);
    expect(
      await t.current().db.select().from(apiTokens).where(eq(apiTokens.userId, user.id)),
    ).toEqual([]);
    expect((await client(token).get("/api/v1/categories")).status).toBe(401);
  });

  it("no token reaches the log", async () => {
    const token = await tokenFor(t.current().db, userId);
    logged.length = 0;
    await client(token).get("/api/v1/transactions?q=x");
    await client(`${token}x`).get("/api/v1/transactions");
    expect(logged.length).toBeGreaterThan(0);
    const secret = token.split("_").slice(3).join("_");
    expect(logged.join("\n")).not.toContain(secret);
  });
});
