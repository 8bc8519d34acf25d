// npm run import:csv -- FILE --email you@example.com [flags]
// Imports a bank's CSV statement into an account, on the database the server uses
// (DATABASE_URL, or the embedded one under DATA_DIR): every row in one transaction, or none.
import { statSync } from "node:fs";
import { loadConfigOrReport } from "../service/src/config.ts";
import { migrate } from "../service/src/db/migrate.ts";
import { openDatabaseForCommand } from "../service/src/startup.ts";
import { readCsvFlags, USAGE } from "./import/csv-flags.ts";
import {
  CsvImportError,
  checkFile,
  fileSource,
  type Output,
  storeFile,
  summary,
} from "./import/csv-run.ts";

const io: Output = { out: (l) => console.log(l), err: (l) => console.error(l) };

async function main(): Promise<number> {
  const command = readCsvFlags(process.argv.slice(2));
  if ("problems" in command) {
    for (const p of command.problems) console.error(p);
    console.error(USAGE);
    return 2;
  }
  try {
    if (!statSync(command.file).isFile()) throw new Error("not a file");
  } catch (err) {
    console.error(`cannot read ${command.file}: ${(err as Error).message}`);
    return 2;
  }
  const source = fileSource(command.file);
  try {
    const checked = await checkFile(source, command, io);
    if (checked.bad > 0 && !command.skipBadRows) {
      console.error(
        `${checked.bad} bad rows: nothing stored. Fix them, change the settings, or give --skip-bad-rows to import the rest`,
      );
      return 1;
    }
    const config = loadConfigOrReport(process.env);
    if (!config) return 2;
    const database = await openDatabaseForCommand(config, "npm run import:csv");
    if (!database) return 2;
    try {
      await migrate(database.db);
      const result = await storeFile(database.db, source, checked, command, io);
      for (const line of summary(result, checked, command)) io.out(line);
      return 0;
    } finally {
      await database.close();
    }
  } catch (err) {
    if (err instanceof CsvImportError) {
      console.error(err.message);
      return 1;
    }
    throw err;
  }
}

process.exitCode = await main();
