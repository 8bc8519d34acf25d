// Monthly budgets, each holding from the month it was set in until the next change (see the
// `budgets` table). Months are the user's own (`YYYY-MM`, whatever day they start on).
import { and, asc, desc, eq, gte, isNull, lt, lte, or, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { prepared } from "../db/prepared.ts";
import { budgets, categories, LIMITS } from "../db/schema.ts";

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

/** A budget in force in a month: `categoryId` undefined for the budget of all spending. */
export interface MonthBudget {
  categoryId: number | undefined;
  /** The category's name; undefined for all spending. */
  name: string | undefined;
  color: number | undefined;
  amountCents: bigint;
  /** The month (`YYYY-MM`) it was set from. */
  since: string;
}

const firstDay = (month: string) => `${month}-01`;

/** A budget row's category, month and amount. */
const budgetColumns = {
  categoryId: budgets.categoryId,
  month: budgets.month,
  amountCents: budgets.amountCents,
};

/** The budgets in force in `month`: all spending first, then categories by name. */
export async function budgetsForMonth(
  db: Db,
  userId: number,
  month: string,
): Promise<MonthBudget[]> {
  const query = prepared(db, "budgets_for_month", (name) => {
    // The latest row at or before the month, per category (the unique key's index serves it).
    const latest = db
      .selectDistinctOn([budgets.categoryId], budgetColumns)
      .from(budgets)
      .where(
        and(
          eq(budgets.userId, sql.placeholder("userId")),
          lte(budgets.month, sql.placeholder("day")),
        ),
      )
      .orderBy(budgets.categoryId, desc(budgets.month))
      .as("latest");
    return db
      .select({
        categoryId: latest.categoryId,
        month: latest.month,
        amountCents: latest.amountCents,
        name: categories.name,
        color: categories.color,
      })
      .from(latest)
      .leftJoin(categories, eq(categories.id, latest.categoryId))
      .where(sql`${latest.amountCents} is not null`)
      .orderBy(sql`${latest.categoryId} is not null`, asc(sql`lower(${categories.name})`))
      .prepare(name);
  });
  const rows = await query.execute({ userId, day: firstDay(month) });
  return rows.map((r) => ({
    categoryId: r.categoryId ?? undefined,
    name: r.name ?? undefined,
    color: r.color ?? undefined,
    amountCents: r.amountCents as bigint,
    since: r.month.slice(0, 7),
  }));
}

const sameCategory = (categoryId: number | undefined) =>
  categoryId === undefined ? isNull(budgets.categoryId) : eq(budgets.categoryId, categoryId);

/** The amount in force just before `month` (null when none). */
async function amountBefore(
  tx: Tx,
  userId: number,
  categoryId: number | undefined,
  month: string,
): Promise<bigint | null> {
  const [row] = await tx
    .select({ amountCents: budgets.amountCents })
    .from(budgets)
    .where(
      and(eq(budgets.userId, userId), sameCategory(categoryId), lt(budgets.month, firstDay(month))),
    )
    .orderBy(desc(budgets.month))
    .limit(1);
  return row?.amountCents ?? null;
}

/** Serialises one user's budget changes, so two at once cannot both write the same month. */
const lockBudgets = (tx: Tx, userId: number) =>
  tx.execute(sql`select pg_advisory_xact_lock(727274010, ${userId})`);

/**
 * Sets (or, with `amountCents` null, clears) a budget from `month` onward: changes set for later
 * months are replaced, months before keep theirs. `categoryId` undefined is all spending.
 * Returns false when the category is not one of the user's expense categories.
 */
export async function setBudget(
  db: Db,
  userId: number,
  categoryId: number | undefined,
  month: string,
  amountCents: bigint | null,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    if (categoryId !== undefined) {
      const [category] = await tx
        .select({ id: categories.id })
        .from(categories)
        .where(
          and(
            eq(categories.userId, userId),
            eq(categories.id, categoryId),
            eq(categories.kind, "expense"),
          ),
        );
      if (!category) return false;
    }
    await lockBudgets(tx, userId);
    await tx
      .delete(budgets)
      .where(
        and(
          eq(budgets.userId, userId),
          sameCategory(categoryId),
          gte(budgets.month, firstDay(month)),
        ),
      );
    // A row only where the amount changes: clearing what was never set writes nothing.
    if ((await amountBefore(tx, userId, categoryId, month)) !== amountCents) {
      await tx.insert(budgets).values({ userId, categoryId, month: firstDay(month), amountCents });
    }
    return true;
  });
}

/**
 * When a category is removed into another, its budgets join the other's: in every month the
 * budget becomes the sum of the two (as the spending does). Runs inside the removal's transaction.
 * Returns false, changing nothing, when a month's sum would pass the largest amount.
 */
export async function mergeBudgets(
  tx: Tx,
  userId: number,
  fromId: number,
  intoId: number,
): Promise<boolean> {
  await lockBudgets(tx, userId);
  const rows = await tx
    .select(budgetColumns)
    .from(budgets)
    .where(
      and(
        eq(budgets.userId, userId),
        or(eq(budgets.categoryId, fromId), eq(budgets.categoryId, intoId)),
      ),
    )
    .orderBy(asc(budgets.month));
  if (!rows.some((r) => r.categoryId === fromId)) return true;

  const inForce = new Map<number, bigint | null>([
    [fromId, null],
    [intoId, null],
  ]);
  const merged: { month: string; amountCents: bigint | null }[] = [];
  let last: bigint | null = null;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as (typeof rows)[number];
    inForce.set(row.categoryId as number, row.amountCents);
    if (rows[i + 1]?.month === row.month) continue; // both changed this month: take both first
    const a = inForce.get(fromId) ?? null;
    const b = inForce.get(intoId) ?? null;
    const sum = a === null && b === null ? null : (a ?? 0n) + (b ?? 0n);
    if (sum === last) continue;
    merged.push({ month: row.month, amountCents: sum });
    last = sum;
  }
  if (merged.some((m) => m.amountCents !== null && m.amountCents >= LIMITS.maxAmountCents)) {
    return false;
  }
  await tx
    .delete(budgets)
    .where(
      and(
        eq(budgets.userId, userId),
        or(eq(budgets.categoryId, fromId), eq(budgets.categoryId, intoId)),
      ),
    );
  if (merged.length > 0) {
    await tx.insert(budgets).values(merged.map((m) => ({ userId, categoryId: intoId, ...m })));
  }
  return true;
}
