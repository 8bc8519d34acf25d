// month_totals is kept by triggers on transactions: after any sequence of writes, by any path,
// it equals a fresh GROUP BY over the transactions, on both databases.
import { randomBytes } from "node:crypto";
import { and, eq, gte, lt, sql } from "drizzle-orm";
import fc from "fast-check";
import { expect, it } from "vitest";
import { createCategory, removeCategory } from "../src/data/categories.ts";
import {
  createTransaction,
  deleteTransaction,
  updateTransaction,
} from "../src/data/transactions.ts";
import type { Db } from "../src/db/client.ts";
import {
  categories,
  LIMITS,
  TRANSACTION_KINDS,
  type TransactionKind,
  transactions,
  users,
} from "../src/db/schema.ts";
import { describeEachDatabase } from "./support/harness.ts";
import { groupedTransactions, storedTotals } from "./support/month-totals.ts";

// Two years, so that random dates often share a month and edits often cross one.
const FIRST_MONTH = { year: 2024, month: 1 };
const MONTHS = 24;

const kind = fc.constantFrom(...TRANSACTION_KINDS);
const amount = fc.bigInt({ min: 1n, max: LIMITS.maxAmountCents - 1n });
// Day 31 is clamped to the month's last day, so month ends come up often.
const date = fc
  .record({ m: fc.nat(MONTHS - 1), d: fc.integer({ min: 1, max: 31 }) })
  .map(({ m, d }) => {
    const year = FIRST_MONTH.year + Math.floor(m / 12);
    const month = (m % 12) + 1;
    const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
    return `${year}-${String(month).padStart(2, "0")}-${String(Math.min(d, last)).padStart(2, "0")}`;
  });

const step = fc.oneof(
  fc.record({ op: fc.constant("create" as const), kind, pick: fc.nat(), amount, date }),
  fc.record({
    op: fc.constant("edit" as const),
    pick: fc.nat(),
    date: fc.option(date),
    kind: fc.option(kind),
    category: fc.option(fc.nat()),
    amount: fc.option(amount),
  }),
  fc.record({ op: fc.constant("delete" as const), pick: fc.nat() }),
  fc.record({ op: fc.constant("move" as const), kind, from: fc.nat(), to: fc.nat() }),
  fc.record({
    op: fc.constant("bulkInsert" as const),
    kind,
    pick: fc.nat(),
    rows: fc.integer({ min: 1, max: 60 }),
    seed: fc.nat(1000),
  }),
  fc.record({
    op: fc.constant("bulkShift" as const),
    month: date,
    days: fc.integer({ min: -40, max: 40 }),
  }),
  fc.record({ op: fc.constant("bulkDelete" as const), month: date }),
);
type Step = typeof step extends fc.Arbitrary<infer S> ? S : never;

const nth = <T>(list: readonly T[], i: number): T | undefined => list[i % Math.max(list.length, 1)];
const monthStart = (d: string) => `${d.slice(0, 7)}-01`;

/** A user made directly (no password hash to compute) with two categories of each kind. */
async function newUser(db: Db): Promise<number> {
  const [user] = await db
    .insert(users)
    .values({ email: `totals-${randomBytes(5).toString("hex")}@example.test`, passwordHash: "-" })
    .returning({ id: users.id });
  if (!user) throw new Error("no user");
  for (const k of TRANSACTION_KINDS) {
    for (const n of [1, 2, 3])
      await createCategory(db, user.id, { name: `${k} ${n}`, kind: k, color: n });
  }
  return user.id;
}

async function categoryIds(db: Db, userId: number, k: TransactionKind): Promise<number[]> {
  const rows = await db
    .select({ id: categories.id })
    .from(categories)
    .where(and(eq(categories.userId, userId), eq(categories.kind, k)))
    .orderBy(categories.id);
  return rows.map((r) => r.id);
}

async function apply(db: Db, userId: number, s: Step): Promise<void> {
  const held = await db
    .select()
    .from(transactions)
    .where(eq(transactions.userId, userId))
    .orderBy(transactions.id);
  const base = { title: "Spent", notes: null, paymentMethod: null };
  switch (s.op) {
    case "create": {
      const categoryId = nth(await categoryIds(db, userId, s.kind), s.pick);
      if (categoryId === undefined) return;
      await createTransaction(db, userId, {
        ...base,
        kind: s.kind,
        categoryId,
        amountCents: s.amount,
        occurredOn: s.date,
      });
      return;
    }
    case "edit": {
      const t = nth(held, s.pick);
      if (!t) return;
      const k = s.kind ?? t.kind;
      // A transaction's category must be of its kind: a new kind brings one of that kind.
      const choices = await categoryIds(db, userId, k);
      const categoryId =
        s.category !== null || k !== t.kind ? nth(choices, s.category ?? 0) : t.categoryId;
      if (categoryId === undefined) return;
      await updateTransaction(db, userId, t.id, {
        ...base,
        kind: k,
        categoryId,
        amountCents: s.amount ?? t.amountCents,
        occurredOn: s.date ?? t.occurredOn,
      });
      return;
    }
    case "delete": {
      const t = nth(held, s.pick);
      if (t) await deleteTransaction(db, userId, t.id);
      return;
    }
    case "move": {
      const ids = await categoryIds(db, userId, s.kind);
      if (ids.length < 2) return;
      const from = nth(ids, s.from) as number;
      const others = ids.filter((id) => id !== from);
      await removeCategory(db, userId, from, nth(others, s.to));
      // Keeps a supply of categories for later steps.
      await createCategory(db, userId, {
        name: `${s.kind} ${randomBytes(3).toString("hex")}`,
        kind: s.kind,
        color: 0,
      });
      return;
    }
    case "bulkInsert": {
      const categoryId = nth(await categoryIds(db, userId, s.kind), s.pick);
      if (categoryId === undefined) return;
      // One INSERT ... SELECT spreading rows over many months, as the bench and imports do.
      await db.execute(sql`
        insert into transactions (user_id, kind, title, amount_cents, category_id, occurred_on)
        select ${userId}, ${s.kind}, 'Bulk', 1 + (g * 7919 + ${s.seed}) % 99999999999,
          ${categoryId}, date '2024-01-01' + ((g * 37 + ${s.seed}) % 730)
        from generate_series(1, ${s.rows}) g`);
      return;
    }
    case "bulkShift": {
      // One UPDATE moving a whole month's rows by some days: many keys change at once.
      const from = monthStart(s.month);
      await db
        .update(transactions)
        .set({ occurredOn: sql`${transactions.occurredOn} + ${s.days}::int` })
        .where(
          and(
            eq(transactions.userId, userId),
            gte(transactions.occurredOn, from),
            lt(transactions.occurredOn, sql`${from}::date + interval '1 month'`),
          ),
        );
      return;
    }
    case "bulkDelete": {
      const from = monthStart(s.month);
      await db
        .delete(transactions)
        .where(
          and(
            eq(transactions.userId, userId),
            gte(transactions.occurredOn, from),
            lt(transactions.occurredOn, sql`${from}::date + interval '1 month'`),
          ),
        );
      return;
    }
  }
}

describeEachDatabase("month_totals kept by the triggers", (t) => {
  const db = () => t.current().db;

  it("equals a fresh GROUP BY after every step of random creates, edits, deletes, moves and bulk writes", async () => {
    let steps = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), async (plan) => {
        const userId = await newUser(db());
        for (const s of plan) {
          await apply(db(), userId, s);
          steps++;
          expect(await storedTotals(db())).toEqual(await groupedTransactions(db()));
        }
      }),
      { numRuns: 30 },
    );
    expect(steps).toBeGreaterThan(30);
    // Not vacuous: the random writes left totals behind to compare.
    expect((await storedTotals(db())).length).toBeGreaterThan(0);
  }, 300_000);

  it("deleting a user removes their totals with their transactions and leaves the others' alone", async () => {
    const [gone, kept] = [await newUser(db()), await newUser(db())];
    for (const userId of [gone, kept]) {
      await apply(db(), userId, { op: "bulkInsert", kind: "expense", pick: 0, rows: 50, seed: 3 });
      await apply(db(), userId, { op: "bulkInsert", kind: "income", pick: 1, rows: 20, seed: 5 });
    }
    const keptBefore = (await storedTotals(db())).filter((r) => r.user_id === kept);
    await db().delete(users).where(eq(users.id, gone));
    const after = await storedTotals(db());
    expect(after.filter((r) => r.user_id === gone)).toEqual([]);
    expect(after.filter((r) => r.user_id === kept)).toEqual(keptBefore);
    expect(keptBefore.length).toBeGreaterThan(0);
    expect(after).toEqual(await groupedTransactions(db()));
  });

  it("an edit of the title only leaves the month's totals as they were", async () => {
    const userId = await newUser(db());
    await apply(db(), userId, { op: "bulkInsert", kind: "expense", pick: 0, rows: 10, seed: 1 });
    const before = await storedTotals(db());
    await db()
      .update(transactions)
      .set({ title: "Renamed" })
      .where(eq(transactions.userId, userId));
    expect(await storedTotals(db())).toEqual(before);
  });
});
