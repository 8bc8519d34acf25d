// The server's background work, started once the database is ready and stopped before it closes:
// CSV imports confirmed on the imports page, and the occurrences of recurring rules.
import type { Db } from "../db/client.ts";
import type { Logger } from "../lib/logger.ts";
import { type ImportJobs, startImportJobs } from "./imports.ts";
import { type RecurringWorker, startRecurringWorker } from "./recurring-worker.ts";

export function backgroundJobs(deps: { db: Db; logger: Logger }) {
  let imports: ImportJobs | undefined;
  let recurring: RecurringWorker | undefined;
  return {
    start() {
      imports ??= startImportJobs(deps);
      recurring ??= startRecurringWorker(deps);
    },
    /** Asks the recurring worker for a pass soon (a rule was added or changed). */
    wakeRecurring() {
      recurring?.wake();
    },
    async stop() {
      const results = await Promise.allSettled([imports?.stop(), recurring?.stop()]);
      for (const r of results) {
        if (r.status === "rejected") {
          deps.logger.warn("stopping background work failed", { error: String(r.reason) });
        }
      }
    },
  };
}
