// Totals over whole calendar months, read from month_totals (kept by the database's triggers on
// transactions) instead of summing the transactions themselves.
import { and, eq, gte, lte, type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { type Bound, placeholdersFor, prepared, shapeOf } from "../db/prepared.ts";
import { monthTotals, type TransactionKind } from "../db/schema.ts";
import { addMonths, endOfMonth } from "../lib/periods.ts";
import type { Totals } from "./transactions.ts";

export interface MonthRange {
  /** First month included, as YYYY-MM; the user's first transaction when absent. */
  fromMonth?: string | undefined;
  /** Last month included, as YYYY-MM; the user's last transaction when absent. */
  toMonth?: string | undefined;
  /** Only this category; every category when absent. */
  categoryId?: number | undefined;
  /** Only this kind; both when absent. */
  kind?: TransactionKind | undefined;
}

export interface GroupTotals extends Totals {
  /** The category's id when grouped by category; undefined when grouped by kind. */
  categoryId: number | undefined;
  /** The kind when grouped by kind or by category (a category has one kind). */
  kind: TransactionKind;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const DATE = /^(\d{4})-(0[1-9]|1[0-2])-(\d{2})$/;

function firstDay(month: string): string {
  if (!MONTH.test(month)) throw new RangeError(`month must be YYYY-MM (got ${month})`);
  return `${month}-01`;
}

/** Inclusive dates; an absent end is open (the user's first or last transaction). */
export interface DateRange {
  from?: string | undefined;
  to?: string | undefined;
}

const lastDayOf = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/**
 * A date range as the whole calendar months inside it (read from month_totals) and the days left
 * at either end (summed from the rows): 25 February to 24 April is March, plus 25-28 February
 * and 1-24 April. Without a whole month inside, the range is all rows. Undefined for a date that
 * is not YYYY-MM-DD.
 */
export function splitRange(
  range: DateRange,
): { months: { fromMonth?: string; toMonth?: string } | undefined; rows: DateRange[] } | undefined {
  const { from, to } = range;
  const f = from ? DATE.exec(from) : undefined;
  const t = to ? DATE.exec(to) : undefined;
  if ((from && !f) || (to && !t)) return undefined;
  let firstWhole: string | undefined;
  let head: DateRange | undefined;
  if (f && from) {
    const month = `${f[1]}-${f[2]}`;
    firstWhole = f[3] === "01" ? month : addMonths(month, 1);
    if (f[3] !== "01") head = { from, to: endOfMonth(month) };
  }
  let lastWhole: string | undefined;
  let tail: DateRange | undefined;
  if (t && to) {
    const month = `${t[1]}-${t[2]}`;
    const whole = Number(t[3]) === lastDayOf(Number(t[1]), Number(t[2]));
    lastWhole = whole ? month : addMonths(month, -1);
    if (!whole) tail = { from: `${month}-01`, to };
  }
  if (firstWhole && lastWhole && firstWhole > lastWhole)
    return { months: undefined, rows: [range] };
  const months: { fromMonth?: string; toMonth?: string } = {};
  if (firstWhole) months.fromMonth = firstWhole;
  if (lastWhole) months.toMonth = lastWhole;
  return { months, rows: [head, tail].filter((r): r is DateRange => r !== undefined) };
}

/** A range's values as its SQL takes them, each present one under its own name. */
export type RangeValues = {
  userId: number;
  fromDay?: string;
  toDay?: string;
  categoryId?: number;
  kind?: TransactionKind;
};

export function rangeValues(userId: number, r: MonthRange): RangeValues {
  const values: RangeValues = { userId };
  if (r.fromMonth) values.fromDay = firstDay(r.fromMonth);
  if (r.toMonth) values.toDay = firstDay(r.toMonth);
  if (r.categoryId) values.categoryId = r.categoryId;
  if (r.kind) values.kind = r.kind;
  return values;
}

/** The conditions of a range, on its values or on placeholders named after them. */
export function rangeConditions(v: Bound<RangeValues>): SQL | undefined {
  return and(
    eq(monthTotals.userId, v.userId),
    v.fromDay !== undefined ? gte(monthTotals.month, v.fromDay) : undefined,
    v.toDay !== undefined ? lte(monthTotals.month, v.toDay) : undefined,
    v.categoryId !== undefined ? eq(monthTotals.categoryId, v.categoryId) : undefined,
    v.kind !== undefined ? eq(monthTotals.kind, v.kind) : undefined,
  );
}

function rangeWhere(userId: number, r: MonthRange): SQL | undefined {
  return rangeConditions(rangeValues(userId, r));
}

// Sums of bigint are numeric in PostgreSQL: exact, read as text and parsed with BigInt.
const centsOf = (kind: TransactionKind) =>
  sql<string>`coalesce(sum(${monthTotals.cents}) filter (where ${monthTotals.kind} = ${kind}), 0)::text`;
const countOf = sql<string>`coalesce(sum(${monthTotals.count}), 0)::text`;

function toTotals(row: { income: string; expense: string; count: string } | undefined): Totals {
  const incomeCents = BigInt(row?.income ?? "0");
  const expenseCents = BigInt(row?.expense ?? "0");
  return {
    incomeCents,
    expenseCents,
    netCents: incomeCents - expenseCents,
    count: Number(row?.count ?? "0"),
  };
}

/** Income, expense, net and count of the user's transactions over whole calendar months. */
export async function monthRangeTotals(db: Db, userId: number, range: MonthRange): Promise<Totals> {
  const values = rangeValues(userId, range);
  const query = prepared(db, `month_totals_${shapeOf(values)}`, (name) =>
    db
      .select({ income: centsOf("income"), expense: centsOf("expense"), count: countOf })
      .from(monthTotals)
      .where(rangeConditions(placeholdersFor(values)))
      .prepare(name),
  );
  const [row] = await query.execute(values);
  return toTotals(row);
}

/** The same totals, one per category (largest amount first) or one per kind. */
export async function monthRangeTotalsBy(
  db: Db,
  userId: number,
  range: MonthRange,
  by: "category" | "kind",
): Promise<GroupTotals[]> {
  const columns = { income: centsOf("income"), expense: centsOf("expense"), count: countOf };
  const where = rangeWhere(userId, range);
  if (by === "kind") {
    const rows = await db
      .select({ kind: monthTotals.kind, ...columns })
      .from(monthTotals)
      .where(where)
      .groupBy(monthTotals.kind)
      .orderBy(monthTotals.kind);
    return rows.map((r) => ({ ...toTotals(r), categoryId: undefined, kind: r.kind }));
  }
  const rows = await db
    .select({ categoryId: monthTotals.categoryId, kind: monthTotals.kind, ...columns })
    .from(monthTotals)
    .where(where)
    .groupBy(monthTotals.categoryId, monthTotals.kind)
    .orderBy(sql`sum(${monthTotals.cents}) desc`, monthTotals.categoryId);
  return rows.map((r) => ({ ...toTotals(r), categoryId: r.categoryId, kind: r.kind }));
}
