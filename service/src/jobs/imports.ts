// The background job of web imports: claims a queued import, stores all its rows in one database
// transaction through storeImport, and marks it done (or failed), deleting the staged bytes.
//
// Exclusion is the lock on the import's import_uploads row, held by the job's transaction
// (FOR UPDATE SKIP LOCKED) and released by its commit, which also deletes that row: two runners
// (two server processes) never store one import twice. A process that dies mid-job leaves
// nothing stored (its transaction is rolled back) and the import `running` with its bytes
// unlocked: the next runner takes it again from the start.
import { and, eq, inArray } from "drizzle-orm";
import { bytesSource } from "../csv/decode.ts";
import { goodRows, SettingsError } from "../csv/rows.ts";
import { ImportRefusedError } from "../data/import-categories.ts";
import {
  deleteStaleStaged,
  type QueuedSettings,
  recordProgress,
  STAGED_TTL_MS,
} from "../data/import-staging.ts";
import { storeImport } from "../data/imports.ts";
import type { Db } from "../db/client.ts";
import { describeCause, isDatabaseUnavailable } from "../db/errors.ts";
import { imports, importUploads } from "../db/schema.ts";
import type { Logger } from "../lib/logger.ts";

export interface ImportJobsOptions {
  db: Db;
  logger: Logger;
  /** How often the queue is looked at, in ms. Default 1000. */
  pollMs?: number;
  /** How often stale staged uploads are deleted, in ms. Default 10 minutes. */
  sweepMs?: number;
  /** Clock, replaceable in tests. Default `() => new Date()`. */
  now?: () => Date;
}

export interface ImportJobs {
  /** Runs queued imports until none is left; resolves with how many it ran. */
  drain(): Promise<number>;
  /** Stops polling; a job mid-way is abandoned (rolled back, taken again at the next start). */
  stop(): Promise<void>;
}

class JobStopped extends Error {}

/** The runner without its timer: what `startImportJobs` polls, and what tests drive. */
export function importJobs(options: ImportJobsOptions): ImportJobs & { stopping: boolean } {
  const { db, logger } = options;
  const runner = {
    stopping: false,
    async drain() {
      let ran = 0;
      while (!runner.stopping && (await runOne(db, logger, () => runner.stopping))) ran++;
      return ran;
    },
    async stop() {
      runner.stopping = true;
    },
  };
  return runner;
}

/** Polls the queue from now on; started by server.ts once the database is ready. */
export function startImportJobs(options: ImportJobsOptions): ImportJobs {
  const runner = importJobs(options);
  const now = options.now ?? (() => new Date());
  const sweepMs = options.sweepMs ?? 10 * 60 * 1000;
  let lastSweep = 0;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<unknown> = Promise.resolve();
  const tick = async () => {
    try {
      if (now().getTime() - lastSweep >= sweepMs) {
        lastSweep = now().getTime();
        const gone = await deleteStaleStaged(options.db, new Date(lastSweep - STAGED_TTL_MS));
        if (gone > 0) options.logger.info("deleted stale staged imports", { count: gone });
      }
      await runner.drain();
    } catch (err) {
      options.logger.warn("import job poll failed", { error: (err as Error).message });
    }
    if (!runner.stopping) timer = setTimeout(() => (current = tick()), options.pollMs ?? 1000);
  };
  current = tick();
  return {
    drain: () => runner.drain(),
    async stop() {
      await runner.stop();
      clearTimeout(timer);
      await current;
    },
  };
}

interface Claimed {
  id: number;
  userId: number;
  fileName: string;
  settings: QueuedSettings;
  rowCount: number;
  content: Uint8Array;
}

/** Runs one queued import; false when there was none to take. */
async function runOne(db: Db, logger: Logger, stopping: () => boolean): Promise<boolean> {
  let claimed: Claimed | undefined;
  // Outside the job's transaction, on another connection (PGlite runs them after its commit,
  // when they find the import no longer running and change nothing).
  let sideWrites: Promise<unknown> = Promise.resolve();
  const aside = (write: () => Promise<unknown>) => {
    sideWrites = sideWrites.then(write).catch(() => {});
  };
  try {
    await db.transaction(async (txn) => {
      const tx = txn as unknown as Db;
      const [found] = await tx
        .select({ id: imports.id, userId: imports.userId, fileName: imports.fileName })
        .from(importUploads)
        .innerJoin(imports, eq(imports.id, importUploads.importId))
        .where(inArray(imports.status, ["queued", "running"]))
        .orderBy(importUploads.importId)
        .limit(1)
        .for("update", { of: importUploads, skipLocked: true });
      if (!found) return;
      const [job] = await tx
        .select({
          settings: imports.settings,
          rowCount: imports.rowCount,
          content: importUploads.content,
        })
        .from(imports)
        .innerJoin(importUploads, eq(importUploads.importId, imports.id))
        .where(eq(imports.id, found.id));
      if (!job) return;
      claimed = { ...found, ...job, settings: job.settings as QueuedSettings };
      const id = found.id;
      aside(() =>
        db
          .update(imports)
          .set({ status: "running" })
          .where(and(eq(imports.id, id), eq(imports.status, "queued"))),
      );
      const { categoryMap, ...settings } = claimed.settings;
      await storeImport(tx, found.userId, {
        fileName: found.fileName,
        settings,
        rows: goodRows(bytesSource(job.content), settings),
        importId: id,
        categoryMap,
        onProgress: (n) => {
          if (stopping()) throw new JobStopped("stopping");
          aside(() => recordProgress(db, id, n));
        },
      });
      await tx.update(imports).set({ rowCount: job.rowCount }).where(eq(imports.id, id));
      await tx.delete(importUploads).where(eq(importUploads.importId, id));
    });
  } catch (err) {
    await sideWrites;
    if (!claimed) throw err;
    if (err instanceof JobStopped) return false;
    if (isDatabaseUnavailable(err)) {
      logger.warn("import job: database unreachable; the import will be taken again", {
        importId: claimed.id,
      });
      return false;
    }
    await markFailed(db, claimed.id, err);
    // PostgreSQL's reason, never the failed query's parameters (the user's titles).
    logger.warn("import failed", { importId: claimed.id, error: describeCause(err) });
    return true;
  }
  await sideWrites;
  if (claimed) logger.info("import done", { importId: claimed.id, rows: claimed.rowCount });
  return claimed !== undefined;
}

/** The import failed as a whole: nothing of it was stored; its bytes go, its reason stays. */
async function markFailed(db: Db, id: number, err: unknown) {
  const known = err instanceof ImportRefusedError || err instanceof SettingsError;
  const reason = known
    ? (err as Error).message
    : "The import failed on the server; nothing of it was stored. Upload the file again.";
  await db.transaction(async (tx) => {
    await tx
      .update(imports)
      .set({ status: "failed", error: reason, finishedAt: new Date() })
      .where(and(eq(imports.id, id), inArray(imports.status, ["queued", "running"])));
    await tx.delete(importUploads).where(eq(importUploads.importId, id));
  });
}
