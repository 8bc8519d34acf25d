// The dashboard's sums mix month_totals (whole calendar months) with rows (the days at the ends,
// and the first or last days of months that start on day d > 1). A property compares them, for
// random periods and start days, with sums worked out here from the rows themselves.
import { randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import fc from "fast-check";
import { beforeAll, expect, it } from "vitest";
import { listCategories } from "../src/data/categories.ts";
import { monthlyTotals, periodTotals, spendingByCategory } from "../src/data/dashboard.ts";
import { createUser } from "../src/data/users.ts";
import { type Transaction, transactions } from "../src/db/schema.ts";
import { addMonths, monthOf } from "../src/lib/periods.ts";
import { describeEachDatabase, TEST_PASSWORD } from "./support/harness.ts";

const DAY_MS = 86_400_000;
const isoDay = (base: string, plus: number) =>
  new Date(Date.parse(`${base}T00:00:00Z`) + plus * DAY_MS).toISOString().slice(0, 10);

function sums(rows: Transaction[]) {
  const of = (kind: string) =>
    rows.filter((r) => r.kind === kind).reduce((s, r) => s + r.amountCents, 0n);
  return { incomeCents: of("income"), expenseCents: of("expense") };
}

describeEachDatabase("period sums against the rows", (t) => {
  const db = () => t.current().db;
  let userId: number;
  let rows: Transaction[];

  beforeAll(async () => {
    const user = await createUser(db(), {
      email: `sums-${randomBytes(4).toString("hex")}@example.test`,
      password: TEST_PASSWORD,
    });
    userId = user.id;
    const cats = await listCategories(db(), userId);
    const ids = (kind: string) => `{${cats.filter((c) => c.kind === kind).map((c) => c.id)}}`;
    // Two and a half years, several rows on most days, both kinds, every category.
    await db().execute(sql`
      insert into transactions (user_id, kind, title, amount_cents, category_id, occurred_on)
      select ${userId}, 'expense', 'Spend', 1 + (g::bigint * 2654435761) % 999999,
        (${ids("expense")}::int[])[1 + g % cardinality(${ids("expense")}::int[])],
        date '2023-11-20' + (g * 7 / 5) % 900
      from generate_series(1, 1800) g`);
    await db().execute(sql`
      insert into transactions (user_id, kind, title, amount_cents, category_id, occurred_on)
      select ${userId}, 'income', 'Pay', 100000 + g * 37,
        (${ids("income")}::int[])[1 + g % 2], date '2023-11-20' + (g * 11) % 900
      from generate_series(1, 200) g`);
    rows = await db().select().from(transactions).where(eq(transactions.userId, userId));
  });

  const between = (from: string, to: string) =>
    rows.filter((r) => r.occurredOn >= from && r.occurredOn <= to);

  it("periodTotals and spendingByCategory equal the rows' sums for any period", async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(960), fc.nat(500), async (start, length) => {
        const from = isoDay("2023-10-01", start);
        const to = isoDay(from, length);
        const kept = between(from, to);
        expect(await periodTotals(db(), userId, from, to)).toMatchObject(sums(kept));
        const spending = await spendingByCategory(db(), userId, from, to);
        const expected = new Map<number, bigint>();
        for (const r of kept.filter((k) => k.kind === "expense")) {
          expected.set(r.categoryId, (expected.get(r.categoryId) ?? 0n) + r.amountCents);
        }
        expect(new Map(spending.map((s) => [s.categoryId, s.cents]))).toEqual(expected);
        const cents = spending.map((s) => s.cents);
        expect(cents).toEqual([...cents].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0)));
      }),
      { numRuns: 40 },
    );
  });

  it("monthlyTotals equals the rows' sums per month for any start day", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 28 }),
        fc.nat(30),
        fc.integer({ min: 1, max: 14 }),
        async (startDay, offset, count) => {
          const first = addMonths("2023-10", offset);
          const last = addMonths(first, count - 1);
          const got = await monthlyTotals(db(), userId, first, last, startDay);
          for (let m = first; m <= last; m = addMonths(m, 1)) {
            const kept = rows.filter((r) => monthOf(r.occurredOn, startDay) === m);
            expect(
              got.get(m) ?? { incomeCents: 0n, expenseCents: 0n },
              `${m} d=${startDay}`,
            ).toEqual(sums(kept));
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
