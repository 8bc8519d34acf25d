// Recategorising many rows at once: tick rows in the filtered list, pick a category.
import { and, eq, inArray } from "drizzle-orm";
import { expect, test } from "vitest";
import { listCategories } from "../src/data/categories.ts";
import { createTransaction } from "../src/data/transactions.ts";
import type { Db } from "../src/db/client.ts";
import { transactions } from "../src/db/schema.ts";
import { describeEachDatabase, signedInAgent, testApp } from "./support/harness.ts";
import { groupedTransactions, storedTotals } from "./support/month-totals.ts";

async function seed(db: Db, userId: number) {
  const mine = await listCategories(db, userId);
  const id = (name: string) => mine.find((c) => c.name === name)?.id as number;
  const add = (title: string, kind: "expense" | "income", category: string) =>
    createTransaction(db, userId, {
      kind,
      title,
      amountCents: 1234n,
      categoryId: id(category),
      occurredOn: "2024-05-05",
      notes: null,
      paymentMethod: null,
    });
  const ids = [
    await add("REWE 1", "expense", "Other"),
    await add("REWE 2", "expense", "Other"),
    await add("Refund", "income", "Other income"),
  ];
  return { ids, id };
}

const categoryOf = async (db: Db, ids: number[]) =>
  (
    await db
      .select({ id: transactions.id, c: transactions.categoryId })
      .from(transactions)
      .where(inArray(transactions.id, ids))
      .orderBy(transactions.id)
  ).map((r) => r.c);

describeEachDatabase("recategorising ticked rows", (t) => {
  test("the list offers a tick box per row and the form, which comes back to the same filtered page", async () => {
    const database = t.current();
    const { agent, user } = await signedInAgent(testApp(database), database);
    const { ids } = await seed(database.db, user.id);
    const html = await (await agent.get("/transactions?q=REWE")).text();
    expect(html).toContain('action="/transactions/recategorise"');
    expect(html).toContain('<input type="hidden" name="back" value="/transactions?q=REWE"/>');
    expect(html).toContain(`value="${ids[0]}" form="recategorise"`);
  });

  test("POST /transactions/recategorise moves the ticked rows of the category's kind, in one update, and says what stayed", async () => {
    const database = t.current();
    const { agent, user } = await signedInAgent(testApp(database), database);
    const { ids, id } = await seed(database.db, user.id);
    await agent.get("/transactions");
    const body = new URLSearchParams({
      _csrf: agent.csrf,
      categoryId: String(id("Food")),
      back: "/transactions?q=REWE",
    });
    for (const i of ids) body.append("ids", String(i));
    const res = await agent.app.request("/transactions/recategorise", {
      method: "POST",
      body,
      headers: {
        cookie: [...agent.cookies].map(([k, v]) => `${k}=${v}`).join("; "),
        "content-type": "application/x-www-form-urlencoded",
      },
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/transactions?q=REWE");
    expect(await categoryOf(database.db, ids)).toEqual([
      id("Food"),
      id("Food"),
      id("Other income"),
    ]);
    expect(await storedTotals(database.db)).toEqual(await groupedTransactions(database.db));
  });

  test("no rows, another user's category, a foreign redirect or another user's rows change nothing", async () => {
    const database = t.current();
    const app = testApp(database);
    const { agent, user } = await signedInAgent(app, database);
    const other = await signedInAgent(app, database);
    const { ids, id } = await seed(database.db, user.id);
    const theirs = (await listCategories(database.db, other.user.id))[0]?.id as number;
    await agent.get("/transactions");

    const none = await agent.post("/transactions/recategorise", { categoryId: String(id("Food")) });
    expect(none.status).toBe(303);
    expect(await (await agent.get("/transactions")).text()).toContain(
      "Tick the rows to recategorise first.",
    );
    const foreign = await agent.post("/transactions/recategorise", {
      ids: String(ids[0]),
      categoryId: String(theirs),
      back: "https://evil.example/",
    });
    expect(foreign.headers.get("location")).toBe("/transactions");
    const stolen = await other.agent.post("/transactions/recategorise", {
      ids: String(ids[0]),
      categoryId: String(theirs),
    });
    expect(stolen.status).toBe(303);
    const bad = await agent.post("/transactions/recategorise", {
      ids: "1e3",
      categoryId: String(id("Food")),
    });
    expect(bad.status).toBe(303);
    expect(await categoryOf(database.db, ids)).toEqual([
      id("Other"),
      id("Other"),
      id("Other income"),
    ]);
    const [row] = await database.db
      .select({ c: transactions.categoryId })
      .from(transactions)
      .where(and(eq(transactions.userId, user.id), eq(transactions.id, ids[0] as number)));
    expect(row?.c).toBe(id("Other"));
  });
});
