// A web import before its confirm: the uploaded bytes staged in import_uploads with an imports
// row in status `staged`, the settings the user gave so far, and then the queue for the job.
import { and, eq, lt, sql } from "drizzle-orm";
import type { CategoryMap } from "../csv/preview.ts";
import type { CsvSettings, PartialSettings } from "../csv/settings.ts";
import type { Db } from "../db/client.ts";
import { type Import, imports, importUploads, LIMITS } from "../db/schema.ts";

/** What a staged import keeps in `imports.settings` until its confirm. */
export interface StagedSettings {
  /** The settings the user (or a profile) gave; the guesser fills in the rest at each preview. */
  given: PartialSettings;
  categoryMap: CategoryMap;
}

/** What a queued import keeps there: the complete settings and the category choices. */
export type QueuedSettings = CsvSettings & { categoryMap?: CategoryMap };

/** Staged uploads older than this, never confirmed, are deleted. */
export const STAGED_TTL_MS = 24 * 60 * 60 * 1000;

export async function stageUpload(
  db: Db,
  userId: number,
  upload: { fileName: string; bytes: Uint8Array; given: PartialSettings; rowCount: number },
): Promise<number> {
  return db.transaction(async (tx) => {
    const settings: StagedSettings = { given: upload.given, categoryMap: {} };
    const [row] = await tx
      .insert(imports)
      .values({
        userId,
        fileName: upload.fileName.slice(0, LIMITS.importFileNameMax).trim() || "statement.csv",
        settings,
        status: "staged",
        rowCount: upload.rowCount,
      })
      .returning({ id: imports.id });
    if (!row) throw new Error("insert returned no row");
    await tx.insert(importUploads).values({ importId: row.id, content: upload.bytes });
    return row.id;
  });
}

/** A staged import of the user's with its bytes; undefined when not theirs or not staged. */
export async function loadStaged(
  db: Db,
  userId: number,
  id: number,
): Promise<{ row: Import; settings: StagedSettings; bytes: Uint8Array } | undefined> {
  const [found] = await db
    .select({ row: imports, bytes: importUploads.content })
    .from(imports)
    .innerJoin(importUploads, eq(importUploads.importId, imports.id))
    .where(and(eq(imports.userId, userId), eq(imports.id, id), eq(imports.status, "staged")));
  if (!found) return undefined;
  return { row: found.row, settings: found.row.settings as StagedSettings, bytes: found.bytes };
}

/** Keeps the settings of a staged import; false when it is not (or no longer) staged. */
export async function saveStagedSettings(
  db: Db,
  userId: number,
  id: number,
  settings: StagedSettings,
  rowCount: number,
): Promise<boolean> {
  const rows = await db
    .update(imports)
    .set({ settings, rowCount })
    .where(and(eq(imports.userId, userId), eq(imports.id, id), eq(imports.status, "staged")))
    .returning({ id: imports.id });
  return rows.length > 0;
}

/** Hands a staged import to the background job; false when it was not staged (a second confirm). */
export async function queueImport(
  db: Db,
  userId: number,
  id: number,
  queued: { settings: QueuedSettings; rowCount: number; badCount: number },
): Promise<boolean> {
  const rows = await db
    .update(imports)
    .set({
      settings: queued.settings,
      rowCount: queued.rowCount,
      badCount: queued.badCount,
      processedCount: 0,
      status: "queued",
    })
    .where(and(eq(imports.userId, userId), eq(imports.id, id), eq(imports.status, "staged")))
    .returning({ id: imports.id });
  return rows.length > 0;
}

/** Drops a staged import and its bytes; false when it is not staged. */
export async function discardStaged(db: Db, userId: number, id: number): Promise<boolean> {
  const rows = await db
    .delete(imports)
    .where(and(eq(imports.userId, userId), eq(imports.id, id), eq(imports.status, "staged")))
    .returning({ id: imports.id });
  return rows.length > 0;
}

/** Deletes every user's staged imports created before `before` (their bytes go with them). */
export async function deleteStaleStaged(db: Db, before: Date): Promise<number> {
  const rows = await db
    .delete(imports)
    .where(and(eq(imports.status, "staged"), lt(imports.createdAt, before)))
    .returning({ id: imports.id });
  return rows.length;
}

/** Progress of a running import, from outside its transaction; never moves back. */
export async function recordProgress(db: Db, id: number, processed: number): Promise<void> {
  await db
    .update(imports)
    .set({ processedCount: sql`greatest(${imports.processedCount}, ${processed})` })
    .where(and(eq(imports.id, id), eq(imports.status, "running")));
}
