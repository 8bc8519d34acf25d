// Storing a parsed statement: all its rows in one database transaction or none, leaving out
// the copies already in the account; listing imports; undoing one.
import { and, desc, eq, gte, lte } from "drizzle-orm";
import type { StatementRow } from "../csv/rows.ts";
import type { CsvSettings } from "../csv/settings.ts";
import type { Db } from "../db/client.ts";
import { type Import, imports, LIMITS, type TransactionKind, transactions } from "../db/schema.ts";
import { CategoryResolver } from "./import-categories.ts";

/** Rows per INSERT: 500 rows x 10 columns stays far below PostgreSQL's 65,535 parameters. */
const BATCH = 500;

export type RowSource = () => AsyncIterable<StatementRow>;

export interface StoreOptions {
  fileName: string;
  settings: CsvSettings;
  rows: RowSource;
  /** An import row already made (staged by the web upload); else one is created. */
  importId?: number | undefined;
  /** Create categories the category column names and the account lacks. Default true. */
  createCategories?: boolean | undefined;
  /** Unknown category names mapped to existing categories, by `kind:lower-case name`. Default none. */
  categoryMap?: Record<string, number> | undefined;
  /** Do everything, report it, and roll it all back. Default false. */
  dryRun?: boolean | undefined;
  /** Called after each batch with the rows read so far. */
  onProgress?: ((rowsRead: number) => void) | undefined;
}

export interface StoreResult {
  importId: number;
  /** False after a dry run, and when nothing was new (an import of nothing is not kept). */
  kept: boolean;
  /** Rows read from the file. */
  rows: number;
  imported: number;
  duplicates: number;
  incomeCents: bigint;
  expenseCents: bigint;
  createdCategories: string[];
}

/** The title as duplicates are compared: case, width and runs of spaces do not count. */
export function normaliseTitle(title: string): string {
  return title.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();
}

const dedupeKey = (r: {
  occurredOn: string;
  kind: TransactionKind;
  amountCents: bigint;
  title: string;
}) => `${r.occurredOn}|${r.kind}|${r.amountCents}|${normaliseTitle(r.title)}`;

class DryRun extends Error {
  constructor(readonly result: StoreResult) {
    super("dry run");
  }
}

/**
 * Stores the rows. For each (date, kind, amount, normalised title) only the copies beyond those
 * already in the account are stored: a file imported twice adds nothing the second time, and two
 * equal rows in one file are both stored the first time.
 */
export async function storeImport(
  db: Db,
  userId: number,
  options: StoreOptions,
): Promise<StoreResult> {
  const range = await dateRange(options.rows);
  try {
    return await db.transaction(async (txn) => {
      const tx = txn as unknown as Db;
      const importId = options.importId ?? (await createImport(tx, userId, options));
      const existing = range ? await existingCounts(tx, userId, range) : new Map<string, number>();
      const resolver = await CategoryResolver.load(tx, userId, {
        create: options.createCategories ?? true,
        map: options.categoryMap,
      });
      const result: StoreResult = {
        importId,
        kept: true,
        rows: 0,
        imported: 0,
        duplicates: 0,
        incomeCents: 0n,
        expenseCents: 0n,
        createdCategories: resolver.created,
      };
      let batch: (typeof transactions.$inferInsert)[] = [];
      const flush = async () => {
        if (batch.length > 0) await tx.insert(transactions).values(batch);
        batch = [];
        options.onProgress?.(result.rows);
      };
      for await (const row of options.rows()) {
        result.rows++;
        const k = dedupeKey(row);
        const already = existing.get(k) ?? 0;
        if (already > 0) {
          existing.set(k, already - 1);
          result.duplicates++;
          continue;
        }
        const categoryId = await resolver.resolve(row.kind, row.title, row.category);
        batch.push({ userId, importId, categoryId, ...rowValues(row) });
        result.imported++;
        if (row.kind === "income") result.incomeCents += row.amountCents;
        else result.expenseCents += row.amountCents;
        if (batch.length >= BATCH) await flush();
      }
      await flush();
      await tx
        .update(imports)
        .set({
          status: "done",
          rowCount: result.rows,
          processedCount: result.rows,
          importedCount: result.imported,
          duplicateCount: result.duplicates,
          finishedAt: new Date(),
        })
        .where(eq(imports.id, importId));
      const empty = result.imported === 0 && options.importId === undefined;
      if (options.dryRun || empty) throw new DryRun({ ...result, kept: false });
      return result;
    });
  } catch (err) {
    if (err instanceof DryRun) return err.result;
    throw err;
  }
}

const rowValues = (r: StatementRow) => ({
  kind: r.kind,
  title: r.title,
  amountCents: r.amountCents,
  occurredOn: r.occurredOn,
  notes: r.notes,
  paymentMethod: r.paymentMethod,
});

async function createImport(db: Db, userId: number, o: StoreOptions): Promise<number> {
  const [row] = await db
    .insert(imports)
    .values({
      userId,
      fileName: o.fileName.slice(0, LIMITS.importFileNameMax) || "statement.csv",
      settings: o.settings,
      status: "running",
    })
    .returning({ id: imports.id });
  if (!row) throw new Error("insert returned no row");
  return row.id;
}

/** The first and last date of the rows: the span where a copy can already be in the account. */
async function dateRange(rows: RowSource): Promise<{ from: string; to: string } | undefined> {
  let from: string | undefined;
  let to: string | undefined;
  for await (const r of rows()) {
    if (from === undefined || r.occurredOn < from) from = r.occurredOn;
    if (to === undefined || r.occurredOn > to) to = r.occurredOn;
  }
  return from && to ? { from, to } : undefined;
}

async function existingCounts(db: Db, userId: number, range: { from: string; to: string }) {
  const rows = await db
    .select({
      occurredOn: transactions.occurredOn,
      kind: transactions.kind,
      amountCents: transactions.amountCents,
      title: transactions.title,
    })
    .from(transactions)
    .where(
      and(
        eq(transactions.userId, userId),
        gte(transactions.occurredOn, range.from),
        lte(transactions.occurredOn, range.to),
      ),
    );
  const counts = new Map<string, number>();
  for (const r of rows) {
    const k = dedupeKey(r);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return counts;
}

/** The user's imports, newest first. */
export async function listImports(db: Db, userId: number): Promise<Import[]> {
  return db
    .select()
    .from(imports)
    .where(eq(imports.userId, userId))
    .orderBy(desc(imports.createdAt), desc(imports.id));
}

export async function getImport(db: Db, userId: number, id: number): Promise<Import | undefined> {
  const [row] = await db
    .select()
    .from(imports)
    .where(and(eq(imports.userId, userId), eq(imports.id, id)));
  return row;
}

/**
 * Undoes an import: deletes every transaction it stored and the import itself, in one database
 * transaction. Returns how many transactions went, or undefined when it is not the user's.
 */
export async function undoImport(db: Db, userId: number, id: number): Promise<number | undefined> {
  return db.transaction(async (tx) => {
    const [found] = await tx
      .select({ id: imports.id })
      .from(imports)
      .where(and(eq(imports.userId, userId), eq(imports.id, id)))
      .for("update");
    if (!found) return undefined;
    const gone = await tx
      .delete(transactions)
      .where(and(eq(transactions.userId, userId), eq(transactions.importId, id)))
      .returning({ id: transactions.id });
    await tx.delete(imports).where(eq(imports.id, id));
    return gone.length;
  });
}
