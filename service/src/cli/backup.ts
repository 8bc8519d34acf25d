// Writes one account's backup file:  npm run backup -- --email you@example.com --out FILE
// The file is written next to FILE first and renamed into place, so FILE is whole or untouched.
import { once } from "node:events";
import { createWriteStream, renameSync, rmSync, statSync } from "node:fs";
import { EXIT, megabytes, readFlags, withAccount } from "../backup/command.ts";
import { writeBackup } from "../backup/write.ts";

const USAGE = "usage: npm run backup -- --email you@example.com --out backup.json";

async function main(): Promise<number> {
  const flags = readFlags(process.argv.slice(2), ["email", "out"] as const, USAGE);
  if (!flags) return EXIT.usage;
  return withAccount("npm run backup", flags.email, async (database, user) => {
    const draft = `${flags.out}.${process.pid}.part`;
    // Personal finances: readable by the owner of the file only.
    const out = createWriteStream(draft, { mode: 0o600 });
    try {
      await once(out, "open");
      const summary = await writeBackup(database.db, user.id, async (chunk) => {
        if (!out.write(chunk)) await once(out, "drain");
      });
      out.end();
      await once(out, "finish");
      renameSync(draft, flags.out);
      console.log(
        `backed up ${user.email} to ${flags.out} (${megabytes(statSync(flags.out).size)}): ${summary.categories} categories, ${summary.budgets} budgets, ${summary.importRules} import rules, ${summary.transactions} transactions`,
      );
      return EXIT.ok;
    } catch (err) {
      out.destroy();
      rmSync(draft, { force: true });
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "EACCES" || code === "EISDIR" || code === "ENOTDIR") {
        console.error(`cannot write ${flags.out}: ${(err as Error).message}`);
        return EXIT.usage;
      }
      throw err;
    }
  });
}

process.exitCode = await main();
