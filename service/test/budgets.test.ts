// Budgets: set, changed from a later month, cleared, refused, and merged when a category goes.
import { eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { budgetsForMonth } from "../src/data/budgets.ts";
import { listCategories } from "../src/data/categories.ts";
import { createTransaction } from "../src/data/transactions.ts";
import { budgets, type TransactionKind, users } from "../src/db/schema.ts";
import { AMOUNT_RULE } from "../src/lib/money.ts";
import { describeEachDatabase, signedInAgent, testApp } from "./support/harness.ts";

/** The budget in force for each category name ("All spending" for the overall one), in dollars. */
async function inForce(db: Parameters<typeof budgetsForMonth>[0], userId: number, month: string) {
  const rows = await budgetsForMonth(db, userId, month);
  return Object.fromEntries(rows.map((b) => [b.name ?? "All spending", b.amountCents]));
}

/** The text of the budgets page's row for `name`, tags stripped. */
function row(html: string, name: string): string {
  const m = new RegExp(`<tr data-budget="${name}">([\\s\\S]*?)</tr>`).exec(html);
  return (m?.[1] ?? "").replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");
}

describeEachDatabase("budgets", (t) => {
  let app: ReturnType<typeof testApp>;
  beforeAll(() => {
    app = testApp(t.current(), { now: () => new Date("2026-03-20T12:00:00Z") });
  });

  async function account(monthStartDay = 1) {
    const signed = await signedInAgent(app, t.current());
    const { db } = t.current();
    await db.update(users).set({ monthStartDay }).where(eq(users.id, signed.user.id));
    const cats = new Map((await listCategories(db, signed.user.id)).map((c) => [c.name, c.id]));
    const id = (name: string) => String(cats.get(name));
    const spend = (name: string, cents: bigint, on: string, kind: TransactionKind = "expense") =>
      createTransaction(db, signed.user.id, {
        kind,
        title: `${name} on ${on}`,
        amountCents: cents,
        categoryId: cats.get(name) ?? 0,
        occurredOn: on,
        notes: null,
        paymentMethod: null,
      });
    const set = (month: string, category: string, amount: string) =>
      signed.agent.post("/budgets", { month, category, amount });
    const clear = (month: string, category: string) =>
      signed.agent.post("/budgets/clear", { month, category });
    return { ...signed, db, id, spend, set, clear };
  }

  it("a budget set this month shows spent, left and over on the budgets page and the dashboard", async () => {
    const a = await account();
    await a.spend("Food", 4000n, "2026-03-02");
    await a.spend("Food", 2550n, "2026-03-19");
    await a.spend("Housing", 90000n, "2026-03-01");
    await a.spend("Food", 99999n, "2026-02-28"); // the month before: not this month's spending
    await a.spend("Salary", 500000n, "2026-03-01", "income");

    const res = await a.set("2026-03", a.id("Food"), "100");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/budgets?period=2026-03");
    expect((await a.set("2026-03", a.id("Housing"), "800.00")).status).toBe(303);
    expect((await a.set("2026-03", "all", "1500.5")).status).toBe(303);
    expect(await inForce(a.db, a.user.id, "2026-03")).toEqual({
      "All spending": 150050n,
      Food: 10000n,
      Housing: 80000n,
    });

    const page = await (await a.agent.get("/budgets")).text();
    expect(page).toContain("Budget of $1,500.50 a month set from March 2026.");
    expect(row(page, "Food")).toContain("$65.50");
    expect(row(page, "Food")).toContain("$34.50 left");
    expect(row(page, "Housing")).toContain("$100.00 over");
    expect(row(page, "All spending")).toContain("$965.50"); // 40 + 25.50 + 900
    expect(row(page, "All spending")).toContain("$535.00 left");
    expect(row(page, "Transport")).toContain("No budget");

    const dashboard = await (await a.agent.get("/")).text();
    expect(dashboard).toContain('data-budgets-over="1"');
    expect(dashboard).toMatch(/Over budget: Housing</);
    expect(dashboard).toContain("Over budget: $900.00 of $800.00 · $100.00 over");
    expect(dashboard).toContain("$65.50 of $100.00 · $34.50 left");
    // The chart draws bars, not Bootstrap progress bars (whose width needs a style attribute).
    expect(dashboard).toMatch(/<rect class="et-bar et-over"/);
    expect(dashboard).not.toContain("progress-bar");
    expect(dashboard).not.toMatch(/style=/);
  });

  it("a change from a later month leaves the months before as they were; setting a month again replaces later changes", async () => {
    const a = await account();
    await a.set("2026-03", a.id("Food"), "100");
    await a.set("2026-05", a.id("Food"), "150");
    expect(await inForce(a.db, a.user.id, "2026-02")).toEqual({});
    expect(await inForce(a.db, a.user.id, "2026-03")).toEqual({ Food: 10000n });
    expect(await inForce(a.db, a.user.id, "2026-04")).toEqual({ Food: 10000n });
    expect(await inForce(a.db, a.user.id, "2026-05")).toEqual({ Food: 15000n });
    expect(await inForce(a.db, a.user.id, "2031-01")).toEqual({ Food: 15000n });

    const april = await (await a.agent.get("/budgets?period=2026-04")).text();
    expect(april).toContain('value="100.00"');

    await a.set("2026-04", a.id("Food"), "120");
    expect(await inForce(a.db, a.user.id, "2026-03")).toEqual({ Food: 10000n });
    expect(await inForce(a.db, a.user.id, "2026-05")).toEqual({ Food: 12000n });
  });

  it("clearing ends the budget from that month; the month before keeps it", async () => {
    const a = await account();
    await a.set("2026-03", a.id("Food"), "100");
    await a.set("2026-03", "all", "900");
    const res = await a.clear("2026-04", a.id("Food"));
    expect(res.status).toBe(303);
    expect(await inForce(a.db, a.user.id, "2026-03")).toEqual({
      Food: 10000n,
      "All spending": 90000n,
    });
    expect(await inForce(a.db, a.user.id, "2026-04")).toEqual({ "All spending": 90000n });
    expect(await inForce(a.db, a.user.id, "2027-04")).toEqual({ "All spending": 90000n });
    // Clearing what is not set writes nothing.
    const before = await a.db.select().from(budgets).where(eq(budgets.userId, a.user.id));
    await a.clear("2026-06", a.id("Transport"));
    const after = await a.db.select().from(budgets).where(eq(budgets.userId, a.user.id));
    expect(after).toEqual(before);
  });

  it("refuses past months, bad amounts, income categories and another user's ids, changing nothing", async () => {
    const a = await account();
    const b = await account();
    await a.set("2026-03", a.id("Food"), "100");
    const stored = async () =>
      a.db.select().from(budgets).where(eq(budgets.userId, a.user.id)).orderBy(budgets.id);
    const before = await stored();

    const past = await a.set("2026-02", a.id("Food"), "50");
    expect(past.status).toBe(422);
    expect(await past.text()).toContain("Past months keep the budgets they had");
    for (const amount of ["", "0", "-5", "12.345", "1e3", "1000000000"]) {
      const bad = await a.set("2026-03", a.id("Food"), amount);
      expect(bad.status, amount).toBe(422);
      expect(await bad.text()).toContain(AMOUNT_RULE);
    }
    const month = await a.set("2026-13", a.id("Food"), "5");
    expect(month.status).toBe(422);
    expect(await month.text()).toContain("Choose a month as YYYY-MM");
    expect((await a.set("2026-03", a.id("Salary"), "5")).status).toBe(404);
    expect((await a.set("2026-03", b.id("Food"), "5")).status).toBe(404);
    expect((await a.clear("2026-03", b.id("Food"))).status).toBe(404);
    expect((await a.set("2026-03", "food", "5")).status).toBe(422);
    expect(await stored()).toEqual(before);
    expect(await b.db.select().from(budgets).where(eq(budgets.userId, b.user.id))).toEqual([]);

    const pastPage = await (await a.agent.get("/budgets?period=2026-02")).text();
    expect(pastPage).toContain("Past months keep the budgets they had");
    expect(pastPage).not.toContain('action="/budgets"');
    expect((await a.agent.get("/budgets?period=2026")).status).toBe(400);
  });

  it("removing a category into another adds its budgets to that one's, month by month", async () => {
    const a = await account();
    await a.set("2026-03", a.id("Food"), "100");
    await a.set("2026-04", a.id("Entertainment"), "50");
    await a.clear("2026-06", a.id("Entertainment"));
    await a.spend("Entertainment", 1200n, "2026-03-05");
    const res = await a.agent.post(`/categories/${a.id("Entertainment")}/remove`, {
      moveTo: a.id("Food"),
    });
    expect(res.status).toBe(303);
    expect(await inForce(a.db, a.user.id, "2026-03")).toEqual({ Food: 10000n });
    expect(await inForce(a.db, a.user.id, "2026-04")).toEqual({ Food: 15000n });
    expect(await inForce(a.db, a.user.id, "2026-06")).toEqual({ Food: 10000n });
    const page = await (await a.agent.get("/budgets")).text();
    expect(row(page, "Food")).toContain("$12.00");
  });

  it("with months starting on the 25th, a budget's spending runs from 25 February to 24 March", async () => {
    const a = await account(25);
    await a.spend("Food", 1000n, "2026-02-24"); // February's
    await a.spend("Food", 2000n, "2026-02-25");
    await a.spend("Food", 3000n, "2026-03-24");
    await a.spend("Food", 4000n, "2026-03-25"); // April's
    await a.set("2026-03", a.id("Food"), "40");
    const page = await (await a.agent.get("/budgets")).text();
    expect(page).toContain("2026-02-25 to 2026-03-24");
    expect(row(page, "Food")).toContain("$50.00");
    expect(row(page, "Food")).toContain("$10.00 over");
  });

  it("a year's dashboard says budgets are monthly", async () => {
    const a = await account();
    await a.set("2026-03", a.id("Food"), "100");
    const html = await (await a.agent.get("/?period=2026")).text();
    expect(html).toContain("Budgets are monthly");
  });
});
