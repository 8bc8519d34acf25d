// A list that keeps your place: sorting (with a stable second key), adding, editing, deleting and
// cancelling back to the exact list, month links, filter chips, and rows' accessible names.
import { eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { listCategories } from "../src/data/categories.ts";
import { createTransaction, listTransactions } from "../src/data/transactions.ts";
import { transactions, users } from "../src/db/schema.ts";
import { describeEachDatabase, signedInAgent, testApp } from "./support/harness.ts";

/** The ids of the list's rows, in page order. */
const ids = (html: string) => [...html.matchAll(/<tr data-id="(\d+)"/g)].map((m) => Number(m[1]));
const hrefOf = (html: string, pattern: RegExp) =>
  (pattern.exec(html)?.[1] ?? "").replaceAll("&amp;", "&");

describeEachDatabase("the list keeps its place", (t) => {
  let app: ReturnType<typeof testApp>;
  beforeAll(() => {
    app = testApp(t.current(), { now: () => new Date("2026-03-20T12:00:00Z") });
  });

  async function account() {
    const signed = await signedInAgent(app, t.current());
    const { db } = t.current();
    const cats = await listCategories(db, signed.user.id);
    const food = cats.find((c) => c.name === "Food")?.id as number;
    const salary = cats.find((c) => c.name === "Salary")?.id as number;
    const add = (
      title: string,
      cents: bigint,
      on: string,
      kind: "expense" | "income" = "expense",
    ) =>
      createTransaction(db, signed.user.id, {
        kind,
        title,
        amountCents: cents,
        categoryId: kind === "income" ? salary : food,
        occurredOn: on,
        notes: null,
        paymentMethod: null,
      });
    return { ...signed, add, food };
  }

  it("sorts by amount, title and date both ways, ties in entry order", async () => {
    const { agent, add } = await account();
    const a = await add("banana", 500n, "2026-03-02");
    const b = await add("Apple", 2000n, "2026-03-01");
    const c = await add("cherry", 500n, "2026-03-03");
    const d = await add("Pay", 90000n, "2026-03-01", "income");
    const list = async (sort: string) =>
      ids(await (await agent.get(`/transactions?sort=${sort}`)).text());
    expect(await list("amount-desc")).toEqual([d, b, c, a]);
    expect(await list("amount-asc")).toEqual([a, c, b, d]);
    expect(await list("title-asc")).toEqual([b, a, c, d]);
    expect(await list("title-desc")).toEqual([d, c, a, b]);
    expect(await list("date-asc")).toEqual([b, d, a, c]);
    expect(await list("date-desc")).toEqual([c, a, d, b]);
    // The default is newest first.
    expect(ids(await (await agent.get("/transactions")).text())).toEqual([c, a, d, b]);
  });

  it("marks the sorted column and links each header to the other direction", async () => {
    const { agent, add } = await account();
    await add("one", 100n, "2026-03-02");
    const html = await (
      await agent.get("/transactions?kind=expense&sort=amount-desc&page=1")
    ).text();
    expect(html).toMatch(
      /<th scope="col" class="text-end" aria-sort="descending"><a [^>]*href="\/transactions\?kind=expense&amp;sort=amount-asc"/,
    );
    // Choosing another column starts it in its natural direction and drops the page.
    expect(html).toContain('href="/transactions?kind=expense&amp;sort=title-asc"');
    expect(html).toContain('href="/transactions?kind=expense"');
  });

  it("refuses an unknown sort with the accepted ones", async () => {
    const { agent } = await account();
    const res = await agent.get("/transactions?sort=price");
    expect(res.status).toBe(422);
    expect(await res.text()).toContain(
      "Sort by one of: date-desc, date-asc, amount-desc, amount-asc, title-asc, title-desc",
    );
  });

  it("returns from edit, delete, add and cancel to the filtered, sorted second page", async () => {
    const { agent, add, user, food } = await account();
    for (let i = 0; i < 60; i++) await add(`Coffee ${i}`, BigInt(100 + i), "2026-03-05");
    const list = "/transactions?kind=expense&q=Coffee&sort=amount-asc&page=2";
    const html = await (await agent.get(list)).text();
    const [first] = ids(html);
    const back = `back=${encodeURIComponent(list)}`;
    expect(hrefOf(html, /href="(\/transactions\/new\?back=[^"]*)"/)).toBe(
      `/transactions/new?${back}`,
    );
    const edit = hrefOf(html, new RegExp(`href="(/transactions/${first}/edit[^"]*)"`));
    expect(edit).toBe(`/transactions/${first}/edit?${back}`);

    const form = await (await agent.get(edit)).text();
    expect(hrefOf(form, /class="btn btn-link" href="([^"]+)"/)).toBe(list);
    const action = hrefOf(form, /<form method="post" action="(\/transactions\/\d+\?[^"]+)"/);
    expect(action).toBe(`/transactions/${first}?${back}`);
    const saved = await agent.post(action, {
      kind: "expense",
      title: "Coffee edited",
      amount: "1.50",
      categoryId: String(food),
      occurredOn: "2026-03-05",
    });
    expect(saved.status).toBe(303);
    expect(saved.headers.get("location")).toBe(list);

    const confirm = await (await agent.get(`/transactions/${first}/delete?${back}`)).text();
    expect(hrefOf(confirm, /class="btn btn-link" href="([^"]+)"/)).toBe(list);
    const deleteAction = hrefOf(
      confirm,
      /<form method="post" action="(\/transactions\/\d+\/delete[^"]*)"/,
    );
    expect(deleteAction).toBe(`/transactions/${first}/delete?${back}`);
    const deleted = await agent.post(deleteAction, {});
    expect(deleted.headers.get("location")).toBe(list);
    const { db } = t.current();
    expect(
      await db
        .select()
        .from(transactions)
        .where(eq(transactions.id, first as number)),
    ).toEqual([]);

    const addForm = await (await agent.get(`/transactions/new?${back}`)).text();
    const addAction = hrefOf(addForm, /<form method="post" action="(\/transactions\?back=[^"]+)"/);
    expect(addAction).toBe(`/transactions?${back}`);
    const added = await agent.post(addAction, {
      _key: /name="_key" value="([^"]+)"/.exec(addForm)?.[1] ?? "",
      kind: "expense",
      title: "Coffee new",
      amount: "2.00",
      categoryId: String(food),
      occurredOn: "2026-03-06",
    });
    expect(added.status).toBe(303);
    expect(added.headers.get("location")).toBe(list);
    expect((await listTransactions(db, user.id, { q: "Coffee new" }, 1)).length).toBe(1);
  });

  it.each([
    "https://evil.example/transactions",
    "//evil.example/transactions",
    "/\t/evil.example",
    "/settings",
    "/transactionsX",
  ])("sends a back of %j to the plain list", async (bad) => {
    const { agent, add } = await account();
    const id = await add("Tea", 300n, "2026-03-01");
    const res = await agent.post(`/transactions/${id}/delete?back=${encodeURIComponent(bad)}`, {});
    expect(res.headers.get("location")).toBe("/transactions");
  });

  it("links a month's list to the months either side, in the user's months", async () => {
    const { agent, user } = await account();
    const html = await (
      await agent.get("/transactions?from=2026-03-01&to=2026-03-31&kind=expense")
    ).text();
    expect(html).toContain(
      'href="/transactions?from=2026-02-01&amp;to=2026-02-28&amp;kind=expense"',
    );
    expect(html).toContain(
      'href="/transactions?from=2026-04-01&amp;to=2026-04-30&amp;kind=expense"',
    );
    expect(html).toContain("← February 2026");
    // Not a whole month: no month links.
    const range = await (await agent.get("/transactions?from=2026-03-02&to=2026-03-31")).text();
    expect(range).not.toContain('aria-label="Months"');
    // A month that starts on the 25th.
    await t.current().db.update(users).set({ monthStartDay: 25 }).where(eq(users.id, user.id));
    const pay = await (await agent.get("/transactions?from=2026-02-25&to=2026-03-24")).text();
    expect(pay).toContain('href="/transactions?from=2026-03-25&amp;to=2026-04-24"');
    expect(pay).toContain("March 2026");
  });

  it("shows each filter as a chip that removes it, and names each row's buttons", async () => {
    const { agent, add, food } = await account();
    await add("Gas bill", 4200n, "2026-03-03");
    const html = await (
      await agent.get(`/transactions?category=${food}&q=Gas&sort=amount-desc`)
    ).text();
    expect(html).toContain("Category: Food");
    expect(html).toContain(`href="/transactions?q=Gas&amp;sort=amount-desc"`);
    expect(html).toContain(`href="/transactions?category=${food}&amp;sort=amount-desc"`);
    expect(html).toContain('Edit<span class="visually-hidden"> Gas bill</span>');
    expect(html).toContain('Delete<span class="visually-hidden"> Gas bill</span>');
    expect(html).toContain("Filters (2)");
  });
});
