// Loads a whole-database dump (the settings page's "Download the database") into a new embedded
// data folder:  DATA_DIR=.data-restored npm run db:load-dump -- --file dump.sql
// Into PostgreSQL, load it with psql instead (see the README).
import { readFileSync } from "node:fs";
import { EXIT, readFlags } from "../backup/command.ts";
import { loadConfigOrReport } from "../config.ts";
import { loadEmbeddedDump } from "../db/embedded-dump.ts";
import { EmbeddedDatabaseBusyError } from "../db/embedded-lock.ts";

const USAGE = "usage: DATA_DIR=new-folder npm run db:load-dump -- --file dump.sql";

async function main(): Promise<number> {
  const flags = readFlags(process.argv.slice(2), ["file"] as const, USAGE);
  if (!flags) return EXIT.usage;
  const config = loadConfigOrReport(process.env);
  if (!config) return EXIT.usage;
  if (config.databaseUrl) {
    console.error("DATABASE_URL is set: load the dump into PostgreSQL with psql (see the README)");
    return EXIT.usage;
  }
  let dump: string;
  try {
    dump = readFileSync(flags.file, "utf8");
  } catch (err) {
    console.error(`cannot read ${flags.file}: ${(err as Error).message}`);
    return EXIT.usage;
  }
  try {
    await loadEmbeddedDump(`${config.dataDir}/pglite`, dump);
  } catch (err) {
    if (err instanceof EmbeddedDatabaseBusyError) {
      console.error(err.message);
      return EXIT.usage;
    }
    console.error(`the dump was not loaded: ${(err as Error).message}`);
    return EXIT.refused;
  }
  console.log(`loaded ${flags.file} into ${config.dataDir}/pglite`);
  return EXIT.ok;
}

process.exitCode = await main();
