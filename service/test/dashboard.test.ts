// The dashboard's figures against sums the test works out itself from what it stored.
import { eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { listCategories } from "../src/data/categories.ts";
import { createTransaction } from "../src/data/transactions.ts";
import { users } from "../src/db/schema.ts";
import { formatMoney } from "../src/lib/money.ts";
import { PERIOD_RULE } from "../src/lib/periods.ts";
import { describeEachDatabase, signedInAgent, testApp } from "./support/harness.ts";

interface Seed {
  kind: "expense" | "income";
  category: string;
  cents: bigint;
  on: string;
  title: string;
}

// Spread over February to April 2026 and one day of 2025.
const SEED: Seed[] = [
  { kind: "expense", category: "Food", cents: 1250n, on: "2026-03-01", title: "Market" },
  { kind: "expense", category: "Food", cents: 3399n, on: "2026-03-24", title: "Groceries" },
  { kind: "expense", category: "Housing", cents: 120000n, on: "2026-03-03", title: "Rent" },
  { kind: "expense", category: "Transport", cents: 10n, on: "2026-03-31", title: "Bus" },
  { kind: "expense", category: "Health", cents: 4500n, on: "2026-03-15", title: "Dentist" },
  { kind: "expense", category: "Other", cents: 999n, on: "2026-03-16", title: "Gift wrap" },
  { kind: "expense", category: "Utilities", cents: 7777n, on: "2026-03-25", title: "Power" },
  { kind: "income", category: "Salary", cents: 350000n, on: "2026-03-28", title: "March pay" },
  { kind: "income", category: "Other income", cents: 1n, on: "2026-03-02", title: "Interest" },
  { kind: "expense", category: "Food", cents: 2000n, on: "2026-02-10", title: "Feb food" },
  { kind: "expense", category: "Food", cents: 500n, on: "2026-02-25", title: "Late Feb" },
  { kind: "income", category: "Salary", cents: 340000n, on: "2026-02-27", title: "Feb pay" },
  { kind: "income", category: "Salary", cents: 999n, on: "2026-04-02", title: "April bonus" },
  { kind: "expense", category: "Food", cents: 100n, on: "2025-12-31", title: "Old year" },
];

const sum = (rows: Seed[]) => rows.reduce((a, r) => a + r.cents, 0n);
const between = (from: string, to: string) => SEED.filter((r) => r.on >= from && r.on <= to);
const usd = (cents: bigint) => formatMoney(cents, "USD");
const shown = (html: string, key: string) =>
  new RegExp(`data-dashboard="${key}">([^<]*)<`).exec(html)?.[1];

describeEachDatabase("the dashboard", (t) => {
  let app: ReturnType<typeof testApp>;
  beforeAll(() => {
    app = testApp(t.current(), { now: () => new Date("2026-03-20T12:00:00Z") });
  });

  async function seeded(monthStartDay = 1) {
    const signed = await signedInAgent(app, t.current());
    const db = t.current().db;
    await db.update(users).set({ monthStartDay }).where(eq(users.id, signed.user.id));
    const cats = new Map((await listCategories(db, signed.user.id)).map((c) => [c.name, c.id]));
    for (const r of SEED) {
      await createTransaction(db, signed.user.id, {
        kind: r.kind,
        title: r.title,
        amountCents: r.cents,
        categoryId: cats.get(r.category) ?? 0,
        occurredOn: r.on,
        notes: null,
        paymentMethod: null,
      });
    }
    return { ...signed, cats };
  }

  const expectTotals = (html: string, rows: Seed[]) => {
    const income = sum(rows.filter((r) => r.kind === "income"));
    const expense = sum(rows.filter((r) => r.kind === "expense"));
    expect(shown(html, "income")).toBe(usd(income));
    expect(shown(html, "expense")).toBe(usd(expense));
    expect(shown(html, "net")).toBe(usd(income - expense));
  };

  it("shows the month of today by default: totals, the month before, spending by category, the largest five", async () => {
    const { agent, cats } = await seeded();
    const html = await (await agent.get("/")).text();
    expect(html).toContain('data-period="2026-03"');
    const march = between("2026-03-01", "2026-03-31");
    expectTotals(html, march);
    const feb = between("2026-02-01", "2026-02-28");
    expect(html).toContain(
      `vs ${usd(sum(feb.filter((r) => r.kind === "expense")))} in February 2026`,
    );
    // Spending by category: every expense category of March, largest first, with its share.
    const rows = [...html.matchAll(/<tr data-category="([^"]+)">[\s\S]*?<\/tr>/g)];
    const byCategory = new Map<string, bigint>();
    for (const r of march.filter((m) => m.kind === "expense")) {
      byCategory.set(r.category, (byCategory.get(r.category) ?? 0n) + r.cents);
    }
    const expected = [...byCategory].sort((a, b) => (a[1] === b[1] ? 0 : a[1] > b[1] ? -1 : 1));
    expect(rows.map((r) => r[1])).toEqual(expected.map(([name]) => name));
    expect(rows[0]?.[0]).toContain(usd(expected[0]?.[1] ?? 0n));
    expect(rows[0]?.[0]).toContain(
      `href="/transactions?from=2026-03-01&amp;to=2026-03-31&amp;category=${cats.get("Housing")}"`,
    );
    const largest = [...html.matchAll(/data-largest="\d+"[\s\S]*?<a [^>]*>([^<]*)</g)].map(
      (m) => m[1],
    );
    expect(largest).toEqual(["Rent", "Power", "Dentist", "Groceries", "Market"]);
    // Charts: server-rendered SVG with a text alternative, nothing the CSP would block.
    // Spending by category, the trend, and the budgets (none set: an empty chart that says so).
    expect(html.match(/<svg[^>]*role="img"/g)?.length).toBe(3);
    expect(html).toContain("No budgets set");
    expect(html).toContain("<title");
    expect(html).not.toMatch(/\sstyle=|<style|<script(?![^>]*src=)/);
  });

  it("a whole year sums its twelve months and its trend has them all", async () => {
    const { agent } = await seeded();
    const html = await (await agent.get("/?period=2026")).text();
    expect(html).toContain('data-period="2026"');
    expectTotals(html, between("2026-01-01", "2026-12-31"));
    expect(html).toContain("Months of 2026");
    expect(html).toContain(`vs ${usd(100n)} in 2025`);
  });

  it("an empty period shows zeros and says there is nothing, and a period with only income has no spending", async () => {
    const { agent } = await seeded();
    const empty = await (await agent.get("/?period=2024-06")).text();
    expectTotals(empty, []);
    expect(empty).toContain("No spending in this period");
    expect(empty).toContain("No expenses in this period.");
    const april = await (await agent.get("/?period=2026-04")).text();
    expectTotals(april, between("2026-04-01", "2026-04-30"));
    expect(april).toContain("No spending in this period");
  });

  it("with months starting on the 25th, March runs from 25 February to 24 March", async () => {
    const { agent } = await seeded(25);
    const html = await (await agent.get("/?period=2026-03")).text();
    expect(html).toContain("2026-02-25 to 2026-03-24");
    expectTotals(html, between("2026-02-25", "2026-03-24"));
    // Today (20 March) is in March's period; the 25th would begin April's.
    expect(await (await agent.get("/")).text()).toContain('data-period="2026-03"');
  });

  it.each(["2026-13", "26-03", "march", "2026-3", "1899"])(
    "period=%s is refused with 400 and says what is accepted",
    async (period) => {
      const { agent } = await signedInAgent(app, t.current());
      const res = await agent.get(`/?period=${period}`);
      expect(res.status).toBe(400);
      expect(await res.text()).toContain(PERIOD_RULE);
    },
  );
});
