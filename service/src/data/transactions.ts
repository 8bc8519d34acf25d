import { and, asc, desc, eq, gte, ilike, lte, or, type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { type Bound, placeholdersFor, prepared, shapeOf } from "../db/prepared.ts";
import { categories, type TransactionKind, transactions } from "../db/schema.ts";
import { monthRangeTotals, splitRange } from "./month-totals.ts";

export const PAGE_SIZE = 50;

export interface TransactionFilter {
  from?: string | undefined;
  to?: string | undefined;
  categoryId?: number | undefined;
  kind?: TransactionKind | undefined;
  /** Text searched in title and notes, case-insensitively. */
  q?: string | undefined;
  /** Only the rows one CSV import stored. */
  importId?: number | undefined;
}

export interface TransactionInput {
  kind: TransactionKind;
  title: string;
  amountCents: bigint;
  categoryId: number;
  occurredOn: string;
  notes: string | null;
  paymentMethod: string | null;
}

export interface TransactionRow extends TransactionInput {
  id: number;
  categoryName: string;
}

export interface Totals {
  incomeCents: bigint;
  expenseCents: bigint;
  netCents: bigint;
  count: number;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (ch) => `\\${ch}`);

/** A filter's values as its SQL takes them, each present one under its own name. */
type FilterValues = {
  userId: number;
  from?: string;
  to?: string;
  categoryId?: number;
  kind?: TransactionKind;
  importId?: number;
  /** The ILIKE pattern of a text search. */
  pattern?: string;
};

function filterValues(userId: number, f: TransactionFilter): FilterValues {
  const q = f.q?.trim();
  const values: FilterValues = { userId };
  if (f.from) values.from = f.from;
  if (f.to) values.to = f.to;
  if (f.categoryId) values.categoryId = f.categoryId;
  if (f.kind) values.kind = f.kind;
  if (f.importId) values.importId = f.importId;
  if (q) values.pattern = `%${escapeLike(q)}%`;
  return values;
}

/** The conditions of a filter, on its values or on placeholders named after them. */
function conditions(v: Bound<FilterValues>): SQL | undefined {
  return and(
    eq(transactions.userId, v.userId),
    v.from !== undefined ? gte(transactions.occurredOn, v.from) : undefined,
    v.to !== undefined ? lte(transactions.occurredOn, v.to) : undefined,
    v.categoryId !== undefined ? eq(transactions.categoryId, v.categoryId) : undefined,
    v.kind !== undefined ? eq(transactions.kind, v.kind) : undefined,
    v.importId !== undefined ? eq(transactions.importId, v.importId) : undefined,
    v.pattern !== undefined
      ? or(ilike(transactions.title, v.pattern), ilike(transactions.notes, v.pattern))
      : undefined,
  );
}

/** The WHERE clause of a filter, shared by the list, its totals and the CSV export. */
export function filterWhere(userId: number, f: TransactionFilter): SQL | undefined {
  return conditions(filterValues(userId, f));
}

/** Exact sum of one kind's amounts, as text (PostgreSQL's numeric sum; parsed with BigInt). */
const sumOf = (kind: TransactionKind) =>
  sql<string>`coalesce(sum(${transactions.amountCents}) filter (where ${transactions.kind} = ${kind}), 0)::text`;

const rowColumns = {
  id: transactions.id,
  kind: transactions.kind,
  title: transactions.title,
  amountCents: transactions.amountCents,
  categoryId: transactions.categoryId,
  categoryName: categories.name,
  occurredOn: transactions.occurredOn,
  notes: transactions.notes,
  paymentMethod: transactions.paymentMethod,
};

/**
 * The orders the list offers, `<column>-<direction>`. Amounts sort by size, whatever their kind;
 * titles case-insensitively. Ties keep entry order (the id, in the same direction), so that pages
 * never repeat or skip a row, and each order has an index to walk (migration 0016).
 */
export const TRANSACTION_SORTS = [
  "date-desc",
  "date-asc",
  "amount-desc",
  "amount-asc",
  "title-asc",
  "title-desc",
] as const;
export type TransactionSort = (typeof TRANSACTION_SORTS)[number];
export const DEFAULT_SORT: TransactionSort = "date-desc";

const SORT_KEYS = {
  date: [transactions.occurredOn],
  amount: [transactions.amountCents],
  title: [sql`lower(${transactions.title})`],
} as const;

/** ORDER BY terms of a sort: its column, then the id, both in its direction. */
export function sortOrder(sort: TransactionSort): SQL[] {
  const [column, direction] = sort.split("-") as [keyof typeof SORT_KEYS, "asc" | "desc"];
  const by = direction === "asc" ? asc : desc;
  return [...SORT_KEYS[column].map((k) => by(k)), by(transactions.id)];
}

/** One page of the user's transactions in `sort` order (newest first by default). */
export async function listTransactions(
  db: Db,
  userId: number,
  filter: TransactionFilter,
  page: number,
  sort: TransactionSort = DEFAULT_SORT,
): Promise<TransactionRow[]> {
  const values = filterValues(userId, filter);
  const query = prepared(db, `tx_page_${sort}_${shapeOf(values)}`, (name) =>
    db
      .select(rowColumns)
      .from(transactions)
      .innerJoin(categories, eq(categories.id, transactions.categoryId))
      .where(conditions(placeholdersFor(values)))
      .orderBy(...sortOrder(sort))
      .limit(sql.placeholder("limit"))
      .offset(sql.placeholder("offset"))
      .prepare(name),
  );
  return query.execute({ ...values, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
}

/**
 * Income, expense and net of every transaction the filter matches, summed exactly in SQL. Without
 * a text search, the whole calendar months of the range come from month_totals (a few rows per
 * month instead of every transaction) and only the days at either end from the transactions.
 */
export async function totalTransactions(
  db: Db,
  userId: number,
  filter: TransactionFilter,
): Promise<Totals> {
  // month_totals knows neither words nor imports.
  const parts = filter.q?.trim() || filter.importId ? undefined : splitRange(filter);
  if (!parts?.months) return rowTotals(db, userId, filter);
  const { categoryId, kind } = filter;
  const [whole, ...edges] = await Promise.all([
    monthRangeTotals(db, userId, { ...parts.months, categoryId, kind }),
    ...parts.rows.map((r) => rowTotals(db, userId, { ...filter, ...r })),
  ]);
  return [whole as Totals, ...edges].reduce(addTotals);
}

export const addTotals = (a: Totals, b: Totals): Totals => ({
  incomeCents: a.incomeCents + b.incomeCents,
  expenseCents: a.expenseCents + b.expenseCents,
  netCents: a.netCents + b.netCents,
  count: a.count + b.count,
});

/** The same totals summed from the transactions themselves. */
async function rowTotals(db: Db, userId: number, filter: TransactionFilter): Promise<Totals> {
  const values = filterValues(userId, filter);
  const query = prepared(db, `tx_totals_${shapeOf(values)}`, (name) =>
    db
      .select({
        income: sumOf("income"),
        expense: sumOf("expense"),
        count: sql<number>`count(*)::int`,
      })
      .from(transactions)
      .where(conditions(placeholdersFor(values)))
      .prepare(name),
  );
  const [row] = await query.execute(values);
  const incomeCents = BigInt(row?.income ?? "0");
  const expenseCents = BigInt(row?.expense ?? "0");
  return {
    incomeCents,
    expenseCents,
    netCents: incomeCents - expenseCents,
    count: row?.count ?? 0,
  };
}

export async function getTransaction(
  db: Db,
  userId: number,
  id: number,
): Promise<TransactionRow | undefined> {
  const [row] = await db
    .select(rowColumns)
    .from(transactions)
    .innerJoin(categories, eq(categories.id, transactions.categoryId))
    .where(and(eq(transactions.userId, userId), eq(transactions.id, id)));
  return row;
}

export async function createTransaction(
  db: Db,
  userId: number,
  input: TransactionInput,
): Promise<number> {
  const [row] = await db
    .insert(transactions)
    .values({ ...input, userId })
    .returning({ id: transactions.id });
  if (!row) throw new Error("insert returned no row");
  return row.id;
}

/** Updates the user's transaction; false when there is none with that id for this user. */
export async function updateTransaction(
  db: Db,
  userId: number,
  id: number,
  input: TransactionInput,
): Promise<boolean> {
  const rows = await db
    .update(transactions)
    .set({ ...input, updatedAt: new Date() })
    .where(and(eq(transactions.userId, userId), eq(transactions.id, id)))
    .returning({ id: transactions.id });
  return rows.length > 0;
}

export async function deleteTransaction(db: Db, userId: number, id: number): Promise<boolean> {
  const rows = await db
    .delete(transactions)
    .where(and(eq(transactions.userId, userId), eq(transactions.id, id)))
    .returning({ id: transactions.id });
  return rows.length > 0;
}

/** How many transactions the user has. */
export async function countTransactions(db: Db, userId: number): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(transactions)
    .where(eq(transactions.userId, userId));
  return row?.n ?? 0;
}
