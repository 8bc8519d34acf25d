// The user's import rules: "title contains TEXT" -> a category, applied in order.
import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { categories, importRules } from "../db/schema.ts";

export interface RuleRow {
  id: number;
  contains: string;
  categoryId: number;
  categoryName: string;
  kind: "expense" | "income";
}

export async function listImportRules(db: Db, userId: number): Promise<RuleRow[]> {
  return db
    .select({
      id: importRules.id,
      contains: importRules.contains,
      categoryId: importRules.categoryId,
      categoryName: categories.name,
      kind: importRules.kind,
    })
    .from(importRules)
    .innerJoin(categories, eq(categories.id, importRules.categoryId))
    .where(eq(importRules.userId, userId))
    .orderBy(asc(importRules.position), asc(importRules.id));
}

/** Adds a rule after the others; false when the category is not the user's. */
export async function addImportRule(
  db: Db,
  userId: number,
  input: { contains: string; categoryId: number },
): Promise<boolean> {
  const [category] = await db
    .select()
    .from(categories)
    .where(and(eq(categories.userId, userId), eq(categories.id, input.categoryId)));
  if (!category) return false;
  await db.insert(importRules).values({
    userId,
    contains: input.contains,
    categoryId: category.id,
    kind: category.kind,
    position: sql`(select coalesce(max(position), 0) + 1 from import_rules where user_id = ${userId})`,
  });
  return true;
}

export async function deleteImportRule(db: Db, userId: number, id: number): Promise<boolean> {
  const rows = await db
    .delete(importRules)
    .where(and(eq(importRules.userId, userId), eq(importRules.id, id)))
    .returning({ id: importRules.id });
  return rows.length > 0;
}
