// The dashboard's figures for a period (inclusive dates), exact in bigint cents: from month_totals
// when the period is whole calendar months, else summed from the transactions.
import { and, asc, desc, eq, gte, lte, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { categories, monthTotals, transactions } from "../db/schema.ts";
import { monthRangeTotals, wholeMonths } from "./month-totals.ts";

/** The months of a range made of whole calendar months, both ends given; else undefined. */
function calendarMonths(from: string, to: string) {
  const months = wholeMonths(from, to);
  return months?.fromMonth && months.toMonth
    ? { fromMonth: months.fromMonth, toMonth: months.toMonth }
    : undefined;
}

const monthTotalsIn = (userId: number, m: { fromMonth: string; toMonth: string }) =>
  and(
    eq(monthTotals.userId, userId),
    gte(monthTotals.month, `${m.fromMonth}-01`),
    lte(monthTotals.month, `${m.toMonth}-01`),
  );

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

const sumOf = (kind: "income" | "expense") =>
  sql<string>`coalesce(sum(${transactions.amountCents}) filter (where ${transactions.kind} = ${kind}), 0)::text`;

export async function periodTotals(
  db: Db,
  userId: number,
  from: string,
  to: string,
): Promise<KindTotals> {
  // Whole calendar months come from month_totals, which the database keeps; others from the rows.
  const months = calendarMonths(from, to);
  if (months) return monthRangeTotals(db, userId, months);
  const [row] = await db
    .select({ income: sumOf("income"), expense: sumOf("expense") })
    .from(transactions)
    .where(inPeriod(userId, from, to));
  return { incomeCents: BigInt(row?.income ?? 0), expenseCents: BigInt(row?.expense ?? 0) };
}

export interface CategorySpending {
  categoryId: number;
  name: string;
  color: number;
  cents: bigint;
}

/** Expenses per category in the period, largest first; categories with none are left out. */
export async function spendingByCategory(
  db: Db,
  userId: number,
  from: string,
  to: string,
): Promise<CategorySpending[]> {
  const months = calendarMonths(from, to);
  if (months) {
    const total = sql<string>`sum(${monthTotals.cents})::text`;
    const rows = await db
      .select({
        categoryId: categories.id,
        name: categories.name,
        color: categories.color,
        cents: total,
      })
      .from(monthTotals)
      .innerJoin(categories, eq(categories.id, monthTotals.categoryId))
      .where(and(monthTotalsIn(userId, months), eq(monthTotals.kind, "expense")))
      .groupBy(categories.id, categories.name, categories.color)
      .orderBy(desc(sql`sum(${monthTotals.cents})`), asc(categories.name));
    return rows.map((r) => ({ ...r, cents: BigInt(r.cents) }));
  }
  const cents = sql<string>`sum(${transactions.amountCents})::text`;
  const rows = await db
    .select({
      categoryId: categories.id,
      name: categories.name,
      color: categories.color,
      cents,
    })
    .from(transactions)
    .innerJoin(categories, eq(categories.id, transactions.categoryId))
    .where(and(inPeriod(userId, from, to), eq(transactions.kind, "expense")))
    .groupBy(categories.id, categories.name, categories.color)
    .orderBy(desc(sql`sum(${transactions.amountCents})`), asc(categories.name));
  return rows.map((r) => ({ ...r, cents: BigInt(r.cents) }));
}

/**
 * Income and expenses per month (`YYYY-MM`) between two dates, where a date belongs to the month
 * its period ends in: with a start day of 25, 25 October counts for November.
 */
export async function monthlyTotals(
  db: Db,
  userId: number,
  from: string,
  to: string,
  startDay: number,
): Promise<Map<string, KindTotals>> {
  const months = startDay === 1 ? calendarMonths(from, to) : undefined;
  if (months) {
    const of = (kind: "income" | "expense") =>
      sql<string>`coalesce(sum(${monthTotals.cents}) filter (where ${monthTotals.kind} = ${kind}), 0)::text`;
    const rows = await db
      .select({
        month: sql<string>`to_char(${monthTotals.month}, 'YYYY-MM')`,
        income: of("income"),
        expense: of("expense"),
      })
      .from(monthTotals)
      .where(monthTotalsIn(userId, months))
      .groupBy(monthTotals.month);
    return new Map(
      rows.map((r) => [
        r.month,
        { incomeCents: BigInt(r.income), expenseCents: BigInt(r.expense) },
      ]),
    );
  }
  const month =
    startDay === 1
      ? sql<string>`to_char(${transactions.occurredOn}, 'YYYY-MM')`
      : sql<string>`to_char(${transactions.occurredOn} - ${startDay - 1}::int + interval '1 month', 'YYYY-MM')`;
  const rows = await db
    .select({ month, income: sumOf("income"), expense: sumOf("expense") })
    .from(transactions)
    .where(inPeriod(userId, from, to))
    .groupBy(sql`1`);
  return new Map(
    rows.map((r) => [r.month, { incomeCents: BigInt(r.income), expenseCents: BigInt(r.expense) }]),
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
