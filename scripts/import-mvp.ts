// npm run import:mvp -- --file local.db --email you@example.com [--dry-run]
// Copies the expenses of the original Flask app (its SQLite local.db) into an account of this
// one, on the database the server uses (DATABASE_URL, or the embedded one under DATA_DIR).
import { parseArgs } from "node:util";
import { loadConfigOrReport } from "../service/src/config.ts";
import { migrate } from "../service/src/db/migrate.ts";
import { centsToDecimal } from "../service/src/lib/money.ts";
import { openDatabaseForCommand } from "../service/src/startup.ts";
import { ImportError } from "./import/mvp.ts";
import { importMvp } from "./import/run.ts";

const USAGE =
  "usage: npm run import:mvp -- --file path/to/local.db --email you@example.com [--dry-run]";

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      file: { type: "string" },
      email: { type: "string" },
      "dry-run": { type: "boolean", default: false },
    },
  });
  if (!values.file || !values.email) {
    console.error(USAGE);
    return 2;
  }
  const config = loadConfigOrReport(process.env);
  if (!config) return 2;
  const database = await openDatabaseForCommand(config, "npm run import:mvp");
  if (!database) return 2;
  try {
    await migrate(database.db);
    const report = await importMvp(database.db, {
      file: values.file,
      email: values.email,
      dryRun: values["dry-run"],
    });
    const total = report.rows.reduce((sum, r) => sum + r.amountCents, 0n);
    const verb = values["dry-run"] ? "would import" : "imported";
    console.log(
      `${verb} ${report.rows.length} expenses totalling ${centsToDecimal(total)} into ${values.email}`,
    );
    if (report.rounded > 0)
      console.log(
        `${report.rounded} amounts had more than 2 decimals and were rounded to the cent`,
      );
    const again = report.skipped.filter((s) => s.reason === "already imported").length;
    if (again > 0) console.log(`${again} expenses were imported before and were left as they are`);
    for (const s of report.skipped) {
      if (s.reason !== "already imported")
        console.log(`skipped expense #${s.sourceId}: ${s.reason}`);
    }
    return 0;
  } catch (err) {
    if (err instanceof ImportError) {
      console.error(err.message);
      return 1;
    }
    throw err;
  } finally {
    await database.close();
  }
}

process.exitCode = await main();
