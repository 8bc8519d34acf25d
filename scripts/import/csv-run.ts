// What `npm run import:csv` does once its flags are read: check the whole file, then store it.
import { createReadStream } from "node:fs";
import type { ByteSource } from "../../service/src/csv/decode.ts";
import { guessSettings } from "../../service/src/csv/guess.ts";
import { goodRows, parseStatement, SettingsError } from "../../service/src/csv/rows.ts";
import { type CsvSettings, settingsToFlags } from "../../service/src/csv/settings.ts";
import { ImportRefusedError } from "../../service/src/data/import-categories.ts";
import { type StoreResult, storeImport } from "../../service/src/data/imports.ts";
import { findUserByEmail } from "../../service/src/data/users.ts";
import type { Db } from "../../service/src/db/client.ts";
import { centsToDecimal } from "../../service/src/lib/money.ts";
import type { CsvCommand } from "./csv-flags.ts";

/** Progress is printed every this many rows, so only large files show it. */
const PROGRESS_EVERY = 10_000;
/** Bad rows listed one by one; beyond, a count. */
const BAD_ROWS_LISTED = 50;

export interface Output {
  out(line: string): void;
  err(line: string): void;
}

export class CsvImportError extends Error {}

export const fileSource =
  (file: string): ByteSource =>
  () =>
    createReadStream(file, { highWaterMark: 64 * 1024 });

export interface CheckedFile {
  settings: CsvSettings;
  rows: number;
  bad: number;
}

/** Guesses what was not given and reads every row once; nothing is stored. */
export async function checkFile(
  source: ByteSource,
  command: CsvCommand,
  io: Output,
): Promise<CheckedFile> {
  const guess = await guessSettings(source, command.given);
  if (!guess.settings) throw new CsvImportError(guess.problems.join("\n"));
  const settings = guess.settings;
  io.out(`settings: ${settingsToFlags(settings).join(" ")}`);
  let rows = 0;
  let bad = 0;
  try {
    for await (const r of parseStatement(source, settings)) {
      rows++;
      if (rows % PROGRESS_EVERY === 0) io.err(`checked ${rows} rows`);
      if (r.ok) continue;
      bad++;
      if (bad <= BAD_ROWS_LISTED) io.out(`bad row, line ${r.line}: ${r.reason}`);
    }
  } catch (err) {
    if (err instanceof SettingsError) throw new CsvImportError(err.message);
    throw err;
  }
  if (bad > BAD_ROWS_LISTED) io.out(`... and ${bad - BAD_ROWS_LISTED} more bad rows`);
  return { settings, rows, bad };
}

/** Stores the checked file's good rows into the account; a dry run rolls back. */
export async function storeFile(
  db: Db,
  source: ByteSource,
  checked: CheckedFile,
  command: CsvCommand,
  io: Output,
): Promise<StoreResult> {
  const user = await findUserByEmail(db, command.email);
  if (!user)
    throw new CsvImportError(
      `no account with the email ${command.email}: create it first (npm run user:add)`,
    );
  let shown = 0;
  try {
    return await storeImport(db, user.id, {
      fileName: command.file.split("/").pop() ?? command.file,
      settings: checked.settings,
      rows: goodRows(source, checked.settings),
      dryRun: command.dryRun,
      onProgress: (n) => {
        if (checked.rows >= PROGRESS_EVERY && n - shown >= PROGRESS_EVERY) {
          shown = n;
          io.err(`stored ${n} of ${checked.rows - checked.bad} rows`);
        }
      },
    });
  } catch (err) {
    if (err instanceof ImportRefusedError) throw new CsvImportError(err.message);
    throw err;
  }
}

export function summary(result: StoreResult, checked: CheckedFile, command: CsvCommand): string[] {
  const verb = command.dryRun ? "would import" : "imported";
  const lines = [
    `${verb} ${result.imported} rows into ${command.email}: income ${centsToDecimal(result.incomeCents)}, expenses ${centsToDecimal(result.expenseCents)}`,
    `${result.duplicates} duplicates skipped (already in the account), ${checked.bad} bad rows skipped`,
  ];
  if (result.createdCategories.length > 0)
    lines.push(
      `${command.dryRun ? "would create" : "created"} categories: ${result.createdCategories.join(", ")}`,
    );
  if (result.kept) lines.push(`import #${result.importId}`);
  return lines;
}
