// The server's background work, started once the database is ready and stopped before it closes.
import type { Db } from "../db/client.ts";
import type { Logger } from "../lib/logger.ts";
import { type ImportJobs, startImportJobs } from "./imports.ts";

export function backgroundJobs(deps: { db: Db; logger: Logger }) {
  let imports: ImportJobs | undefined;
  return {
    start() {
      imports ??= startImportJobs(deps);
    },
    async stop() {
      await imports?.stop();
    },
  };
}
