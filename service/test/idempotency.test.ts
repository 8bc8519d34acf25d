// A create form sent twice (a double click, a retry after a lost answer) is saved once.
import { and, count, eq, like } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { CommitOutcomeUnknownError, inTransaction, KEY_TTL_MS } from "../src/data/idempotency.ts";
import type { Db } from "../src/db/client.ts";
import { openDatabase } from "../src/db/client.ts";
import { idempotentRequests, transactions, users } from "../src/db/schema.ts";
import { createLogger } from "../src/lib/logger.ts";
import { Agent, describeEachDatabase, signedInAgent, testApp } from "./support/harness.ts";
import { ADMIN_URL, requirePostgres } from "./support/postgres.ts";

const postgresReady = await requirePostgres();

const keyOn = (html: string) => /name="_key" value="([^"]+)"/.exec(html)?.[1];

async function addForm(agent: Agent) {
  const html = await (await agent.get("/transactions/new")).text();
  const categoryId = /<option value="(\d+)"[^>]*>Food<\/option>/.exec(html)?.[1] ?? "";
  return { key: keyOn(html), categoryId };
}

describeEachDatabase("idempotent create forms", (t) => {
  let app: ReturnType<typeof testApp>;
  const clock = { now: new Date("2026-11-20T10:00:00Z") };
  beforeAll(() => {
    app = testApp(t.current(), { now: () => clock.now });
  });

  const titled = async (userId: number, title: string) => {
    const [row] = await t
      .current()
      .db.select({ n: count() })
      .from(transactions)
      .where(and(eq(transactions.userId, userId), eq(transactions.title, title)));
    return row?.n ?? 0;
  };
  const fields = (categoryId: string, title: string, extra: Record<string, string> = {}) => ({
    kind: "expense",
    title,
    amount: "12.50",
    categoryId,
    occurredOn: "2026-11-19",
    ...extra,
  });

  it("the add form carries a key; sent twice it saves once, and both answers are the same redirect and flash", async () => {
    const { agent, user } = await signedInAgent(app, t.current());
    const { key, categoryId } = await addForm(agent);
    expect(key).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const form = { _key: key ?? "", ...fields(categoryId, "Twice") };
    const first = await agent.post("/transactions", form);
    const firstFlash = agent.cookies.get("et_flash");
    const second = await agent.post("/transactions", form);
    expect([first.status, second.status]).toEqual([303, 303]);
    expect(second.headers.get("location")).toBe(first.headers.get("location"));
    expect(agent.cookies.get("et_flash")).toBe(firstFlash);
    expect(await (await agent.get("/transactions")).text()).toContain("Added “Twice”.");
    expect(await titled(user.id, "Twice")).toBe(1);
  });

  it("two posts with one key at the same moment save one transaction", async () => {
    const { agent, user } = await signedInAgent(app, t.current());
    const { key, categoryId } = await addForm(agent);
    const form = { _key: key ?? "", ...fields(categoryId, "Raced") };
    const answers = await Promise.all([1, 2, 3].map(() => agent.post("/transactions", form)));
    expect(answers.map((r) => r.status)).toEqual([303, 303, 303]);
    expect(await titled(user.id, "Raced")).toBe(1);
  });

  it("the same key with other values is refused with 422 and a sentence, and saves nothing", async () => {
    const { agent, user } = await signedInAgent(app, t.current());
    const { key, categoryId } = await addForm(agent);
    await agent.post("/transactions", { _key: key ?? "", ...fields(categoryId, "First") });
    const other = await agent.post("/transactions", {
      _key: key ?? "",
      ...fields(categoryId, "Second"),
    });
    expect(other.status).toBe(422);
    expect(await other.text()).toContain("This form was already sent with different values.");
    expect(await titled(user.id, "Second")).toBe(0);
  });

  it("a form shown again with errors keeps its key, and the corrected form saves once", async () => {
    const { agent, user } = await signedInAgent(app, t.current());
    const { key, categoryId } = await addForm(agent);
    const bad = await agent.post("/transactions", {
      _key: key ?? "",
      ...fields(categoryId, "Fixed", { amount: "12,345" }),
    });
    expect(bad.status).toBe(422);
    expect(keyOn(await bad.text())).toBe(key);
    const good = { _key: key ?? "", ...fields(categoryId, "Fixed") };
    await agent.post("/transactions", good);
    await agent.post("/transactions", good);
    expect(await titled(user.id, "Fixed")).toBe(1);
  });

  it("a post without a key is saved each time, as before", async () => {
    const { agent, user } = await signedInAgent(app, t.current());
    const { categoryId } = await addForm(agent);
    await agent.post("/transactions", fields(categoryId, "Keyless"));
    await agent.post("/transactions", fields(categoryId, "Keyless"));
    expect(await titled(user.id, "Keyless")).toBe(2);
  });

  it("a key is one user's: another user's post with it is saved for them", async () => {
    const a = await signedInAgent(app, t.current());
    const b = await signedInAgent(app, t.current());
    const { key, categoryId } = await addForm(a.agent);
    const bForm = await addForm(b.agent);
    await a.agent.post("/transactions", { _key: key ?? "", ...fields(categoryId, "Mine") });
    const res = await b.agent.post("/transactions", {
      _key: key ?? "",
      ...fields(bForm.categoryId, "Mine"),
    });
    expect(res.status).toBe(303);
    expect(await titled(b.user.id, "Mine")).toBe(1);
  });

  it("a key counts for 24 hours: after that the same form is saved again, and old keys are removed", async () => {
    const { agent, user } = await signedInAgent(app, t.current());
    const { key, categoryId } = await addForm(agent);
    const form = { _key: key ?? "", ...fields(categoryId, "Tomorrow") };
    await agent.post("/transactions", form);
    const later = testApp(t.current(), {
      now: () => new Date(clock.now.getTime() + KEY_TTL_MS + 60_000),
    });
    const again = new Agent(later);
    for (const [k, v] of agent.cookies) again.cookies.set(k, v);
    again.csrf = agent.csrf;
    expect((await again.post("/transactions", form)).status).toBe(303);
    expect(await titled(user.id, "Tomorrow")).toBe(2);
    const keys = await t
      .current()
      .db.select({ createdAt: idempotentRequests.createdAt })
      .from(idempotentRequests)
      .where(eq(idempotentRequests.userId, user.id));
    expect(keys).toHaveLength(1);
  });

  it("a key that is not one the form could have made is refused with 400", async () => {
    const { agent, user } = await signedInAgent(app, t.current());
    const { categoryId } = await addForm(agent);
    const res = await agent.post("/transactions", {
      _key: "short",
      ...fields(categoryId, "Bad key"),
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("The form&#39;s key is not valid");
    expect(await titled(user.id, "Bad key")).toBe(0);
  });

  it("the owner's add-member form, sent twice, adds one member", async () => {
    const { agent } = await signedInAgent(app, t.current(), { isOwner: true });
    const key = keyOn(await (await agent.get("/users")).text());
    expect(key).toBeDefined();
    const email = `member-${Date.now()}@example.test`;
    const form = { _key: key ?? "", email, password: "member password" };
    expect((await agent.post("/users", form)).status).toBe(303);
    expect((await agent.post("/users", form)).status).toBe(303);
    const [row] = await t
      .current()
      .db.select({ n: count() })
      .from(users)
      .where(like(users.email, email));
    expect(row?.n).toBe(1);
  });
});

describe("the database unreachable", () => {
  it("pages answer 503 with a Retry-After and say the change was not saved; one warning, no error", async () => {
    // A pool for a port where nothing listens: every query fails with ECONNREFUSED.
    const database = await openDatabase({ url: "postgres://postgres@127.0.0.1:9/none" });
    const lines: string[] = [];
    const logger = createLogger("info", (l) => lines.push(l));
    const app = testApp(database, { logger });
    const cookie = "et_session=whatever";
    try {
      const page = await app.request("/", { headers: { cookie } });
      expect(page.status).toBe(503);
      expect(page.headers.get("retry-after")).toBe("5");
      expect(await page.text()).toContain("The database is unreachable right now. Try again");
      for (let i = 0; i < 10; i++) await app.request("/", { headers: { cookie } });
      const post = await app.request("/transactions", {
        method: "POST",
        headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
        body: "title=x",
      });
      expect(post.status).toBe(503);
      expect(await post.text()).toContain("Your change was not saved.");
      const levels = lines.map((l) => JSON.parse(l).level);
      expect(levels).not.toContain("error");
      expect(lines.filter((l) => JSON.parse(l).msg === "database unreachable")).toHaveLength(1);
    } finally {
      await database.close();
    }
  });

  it.skipIf(!postgresReady)(
    "a request that waits too long for a pool connection answers 503, never 500 [postgres]",
    async () => {
      const database = await openDatabase({ url: ADMIN_URL, maxConnections: 1 });
      const app = testApp(database);
      let release = () => {};
      const held = database.db.transaction(
        () => new Promise<void>((resolve) => (release = resolve)),
      );
      try {
        const res = await app.request("/", { headers: { cookie: "et_session=whatever" } });
        expect(res.status).toBe(503);
        expect(res.headers.get("retry-after")).toBe("5");
      } finally {
        release();
        await held;
        await database.close();
      }
    },
    20_000,
  );

  it("losing the database while committing is CommitOutcomeUnknownError, not a plain failure", async () => {
    const gone = Object.assign(new Error("Connection terminated unexpectedly"), {});
    const db = {
      transaction: async (work: (tx: Db) => Promise<unknown>) => {
        await work({} as Db);
        throw gone; // the COMMIT's answer never came
      },
    } as unknown as Db;
    await expect(inTransaction(db, async () => 1)).rejects.toBeInstanceOf(
      CommitOutcomeUnknownError,
    );
    const failing = {
      transaction: async () => {
        throw gone; // failed before the work finished: not saved
      },
    } as unknown as Db;
    await expect(inTransaction(failing, async () => 1)).rejects.toBe(gone);
  });
});
