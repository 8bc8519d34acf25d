// The list's totals read month_totals for whole months without a text search, and give the same
// figures as summing the rows; other ranges and searches still sum the rows.
import { randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { listCategories } from "../src/data/categories.ts";
import { monthRangeTotals, monthRangeTotalsBy, splitRange } from "../src/data/month-totals.ts";
import {
  type Totals,
  type TransactionFilter,
  totalTransactions,
} from "../src/data/transactions.ts";
import { createUser } from "../src/data/users.ts";
import { monthTotals, type Transaction, transactions } from "../src/db/schema.ts";
import { describeEachDatabase, TEST_PASSWORD } from "./support/harness.ts";

describe("splitRange", () => {
  it("takes whole calendar months as months, leap days included, and the open ends as open", () => {
    expect(splitRange({})).toEqual({ months: {}, rows: [] });
    expect(splitRange({ from: "2024-02-01", to: "2024-02-29" })).toEqual({
      months: { fromMonth: "2024-02", toMonth: "2024-02" },
      rows: [],
    });
    expect(splitRange({ to: "2023-02-28" })).toEqual({ months: { toMonth: "2023-02" }, rows: [] });
  });

  it("leaves the days at either end to the rows", () => {
    expect(splitRange({ from: "2024-02-25", to: "2024-04-24" })).toEqual({
      months: { fromMonth: "2024-03", toMonth: "2024-03" },
      rows: [
        { from: "2024-02-25", to: "2024-02-29" },
        { from: "2024-04-01", to: "2024-04-24" },
      ],
    });
    expect(splitRange({ from: "2024-12-25", to: "2025-12-24" })).toEqual({
      months: { fromMonth: "2025-01", toMonth: "2025-11" },
      rows: [
        { from: "2024-12-25", to: "2024-12-31" },
        { from: "2025-12-01", to: "2025-12-24" },
      ],
    });
    expect(splitRange({ from: "2025-01-02" })).toEqual({
      months: { fromMonth: "2025-02" },
      rows: [{ from: "2025-01-02", to: "2025-01-31" }],
    });
    expect(splitRange({ to: "2024-02-28" })).toEqual({
      months: { toMonth: "2024-01" },
      rows: [{ from: "2024-02-01", to: "2024-02-28" }],
    });
  });

  it("is all rows without a whole month inside, and refuses malformed dates", () => {
    const within = { from: "2024-03-05", to: "2024-03-20" };
    expect(splitRange(within)).toEqual({ months: undefined, rows: [within] });
    const across = { from: "2024-02-25", to: "2024-03-24" };
    expect(splitRange(across)).toEqual({ months: undefined, rows: [across] });
    expect(splitRange({ to: "2025-04-31x" })).toBeUndefined();
    expect(splitRange({ from: "20250101" })).toBeUndefined();
  });
});

/** The totals of the rows a filter keeps, computed here, independently of SQL. */
function expected(rows: Transaction[], f: TransactionFilter): Totals {
  const q = f.q?.toLowerCase();
  const kept = rows.filter(
    (r) =>
      (!f.from || r.occurredOn >= f.from) &&
      (!f.to || r.occurredOn <= f.to) &&
      (!f.categoryId || r.categoryId === f.categoryId) &&
      (!f.kind || r.kind === f.kind) &&
      (!q || r.title.toLowerCase().includes(q) || (r.notes ?? "").toLowerCase().includes(q)),
  );
  const sum = (k: string) =>
    kept.filter((r) => r.kind === k).reduce((s, r) => s + r.amountCents, 0n);
  const incomeCents = sum("income");
  const expenseCents = sum("expense");
  return { incomeCents, expenseCents, netCents: incomeCents - expenseCents, count: kept.length };
}

describeEachDatabase("list totals from month_totals", (t) => {
  const db = () => t.current().db;
  let userId: number;
  let rows: Transaction[];
  let food: number;
  let salary: number;

  beforeAll(async () => {
    const user = await createUser(db(), {
      email: `list-${randomBytes(4).toString("hex")}@example.test`,
      password: TEST_PASSWORD,
    });
    userId = user.id;
    const cats = await listCategories(db(), userId);
    food = cats.find((c) => c.name === "Food")?.id ?? 0;
    salary = cats.find((c) => c.name === "Salary")?.id ?? 0;
    const expense = `{${cats.filter((c) => c.kind === "expense").map((c) => c.id)}}`;
    // Two years of days, amounts up to 10^11 - 1 cents, "coffee" in some titles.
    await db().execute(sql`
      insert into transactions (user_id, kind, title, amount_cents, category_id, occurred_on)
      select ${userId}, 'expense', case when g % 7 = 0 then 'Coffee beans' else 'Groceries' end,
        1 + (g::bigint * 2654435761) % 99999999999,
        (${expense}::int[])[1 + g % cardinality(${expense}::int[])],
        date '2024-01-01' + g % 731
      from generate_series(1, 1500) g`);
    await db().execute(sql`
      insert into transactions (user_id, kind, title, amount_cents, category_id, occurred_on)
      select ${userId}, 'income', 'Pay', 250000000 + g, ${salary}, date '2024-01-15' + (g * 30)
      from generate_series(0, 23) g`);
    rows = await db().select().from(transactions).where(eq(transactions.userId, userId));
  });

  const aligned: TransactionFilter[] = [
    {},
    { from: "2024-02-01", to: "2024-02-29" },
    { from: "2025-01-01", to: "2025-12-31" },
    { from: "2024-07-01" },
    { to: "2024-03-31" },
    { from: "2024-01-01", to: "2024-06-30", categoryId: 0 },
    { from: "2024-01-01", to: "2024-06-30", kind: "income" },
    { from: "2025-03-01", to: "2025-05-31", kind: "expense" },
    { from: "2030-01-01", to: "2030-01-31" },
  ];

  it("gives the same figures as the rows for whole months, all time, a category and a kind", async () => {
    const filters = [...aligned, { categoryId: food }, { from: "2024-05-01", categoryId: food }];
    for (const f of filters) {
      expect(splitRange(f)?.rows).toEqual([]);
      expect(await totalTransactions(db(), userId, f)).toEqual(expected(rows, f));
    }
    const all = await totalTransactions(db(), userId, {});
    expect(all.count).toBe(1524);
  });

  it("gives the same figures for partial months, whole months with days at the ends, and text searches", async () => {
    const filters: TransactionFilter[] = [
      { from: "2024-02-02", to: "2024-02-29" },
      { from: "2024-02-01", to: "2024-02-28" },
      { from: "2024-01-25", to: "2024-03-24" },
      { from: "2024-12-25", to: "2025-12-24" },
      { from: "2024-07-10" },
      { to: "2025-03-15" },
      { from: "2024-02-25", to: "2025-11-03", categoryId: food },
      { from: "2024-02-25", to: "2025-11-03", kind: "income" },
      { q: "coffee" },
      { q: "COFFEE", from: "2024-01-01", to: "2024-12-31" },
      { q: "nothing matches this" },
    ];
    for (const f of filters) {
      expect(await totalTransactions(db(), userId, f)).toEqual(expected(rows, f));
    }
    expect((await totalTransactions(db(), userId, { q: "coffee" })).count).toBeGreaterThan(100);
  });

  it("reads month_totals for whole months and the rows otherwise", async () => {
    // Only to see which source answers: a cent added to the table behind the triggers' back.
    const month = { from: "2024-02-01", to: "2024-02-29" };
    const before = await totalTransactions(db(), userId, month);
    await db()
      .update(monthTotals)
      .set({ cents: sql`${monthTotals.cents} + 1` })
      .where(
        sql`${monthTotals.userId} = ${userId} and ${monthTotals.month} = '2024-02-01'
          and ${monthTotals.categoryId} = ${food}`,
      );
    try {
      const viaTable = await totalTransactions(db(), userId, month);
      expect(viaTable.expenseCents).toBe(before.expenseCents + 1n);
      // February whole inside a longer range: from the table; part of February: from the rows.
      const around = { from: "2024-01-25", to: "2024-03-05" };
      expect((await totalTransactions(db(), userId, around)).expenseCents).toBe(
        expected(rows, around).expenseCents + 1n,
      );
      const part = { from: "2024-02-02", to: "2024-02-29" };
      expect(await totalTransactions(db(), userId, part)).toEqual(expected(rows, part));
      const viaRows = await totalTransactions(db(), userId, { ...month, q: "e" });
      expect(viaRows).toEqual(expected(rows, { ...month, q: "e" }));
    } finally {
      await db()
        .update(monthTotals)
        .set({ cents: sql`${monthTotals.cents} - 1` })
        .where(
          sql`${monthTotals.userId} = ${userId} and ${monthTotals.month} = '2024-02-01'
            and ${monthTotals.categoryId} = ${food}`,
        );
    }
  });

  it("monthRangeTotals and monthRangeTotalsBy add up per category and per kind", async () => {
    const range = { fromMonth: "2024-03", toMonth: "2025-02" };
    const f = { from: "2024-03-01", to: "2025-02-28" };
    const total = await monthRangeTotals(db(), userId, range);
    expect(total).toEqual(expected(rows, f));
    const byCategory = await monthRangeTotalsBy(db(), userId, range, "category");
    for (const g of byCategory) {
      expect(g).toEqual({
        ...expected(rows, { ...f, categoryId: g.categoryId }),
        categoryId: g.categoryId,
        kind: g.kind,
      });
    }
    expect(byCategory.reduce((n, g) => n + g.count, 0)).toBe(total.count);
    const byKind = await monthRangeTotalsBy(db(), userId, range, "kind");
    expect(byKind.map((g) => [g.kind, g.count])).toEqual([
      ["expense", expected(rows, { ...f, kind: "expense" }).count],
      ["income", 12],
    ]);
    await expect(monthRangeTotals(db(), userId, { fromMonth: "2024-3" })).rejects.toThrow(
      /YYYY-MM/,
    );
  });
});
