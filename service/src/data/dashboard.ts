// The dashboard's figures for a period (inclusive dates), exact in bigint cents: the whole
// calendar months inside it from month_totals, the days left over from the transactions.
import { and, desc, eq, gte, lte, or, type Placeholder, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { type Bound, placeholdersFor, prepared, shapeOf } from "../db/prepared.ts";
import { categories, monthTotals, transactions } from "../db/schema.ts";
import { addMonths, endOfMonth } from "../lib/periods.ts";
import { type DateRange, rangeConditions, rangeValues, splitRange } from "./month-totals.ts";
import { totalTransactions } from "./transactions.ts";

export interface KindTotals {
  incomeCents: bigint;
  expenseCents: bigint;
}

/** Rows of the user's dated within any of the ranges. */
const inRanges = (userId: Placeholder, ranges: Bound<DateRange>[]) =>
  and(
    eq(transactions.userId, userId),
    or(
      ...ranges.map((r) =>
        and(
          r.from !== undefined ? gte(transactions.occurredOn, r.from) : undefined,
          r.to !== undefined ? lte(transactions.occurredOn, r.to) : undefined,
        ),
      ),
    ),
  );

/** Ranges as a prepared query's values (from0, to0, from1...), their shape, and placeholders. */
function dateRangeValues(userId: number, ranges: DateRange[]) {
  const values: Record<string, string | number> = { userId };
  ranges.forEach((r, i) => {
    if (r.from) values[`from${i}`] = r.from;
    if (r.to) values[`to${i}`] = r.to;
  });
  const shape = shapeOf(values);
  const at = (name: string) => (name in values ? sql.placeholder(name) : undefined);
  const where = () =>
    inRanges(
      sql.placeholder("userId"),
      ranges.map((_, i) => ({ from: at(`from${i}`), to: at(`to${i}`) })),
    );
  return { values, shape, where };
}

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
  const fromRows = (ranges: DateRange[]) => {
    const r = dateRangeValues(userId, ranges);
    return prepared(db, `dash_spending_rows_${r.shape}`, (name) =>
      db
        .select({ ...categoryColumns, cents: sql<string>`sum(${transactions.amountCents})::text` })
        .from(transactions)
        .innerJoin(categories, eq(categories.id, transactions.categoryId))
        .where(and(r.where(), eq(transactions.kind, "expense")))
        .groupBy(categories.id, categories.name, categories.color)
        .prepare(name),
    ).execute(r.values);
  };
  const fromMonths = (m: { fromMonth?: string; toMonth?: string }) => {
    const values = rangeValues(userId, m);
    return prepared(db, `dash_spending_months_${shapeOf(values)}`, (name) =>
      db
        .select({ ...categoryColumns, cents: sql<string>`sum(${monthTotals.cents})::text` })
        .from(monthTotals)
        .innerJoin(categories, eq(categories.id, monthTotals.categoryId))
        .where(and(rangeConditions(placeholdersFor(values)), eq(monthTotals.kind, "expense")))
        .groupBy(categories.id, categories.name, categories.color)
        .prepare(name),
    ).execute(values);
  };
  const lists = await Promise.all([
    months ? fromMonths(months) : Promise.resolve([]),
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

type MonthMap = Map<string, KindTotals>;
const toMap = (rows: { month: string; income: string; expense: string }[]): MonthMap =>
  new Map(
    rows.map((r) => [r.month, { incomeCents: BigInt(r.income), expenseCents: BigInt(r.expense) }]),
  );

/** Calendar months' income and expenses, from month_totals. */
async function calendarMonthTotals(db: Db, userId: number, first: string, last: string) {
  const of = (kind: "income" | "expense") =>
    sql<string>`coalesce(sum(${monthTotals.cents}) filter (where ${monthTotals.kind} = ${kind}), 0)::text`;
  const values = rangeValues(userId, { fromMonth: first, toMonth: last });
  const query = prepared(db, `dash_months_${shapeOf(values)}`, (name) =>
    db
      .select({
        month: sql<string>`to_char(${monthTotals.month}, 'YYYY-MM')`,
        income: of("income"),
        expense: of("expense"),
      })
      .from(monthTotals)
      .where(rangeConditions(placeholdersFor(values)))
      .groupBy(monthTotals.month)
      .prepare(name),
  );
  return toMap(await query.execute(values));
}

/** Income and expenses of the rows in the ranges, per calendar month. */
async function rowsByCalendarMonth(db: Db, userId: number, ranges: DateRange[]) {
  const r = dateRangeValues(userId, ranges);
  const query = prepared(db, `dash_month_rows_${r.shape}`, (name) =>
    db
      .select({
        month: sql<string>`to_char(${transactions.occurredOn}, 'YYYY-MM')`,
        income: sumOf("income"),
        expense: sumOf("expense"),
      })
      .from(transactions)
      .where(r.where())
      .groupBy(sql`1`)
      .prepare(name),
  );
  return toMap(await query.execute(r.values));
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
  const p = sql.placeholder;
  const query = prepared(db, "dash_largest", (name) =>
    db
      .select({
        id: transactions.id,
        title: transactions.title,
        occurredOn: transactions.occurredOn,
        categoryName: categories.name,
        amountCents: transactions.amountCents,
      })
      .from(transactions)
      .innerJoin(categories, eq(categories.id, transactions.categoryId))
      .where(
        and(
          eq(transactions.userId, p("userId")),
          gte(transactions.occurredOn, p("from")),
          lte(transactions.occurredOn, p("to")),
          eq(transactions.kind, "expense"),
        ),
      )
      .orderBy(desc(transactions.amountCents), desc(transactions.occurredOn), desc(transactions.id))
      .limit(p("limit"))
      .prepare(name),
  );
  return query.execute({ userId, from, to, limit });
}

/** The first and last dates the user has transactions on (min and max read from the index). */
export async function dataSpan(
  db: Db,
  userId: number,
): Promise<{ first: string; last: string } | undefined> {
  const query = prepared(db, "dash_span", (name) =>
    db
      .select({
        first: sql<string | null>`min(${transactions.occurredOn})`,
        last: sql<string | null>`max(${transactions.occurredOn})`,
      })
      .from(transactions)
      .where(eq(transactions.userId, sql.placeholder("userId")))
      .prepare(name),
  );
  const [row] = await query.execute({ userId });
  return row?.first && row.last ? { first: row.first, last: row.last } : undefined;
}
