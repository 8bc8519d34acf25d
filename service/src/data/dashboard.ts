// The dashboard's figures for a period (inclusive dates), exact in bigint cents: the whole
// calendar months inside it from month_totals, the days left over from the transactions.
import { and, asc, desc, eq, gte, lte, or, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { categories, monthTotals, transactions } from "../db/schema.ts";
import { addMonths, endOfMonth } from "../lib/periods.ts";
import { type DateRange, splitRange } from "./month-totals.ts";
import { totalTransactions } from "./transactions.ts";

export interface KindTotals {
  incomeCents: bigint;
  expenseCents: bigint;
}

const inPeriod = (userId: number, from: string, to: string) =>
  and(
    eq(transactions.userId, userId),
    gte(transactions.occurredOn, from),
    lte(transactions.occurredOn, to),
  );

/** Rows of the user's dated within any of the ranges. */
const inRanges = (userId: number, ranges: DateRange[]) =>
  and(
    eq(transactions.userId, userId),
    or(
      ...ranges.map((r) =>
        and(
          r.from ? gte(transactions.occurredOn, r.from) : undefined,
          r.to ? lte(transactions.occurredOn, r.to) : undefined,
        ),
      ),
    ),
  );

const sumOf = (kind: "income" | "expense") =>
  sql<string>`coalesce(sum(${transactions.amountCents}) filter (where ${transactions.kind} = ${kind}), 0)::text`;

/** Income and expenses of the period: its whole calendar months from month_totals, the rest from rows. */
export async function periodTotals(
  db: Db,
  userId: number,
  from: string,
  to: string,
): Promise<KindTotals> {
  return totalTransactions(db, userId, { from, to });
}

export interface CategorySpending {
  categoryId: number;
  name: string;
  color: number;
  cents: bigint;
}

const categoryColumns = {
  categoryId: categories.id,
  name: categories.name,
  color: categories.color,
};

/** Expenses per category in the period, largest first; categories with none are left out. */
export async function spendingByCategory(
  db: Db,
  userId: number,
  from: string,
  to: string,
): Promise<CategorySpending[]> {
  const parts = splitRange({ from, to });
  const months = parts?.months;
  const fromRows = (ranges: DateRange[]) =>
    db
      .select({ ...categoryColumns, cents: sql<string>`sum(${transactions.amountCents})::text` })
      .from(transactions)
      .innerJoin(categories, eq(categories.id, transactions.categoryId))
      .where(and(inRanges(userId, ranges), eq(transactions.kind, "expense")))
      .groupBy(categories.id, categories.name, categories.color);
  const lists = await Promise.all([
    months
      ? db
          .select({ ...categoryColumns, cents: sql<string>`sum(${monthTotals.cents})::text` })
          .from(monthTotals)
          .innerJoin(categories, eq(categories.id, monthTotals.categoryId))
          .where(and(monthTotalsIn(userId, months), eq(monthTotals.kind, "expense")))
          .groupBy(categories.id, categories.name, categories.color)
      : Promise.resolve([]),
    ...(months
      ? parts.rows.length > 0
        ? [fromRows(parts.rows)]
        : []
      : [fromRows([{ from, to }])]),
  ]);
  const byId = new Map<number, CategorySpending>();
  for (const r of lists.flat()) {
    const seen = byId.get(r.categoryId);
    if (seen) seen.cents += BigInt(r.cents);
    else byId.set(r.categoryId, { ...r, cents: BigInt(r.cents) });
  }
  return [...byId.values()].sort((a, b) =>
    a.cents === b.cents ? a.name.localeCompare(b.name) : a.cents > b.cents ? -1 : 1,
  );
}

const monthTotalsIn = (userId: number, m: { fromMonth?: string; toMonth?: string }) =>
  and(
    eq(monthTotals.userId, userId),
    m.fromMonth ? gte(monthTotals.month, `${m.fromMonth}-01`) : undefined,
    m.toMonth ? lte(monthTotals.month, `${m.toMonth}-01`) : undefined,
  );

type MonthMap = Map<string, KindTotals>;
const toMap = (rows: { month: string; income: string; expense: string }[]): MonthMap =>
  new Map(
    rows.map((r) => [r.month, { incomeCents: BigInt(r.income), expenseCents: BigInt(r.expense) }]),
  );

/** Calendar months' income and expenses, from month_totals. */
async function calendarMonthTotals(db: Db, userId: number, first: string, last: string) {
  const of = (kind: "income" | "expense") =>
    sql<string>`coalesce(sum(${monthTotals.cents}) filter (where ${monthTotals.kind} = ${kind}), 0)::text`;
  const rows = await db
    .select({
      month: sql<string>`to_char(${monthTotals.month}, 'YYYY-MM')`,
      income: of("income"),
      expense: of("expense"),
    })
    .from(monthTotals)
    .where(monthTotalsIn(userId, { fromMonth: first, toMonth: last }))
    .groupBy(monthTotals.month);
  return toMap(rows);
}

/** Income and expenses of the rows in the ranges, per calendar month. */
async function rowsByCalendarMonth(db: Db, userId: number, ranges: DateRange[]) {
  const rows = await db
    .select({
      month: sql<string>`to_char(${transactions.occurredOn}, 'YYYY-MM')`,
      income: sumOf("income"),
      expense: sumOf("expense"),
    })
    .from(transactions)
    .where(inRanges(userId, ranges))
    .groupBy(sql`1`);
  return toMap(rows);
}

const ZERO: KindTotals = { incomeCents: 0n, expenseCents: 0n };
const plus = (a: KindTotals = ZERO, b: KindTotals = ZERO): KindTotals => ({
  incomeCents: a.incomeCents + b.incomeCents,
  expenseCents: a.expenseCents + b.expenseCents,
});
const minus = (a: KindTotals = ZERO, b: KindTotals = ZERO): KindTotals => ({
  incomeCents: a.incomeCents - b.incomeCents,
  expenseCents: a.expenseCents - b.expenseCents,
});

/**
 * Income and expenses for each of the user's months from `first` to `last` (`YYYY-MM`). A month
 * that starts on day d > 1 runs from day d of the calendar month before: it is that calendar
 * month's total (month_totals) less its first d-1 days, plus its own first d-1 days, or, when the
 * ends are the shorter, its own calendar total less its days from d on, plus the month before's.
 * Either way only a few days of rows per month are read.
 */
export async function monthlyTotals(
  db: Db,
  userId: number,
  first: string,
  last: string,
  startDay: number,
): Promise<MonthMap> {
  if (startDay === 1) return calendarMonthTotals(db, userId, first, last);
  const keys: string[] = [];
  for (let m = first; m <= last; m = addMonths(m, 1)) keys.push(m);
  const d = String(startDay).padStart(2, "0");
  const before = String(startDay - 1).padStart(2, "0");
  // Days 1..d-1 against days d..end (at most 32-d): read whichever is shorter.
  const heads = startDay - 1 <= 32 - startDay;
  const edgeMonths = [addMonths(first, -1), ...keys];
  const [calendar, edges] = await Promise.all([
    heads
      ? calendarMonthTotals(db, userId, addMonths(first, -1), addMonths(last, -1))
      : calendarMonthTotals(db, userId, first, last),
    rowsByCalendarMonth(
      db,
      userId,
      edgeMonths.map((m) =>
        heads
          ? { from: `${m}-01`, to: `${m}-${before}` }
          : { from: `${m}-${d}`, to: endOfMonth(m) },
      ),
    ),
  ]);
  return new Map(
    keys.map((m) => {
      const previous = addMonths(m, -1);
      const totals = heads
        ? plus(minus(calendar.get(previous), edges.get(previous)), edges.get(m))
        : plus(minus(calendar.get(m), edges.get(m)), edges.get(previous));
      return [m, totals];
    }),
  );
}

export interface LargeExpense {
  id: number;
  title: string;
  occurredOn: string;
  categoryName: string;
  amountCents: bigint;
}

export async function largestExpenses(
  db: Db,
  userId: number,
  from: string,
  to: string,
  limit = 5,
): Promise<LargeExpense[]> {
  return db
    .select({
      id: transactions.id,
      title: transactions.title,
      occurredOn: transactions.occurredOn,
      categoryName: categories.name,
      amountCents: transactions.amountCents,
    })
    .from(transactions)
    .innerJoin(categories, eq(categories.id, transactions.categoryId))
    .where(and(inPeriod(userId, from, to), eq(transactions.kind, "expense")))
    .orderBy(desc(transactions.amountCents), desc(transactions.occurredOn), desc(transactions.id))
    .limit(limit);
}

/** The first and last dates the user has transactions on (two index look-ups). */
export async function dataSpan(
  db: Db,
  userId: number,
): Promise<{ first: string; last: string } | undefined> {
  const edge = (order: "asc" | "desc") =>
    db
      .select({ d: transactions.occurredOn })
      .from(transactions)
      .where(eq(transactions.userId, userId))
      .orderBy(order === "asc" ? asc(transactions.occurredOn) : desc(transactions.occurredOn))
      .limit(1);
  const [[first], [last]] = await Promise.all([edge("asc"), edge("desc")]);
  return first && last ? { first: first.d, last: last.d } : undefined;
}
