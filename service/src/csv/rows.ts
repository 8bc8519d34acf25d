// A statement's rows as transactions, streamed: each good row as it would be stored, each bad
// one with its line number and the reason.
import { LIMITS, type TransactionKind } from "../db/schema.ts";
import { type AmountResult, parseAmount } from "./amount.ts";
import { parseDate } from "./dates.ts";
import { type ByteSource, decodeChunks } from "./decode.ts";
import { type CsvRecord, isBlank, RecordReader } from "./records.ts";
import { type CsvSettings, checkSettings } from "./settings.ts";

export interface StatementRow {
  kind: TransactionKind;
  /** Integer cents above zero. */
  amountCents: bigint;
  occurredOn: string;
  title: string;
  category: string | null;
  notes: string | null;
  paymentMethod: string | null;
}

export type RowResult =
  | { line: number; ok: true; row: StatementRow }
  | { line: number; ok: false; reason: string };

/** The settings do not fit the file (a column that is not in its header, a bad date format). */
export class SettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
  }
}

/** Every record of the file after `skipLines` lines, decoded and split, one at a time. */
export async function* readFileRecords(
  source: ByteSource,
  settings: Pick<CsvSettings, "encoding" | "delimiter">,
  skipLines = 0,
): AsyncGenerator<CsvRecord> {
  const reader = new RecordReader(settings.delimiter, skipLines);
  for await (const text of decodeChunks(source(), settings.encoding)) yield* reader.push(text);
  yield* reader.end().records;
}

/** The header row: the first record after `skipRows`; undefined for a file with no such line. */
export async function readHeader(source: ByteSource, settings: CsvSettings) {
  for await (const r of readFileRecords(source, settings, settings.skipRows)) return r.fields;
  return undefined;
}

/**
 * The file's rows under `settings`. Throws SettingsError before the first row when the settings
 * do not fit the header. Blank lines are left out; every other row gives one result.
 */
export async function* parseStatement(
  source: ByteSource,
  settings: CsvSettings,
): AsyncGenerator<RowResult> {
  let columns: Map<string, number> | undefined;
  for await (const record of readFileRecords(source, settings, settings.skipRows)) {
    if (!columns) {
      const header = record.fields.map((h) => h.trim());
      const problems = checkSettings(settings, header);
      if (problems.length > 0) throw new SettingsError(problems);
      columns = new Map(header.map((h, i) => [h, i] as const).reverse());
      continue;
    }
    if (isBlank(record)) continue;
    yield toRow(record, columns, settings);
  }
  if (!columns)
    throw new SettingsError([`the file has no header row after ${settings.skipRows} lines`]);
}

function toRow(record: CsvRecord, columns: Map<string, number>, s: CsvSettings): RowResult {
  const line = record.line;
  const cell = (name: string | undefined) => {
    if (name === undefined) return "";
    const v = (record.fields[columns.get(name) ?? -1] ?? "").trim();
    return s.ownExport && v.startsWith("'") ? v.slice(1) : v;
  };
  const bad = (reason: string): RowResult => ({ line, ok: false, reason });
  if (record.unclosed)
    return bad(`a quoted field that starts here is never closed (a " is missing)`);
  // PostgreSQL cannot store NUL; a file with them is usually not text at all.
  if (record.fields.some((f) => f.includes("\u0000")))
    return bad("the row holds a NUL character (is the file a CSV text file?)");

  const dateText = cell(s.dateColumn);
  if (!dateText) return bad(`no date in column "${s.dateColumn}"`);
  const occurredOn = parseDate(dateText, s.dateFormat);
  if (!occurredOn) return bad(`date "${dateText}" is not a date in the format ${s.dateFormat}`);

  const amount = amountOf(s, cell);
  if (!amount.ok) return bad(amount.reason);
  const { amountCents, expense } = amount;
  if (amountCents === 0n) return bad("the amount is zero");
  if (amountCents >= LIMITS.maxAmountCents)
    return bad("the amount is 1,000,000,000 or more, above what an account holds");

  const title = clip(
    s.titleColumns
      .map(cell)
      .filter((t) => t !== "")
      .join(" - "),
    LIMITS.titleMax,
  );
  if (!title) return bad(`no title in ${s.titleColumns.map((c) => `"${c}"`).join(", ")}`);
  return {
    line,
    ok: true,
    row: {
      kind: expense ? "expense" : "income",
      amountCents,
      occurredOn,
      title,
      category: clip(cell(s.categoryColumn), LIMITS.categoryNameMax) || null,
      // Notes keep their line breaks and (in the app's own export) a leading tab.
      notes: cell(s.notesColumn).slice(0, LIMITS.notesMax) || null,
      paymentMethod: clip(cell(s.paymentMethodColumn), LIMITS.paymentMethodMax) || null,
    },
  };
}

type Amount = { ok: true; amountCents: bigint; expense: boolean } | { ok: false; reason: string };

/** The row's amount above zero, and whether it is money out. */
function amountOf(s: CsvSettings, cell: (name: string) => string): Amount {
  const read = (name: string): AmountResult => {
    const r = parseAmount(cell(name), s.decimal);
    return r.ok === false ? { ok: false, reason: `column "${name}": ${r.reason}` } : r;
  };
  if ("column" in s.amount) {
    const r = read(s.amount.column);
    if (r.ok === "empty") return { ok: false, reason: `no amount in column "${s.amount.column}"` };
    if (r.ok === false) return r;
    const expense = s.expenseSign === "negative" ? r.cents < 0n : r.cents > 0n;
    return { ok: true, amountCents: abs(r.cents), expense };
  }
  const debit = read(s.amount.debit);
  const credit = read(s.amount.credit);
  if (debit.ok === false) return debit;
  if (credit.ok === false) return credit;
  const d = debit.ok === true ? abs(debit.cents) : 0n;
  const c = credit.ok === true ? abs(credit.cents) : 0n;
  if (d !== 0n && c !== 0n)
    return {
      ok: false,
      reason: `both "${s.amount.debit}" and "${s.amount.credit}" hold an amount`,
    };
  if (debit.ok === "empty" && credit.ok === "empty")
    return { ok: false, reason: `no amount in "${s.amount.debit}" or "${s.amount.credit}"` };
  return { ok: true, amountCents: d !== 0n ? d : c, expense: d !== 0n };
}

const abs = (n: bigint) => (n < 0n ? -n : n);
const clip = (s: string, max: number) => s.replace(/\s+/g, " ").trim().slice(0, max).trim();

/** The good rows only, as a source that can be read again (the importer reads it twice). */
export function goodRows(source: ByteSource, settings: CsvSettings) {
  return async function* (): AsyncGenerator<StatementRow> {
    for await (const r of parseStatement(source, settings)) if (r.ok) yield r.row;
  };
}
