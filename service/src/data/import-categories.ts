// Which category an imported row goes to: the file's category column by name, else the user's
// import rules, else the kind's catch-all ("Other", "Other income").
import { asc, eq } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import {
  type Category,
  categories,
  importRules,
  MAX_CATEGORIES,
  type TransactionKind,
} from "../db/schema.ts";

export class ImportRefusedError extends Error {}

const CATCH_ALL: Record<TransactionKind, string> = { expense: "Other", income: "Other income" };

export interface Rule {
  /** Lower case, compared with the lower-cased title. */
  contains: string;
  kind: TransactionKind;
  categoryId: number;
}

/** The user's import rules in the order they apply: position, then age. */
export async function loadRules(db: Db, userId: number): Promise<Rule[]> {
  const rows = await db
    .select()
    .from(importRules)
    .where(eq(importRules.userId, userId))
    .orderBy(asc(importRules.position), asc(importRules.id));
  return rows.map((r) => ({
    contains: r.contains.toLowerCase(),
    kind: r.kind,
    categoryId: r.categoryId,
  }));
}

/** The first rule of the row's kind whose text is in the title; undefined when none is. */
export function matchRule(rules: Rule[], kind: TransactionKind, title: string): number | undefined {
  const t = title.toLowerCase();
  return rules.find((r) => r.kind === kind && t.includes(r.contains))?.categoryId;
}

/**
 * Resolves rows' categories inside the import's transaction. Unknown names in the category
 * column are created (with the row's kind) when `create` is set, else go the rules' way.
 */
export class CategoryResolver {
  private readonly byName = new Map<string, number>();
  private readonly mapped = new Map<string, number>();
  private count: number;
  readonly created: string[] = [];

  private constructor(
    private readonly db: Db,
    private readonly userId: number,
    private readonly rules: Rule[],
    private readonly create: boolean,
    existing: Category[],
    map: Record<string, number>,
  ) {
    for (const c of existing) this.byName.set(key(c.kind, c.name), c.id);
    this.count = existing.length;
    // Only the user's own categories of the row's kind count; any other choice is ignored.
    const own = new Map(existing.map((c) => [c.id, c.kind] as const));
    for (const [k, id] of Object.entries(map))
      if (k.startsWith(`${own.get(id)}:`)) this.mapped.set(k.toLowerCase(), id);
  }

  /**
   * @param options.map names of the category column mapped to existing categories, by
   *   `kind:lower-case name` (the preview's choices). Default none.
   */
  static async load(
    db: Db,
    userId: number,
    options: { create: boolean; map?: Record<string, number> | undefined },
  ) {
    const existing = await db.select().from(categories).where(eq(categories.userId, userId));
    const rules = await loadRules(db, userId);
    return new CategoryResolver(db, userId, rules, options.create, existing, options.map ?? {});
  }

  async resolve(kind: TransactionKind, title: string, name: string | null): Promise<number> {
    if (name) {
      const found = this.byName.get(key(kind, name));
      if (found !== undefined) return found;
      const mapped = this.mapped.get(key(kind, name));
      if (mapped !== undefined) return mapped;
      // A name taken by the other kind (names are unique per user) goes the rules' way.
      if (this.create && !this.taken(name)) return this.add(kind, name);
    }
    const ruled = matchRule(this.rules, kind, title);
    if (ruled !== undefined) return ruled;
    return this.byName.get(key(kind, CATCH_ALL[kind])) ?? this.add(kind, CATCH_ALL[kind]);
  }

  private taken(name: string): boolean {
    const lower = name.toLowerCase();
    return this.byName.has(key("expense", lower)) || this.byName.has(key("income", lower));
  }

  private async add(kind: TransactionKind, name: string): Promise<number> {
    if (this.count >= MAX_CATEGORIES)
      throw new ImportRefusedError(
        `the import needs the new category "${name}", but the account has ${MAX_CATEGORIES} categories, the most there can be`,
      );
    const [row] = await this.db
      .insert(categories)
      .values({ userId: this.userId, name, kind, color: this.count % 10 })
      .returning({ id: categories.id });
    if (!row) throw new Error("insert returned no row");
    this.byName.set(key(kind, name), row.id);
    this.count++;
    this.created.push(name);
    return row.id;
  }
}

const key = (kind: TransactionKind, name: string) => `${kind}:${name.toLowerCase()}`;
