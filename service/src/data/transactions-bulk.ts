// Changes to many of the user's transactions at once (after an import: recategorising).
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { categories, transactions } from "../db/schema.ts";

/**
 * Moves the user's transactions `ids` to the category, in one UPDATE (month_totals follows it).
 * Only rows of the category's kind can go there; the others stay and are counted. Undefined when
 * the category is not the user's.
 */
export async function recategorise(
  db: Db,
  userId: number,
  ids: number[],
  categoryId: number,
): Promise<{ moved: number; otherKind: number; name: string } | undefined> {
  const [target] = await db
    .select()
    .from(categories)
    .where(and(eq(categories.userId, userId), eq(categories.id, categoryId)));
  if (!target) return undefined;
  const mine = and(eq(transactions.userId, userId), inArray(transactions.id, ids));
  const moved = await db
    .update(transactions)
    .set({ categoryId, updatedAt: new Date() })
    .where(and(mine, eq(transactions.kind, target.kind)))
    .returning({ id: transactions.id });
  const [other] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(transactions)
    .where(and(mine, sql`${transactions.kind} <> ${target.kind}`));
  return { moved: moved.length, otherKind: other?.n ?? 0, name: target.name };
}
