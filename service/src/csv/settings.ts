// The settings that say how to read one bank's CSV, and the command-line flags that repeat them.
import type { DecimalMark } from "./amount.ts";
import { isDateFormat } from "./dates.ts";
import { DELIMITERS, type Delimiter } from "./records.ts";

export type Encoding = "utf-8" | "latin1";
export const ENCODINGS: readonly Encoding[] = ["utf-8", "latin1"];

export type AmountColumns = { column: string } | { debit: string; credit: string };

export interface CsvSettings {
  /** `latin1` reads Windows-1252 (a superset of ISO-8859-1 in the printable range). */
  encoding: Encoding;
  delimiter: Delimiter;
  /** Physical lines before the header row, blank lines counted. */
  skipRows: number;
  dateColumn: string;
  /** Tokens YYYY YY MM M DD D Mon; other characters literal. */
  dateFormat: string;
  /** Joined with " - " when there are several, empty ones left out. */
  titleColumns: string[];
  amount: AmountColumns;
  decimal: DecimalMark;
  /** `negative`: a negative amount is an expense (bank accounts); `positive`: card statements. */
  expenseSign: "negative" | "positive";
  categoryColumn?: string | undefined;
  notesColumn?: string | undefined;
  paymentMethodColumn?: string | undefined;
  /** The file is this app's own export: a leading `'` added against formula injection goes. */
  ownExport?: boolean | undefined;
}

/** The settings as the flags of `npm run import:csv` that repeat them. */
export function settingsToFlags(s: CsvSettings): string[] {
  const q = (v: string) => (/^[\w./-]+$/.test(v) ? v : `'${v.replaceAll("'", "'\\''")}'`);
  const flags = [
    `--encoding ${s.encoding}`,
    `--delimiter ${s.delimiter === "\t" ? "tab" : q(s.delimiter)}`,
    `--skip-rows ${s.skipRows}`,
    `--date-column ${q(s.dateColumn)}`,
    `--date-format ${q(s.dateFormat)}`,
    ...s.titleColumns.map((c) => `--title-column ${q(c)}`),
    ...("column" in s.amount
      ? [`--amount-column ${q(s.amount.column)}`]
      : [`--debit-column ${q(s.amount.debit)}`, `--credit-column ${q(s.amount.credit)}`]),
    `--decimal ${q(s.decimal)}`,
    `--expense-sign ${s.expenseSign}`,
  ];
  if (s.categoryColumn) flags.push(`--category-column ${q(s.categoryColumn)}`);
  return flags;
}

/** Settings given in part (flags, a form); the guesser fills in the rest. */
export type PartialSettings = Partial<Omit<CsvSettings, "amount">> & {
  amount?: Partial<{ column: string; debit: string; credit: string }>;
};

/** What each setting accepts, for the messages that refuse one. */
export const SETTING_RULES = {
  encoding: "--encoding takes utf-8 or latin1",
  delimiter: "--delimiter takes , ; tab or |",
  skipRows: "--skip-rows takes a whole number of lines from 0 to 1000",
  dateFormat:
    "--date-format takes tokens YYYY YY MM M DD D Mon with other characters literal, and needs a year, a month and a day (e.g. DD.MM.YYYY)",
  decimal: "--decimal takes . or ,",
  expenseSign: "--expense-sign takes negative or positive",
  amount: "give --amount-column, or --debit-column with --credit-column, not both",
} as const;

export function parseDelimiter(v: string): Delimiter | undefined {
  const d = v === "tab" || v === "\\t" ? "\t" : v;
  return (DELIMITERS as readonly string[]).includes(d) ? (d as Delimiter) : undefined;
}

/**
 * Problems of complete settings against a file's header: each names the setting and what it
 * accepts (the header's columns for a column setting).
 */
export function checkSettings(s: CsvSettings, header: string[]): string[] {
  const problems: string[] = [];
  const names = header.map((h) => h.trim());
  const columns = `the header's columns are ${names.map((n) => `"${n}"`).join(", ")}`;
  const need = (flag: string, name: string | undefined) => {
    if (name !== undefined && !names.includes(name))
      problems.push(`${flag} "${name}" is not a column: ${columns}`);
  };
  if (!isDateFormat(s.dateFormat)) problems.push(SETTING_RULES.dateFormat);
  need("--date-column", s.dateColumn);
  if (s.titleColumns.length === 0) problems.push(`--title-column is needed: ${columns}`);
  for (const c of s.titleColumns) need("--title-column", c);
  if ("column" in s.amount) need("--amount-column", s.amount.column);
  else {
    need("--debit-column", s.amount.debit);
    need("--credit-column", s.amount.credit);
  }
  need("--category-column", s.categoryColumn);
  need("notes column", s.notesColumn);
  need("payment method column", s.paymentMethodColumn);
  return problems;
}
