// Restores a backup file into an account without transactions:
//   npm run restore -- --email you@example.com --file backup.json
// All of it in one database transaction, or nothing.
import { readFileSync, statSync } from "node:fs";
import { BackupRefusedError, readBackup } from "../backup/check.ts";
import { EXIT, megabytes, readFlags, withAccount } from "../backup/command.ts";
import { MAX_FILE_BYTES } from "../backup/format.ts";
import { restoreBackup } from "../backup/restore.ts";
import { formatMoney } from "../lib/money.ts";

const USAGE = "usage: npm run restore -- --email you@example.com --file backup.json";

async function main(): Promise<number> {
  const flags = readFlags(process.argv.slice(2), ["email", "file"] as const, USAGE);
  if (!flags) return EXIT.usage;
  let bytes: Buffer;
  try {
    // The size first: a file far too large is refused without reading it.
    const size = statSync(flags.file).size;
    if (size > MAX_FILE_BYTES) {
      console.error(
        `${flags.file} is ${megabytes(size)}; a backup can be at most ${megabytes(MAX_FILE_BYTES)}`,
      );
      return EXIT.refused;
    }
    bytes = readFileSync(flags.file);
  } catch (err) {
    console.error(`cannot read ${flags.file}: ${(err as Error).message}`);
    return EXIT.usage;
  }
  return withAccount("npm run restore", flags.email, async (database, user) => {
    try {
      const plan = readBackup(bytes, MAX_FILE_BYTES);
      const summary = await restoreBackup(database.db, user.id, plan);
      const money = (cents: bigint) => formatMoney(cents, plan.settings.currency);
      console.log(
        [
          `restored ${flags.file} into ${user.email}:`,
          `  ${summary.categories} categories, ${summary.budgets} budgets, ${summary.importRules} import rules`,
          `  ${summary.transactions} transactions: income ${money(summary.incomeCents)}, expenses ${money(summary.expenseCents)}`,
        ].join("\n"),
      );
      return EXIT.ok;
    } catch (err) {
      if (!(err instanceof BackupRefusedError)) throw err;
      console.error(
        [`${flags.file}: ${err.message}`, ...err.problems.map((p) => `  ${p}`)].join("\n"),
      );
      return EXIT.refused;
    }
  });
}

process.exitCode = await main();
