import { and, asc, count, desc, eq, ne, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { isUniqueViolation } from "../db/errors.ts";
import { prepared } from "../db/prepared.ts";
import {
  type Category,
  categories,
  MAX_CATEGORIES,
  recurringRules,
  type TransactionKind,
  transactions,
} from "../db/schema.ts";
import { mergeBudgets } from "./budgets.ts";

/** The user's categories, expenses first, then by name. */
export async function listCategories(db: Db, userId: number): Promise<Category[]> {
  const query = prepared(db, "list_categories", (name) =>
    db
      .select()
      .from(categories)
      .where(eq(categories.userId, sql.placeholder("userId")))
      .orderBy(asc(categories.kind), asc(sql`lower(${categories.name})`))
      .prepare(name),
  );
  return query.execute({ userId });
}

export interface CategoryWithUse extends Category {
  transactions: number;
}

/** The categories page: each category with how many transactions it holds. */
export async function listCategoriesWithUse(db: Db, userId: number): Promise<CategoryWithUse[]> {
  const used = db
    .select({ categoryId: transactions.categoryId, n: count().as("n") })
    .from(transactions)
    .where(eq(transactions.userId, userId))
    .groupBy(transactions.categoryId)
    .as("used");
  const rows = await db
    .select({ category: categories, n: sql<number>`coalesce(${used.n}, 0)::int` })
    .from(categories)
    .leftJoin(used, eq(used.categoryId, categories.id))
    .where(eq(categories.userId, userId))
    .orderBy(asc(categories.kind), asc(sql`lower(${categories.name})`));
  return rows.map((r) => ({ ...r.category, transactions: r.n }));
}

export async function getCategory(
  db: Db,
  userId: number,
  id: number,
): Promise<Category | undefined> {
  const [row] = await db
    .select()
    .from(categories)
    .where(and(eq(categories.userId, userId), eq(categories.id, id)));
  return row;
}

/**
 * The category of `kind` this user picked most often among their latest 500 transactions of that
 * kind (a recent habit, read from the newest-first index rather than the whole history).
 */
export async function usualCategory(
  db: Db,
  userId: number,
  kind: TransactionKind,
): Promise<number | undefined> {
  const recent = db
    .select({ categoryId: transactions.categoryId })
    .from(transactions)
    .where(and(eq(transactions.userId, userId), eq(transactions.kind, kind)))
    .orderBy(desc(transactions.occurredOn), desc(transactions.id))
    .limit(500)
    .as("recent");
  const [row] = await db
    .select({ categoryId: recent.categoryId, n: count() })
    .from(recent)
    .groupBy(recent.categoryId)
    .orderBy(desc(count()), asc(recent.categoryId))
    .limit(1);
  return row?.categoryId;
}

/** Why a category cannot be saved, in words the form shows. */
export class CategoryRefusedError extends Error {
  constructor(
    readonly field: "name" | "_form",
    message: string,
  ) {
    super(message);
    this.name = "CategoryRefusedError";
  }
}

const nameTaken = (name: string) =>
  new CategoryRefusedError(
    "name",
    `You already have a category named “${name}” (names are compared without regard to case)`,
  );

export async function createCategory(
  db: Db,
  userId: number,
  input: { name: string; kind: TransactionKind; color: number },
): Promise<Category> {
  try {
    return await db.transaction(async (tx) => {
      // Serialises this user's additions, so two at once cannot pass the limit together.
      await tx.execute(sql`select pg_advisory_xact_lock(727274003, ${userId})`);
      const [have] = await tx
        .select({ n: count() })
        .from(categories)
        .where(eq(categories.userId, userId));
      if ((have?.n ?? 0) >= MAX_CATEGORIES) {
        throw new CategoryRefusedError(
          "_form",
          `You have ${MAX_CATEGORIES} categories, the most there can be; remove one first`,
        );
      }
      const [row] = await tx
        .insert(categories)
        .values({ userId, ...input })
        .returning();
      if (!row) throw new Error("insert returned no row");
      return row;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw nameTaken(input.name);
    throw err;
  }
}

/** Renames and recolours; the kind stays (its transactions are of that kind). */
export async function updateCategory(
  db: Db,
  userId: number,
  id: number,
  input: { name: string; color: number },
): Promise<boolean> {
  try {
    const rows = await db
      .update(categories)
      .set(input)
      .where(and(eq(categories.userId, userId), eq(categories.id, id)))
      .returning({ id: categories.id });
    return rows.length > 0;
  } catch (err) {
    if (isUniqueViolation(err)) throw nameTaken(input.name);
    throw err;
  }
}

/**
 * Removes a category, first moving its transactions to `moveTo` (another of the user's
 * categories, of the same kind) and adding its budgets to that one's, all in one transaction. Without `moveTo` a category that holds
 * transactions is refused. Returns how many transactions moved, or undefined when `id` is not
 * one of the user's categories.
 */
export async function removeCategory(
  db: Db,
  userId: number,
  id: number,
  moveTo: number | undefined,
): Promise<number | undefined> {
  return db.transaction(async (tx) => {
    const [doomed] = await tx
      .select()
      .from(categories)
      .where(and(eq(categories.userId, userId), eq(categories.id, id)))
      .for("update");
    if (!doomed) return undefined;
    let moved = 0;
    if (moveTo !== undefined) {
      const [target] = await tx
        .select()
        .from(categories)
        .where(
          and(eq(categories.userId, userId), eq(categories.id, moveTo), ne(categories.id, id)),
        );
      if (!target || target.kind !== doomed.kind) {
        throw new CategoryRefusedError(
          "_form",
          `Choose another ${doomed.kind} category of yours to move the transactions to`,
        );
      }
      const rows = await tx
        .update(transactions)
        .set({ categoryId: target.id, updatedAt: new Date() })
        .where(and(eq(transactions.userId, userId), eq(transactions.categoryId, id)))
        .returning({ id: transactions.id });
      moved = rows.length;
      // Its recurring rules go with the transactions, to the category of the same kind.
      await tx
        .update(recurringRules)
        .set({ categoryId: target.id })
        .where(and(eq(recurringRules.userId, userId), eq(recurringRules.categoryId, id)));
      if (!(await mergeBudgets(tx, userId, id, target.id))) {
        throw new CategoryRefusedError(
          "_form",
          `The budgets of “${doomed.name}” and “${target.name}” together would pass the largest amount: lower one first`,
        );
      }
    }
    const [left] = await tx
      .select({ n: count() })
      .from(transactions)
      .where(and(eq(transactions.userId, userId), eq(transactions.categoryId, id)));
    if ((left?.n ?? 0) > 0) {
      throw new CategoryRefusedError(
        "_form",
        `“${doomed.name}” holds ${left?.n} transactions: choose the category they move to`,
      );
    }
    const rules = await countCategoryRules(tx, userId, id);
    if (rules > 0) {
      throw new CategoryRefusedError(
        "_form",
        `“${doomed.name}” has ${rules} recurring rule${rules === 1 ? "" : "s"}: choose the category they move to`,
      );
    }
    await tx.delete(categories).where(eq(categories.id, id));
    return moved;
  });
}

/** How many of the user's recurring rules use the category. */
export async function countCategoryRules(db: Db, userId: number, id: number): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(recurringRules)
    .where(and(eq(recurringRules.userId, userId), eq(recurringRules.categoryId, id)));
  return row?.n ?? 0;
}
