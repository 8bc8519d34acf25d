// CSV as this app writes it: UTF-8, a header, RFC 4180 quoting, ISO dates, signed dot-decimal
// amounts, and free text neutralised against spreadsheet formula injection.
import type { CsvSettings } from "./settings.ts";

/** The export's header; a file that starts with it is read back with OWN_EXPORT_SETTINGS. */
export const EXPORT_COLUMNS = ["Date", "Title", "Amount", "Category", "Notes", "Payment method"];

export const OWN_EXPORT_SETTINGS: CsvSettings = {
  encoding: "utf-8",
  delimiter: ",",
  skipRows: 0,
  dateColumn: "Date",
  dateFormat: "YYYY-MM-DD",
  titleColumns: ["Title"],
  amount: { column: "Amount" },
  decimal: ".",
  expenseSign: "negative",
  categoryColumn: "Category",
  notesColumn: "Notes",
  paymentMethodColumn: "Payment method",
  ownExport: true,
};

/** One field, quoted when it holds a comma, a quote or a line break (RFC 4180). */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * Free text a spreadsheet could run as a formula gets a leading `'` (OWASP): values that begin
 * with = + - @ tab CR or `'` itself, so that reading back removes exactly one.
 */
export function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r']/.test(value) ? `'${value}` : value;
}

/** One line of the export, CRLF-terminated as RFC 4180 asks. */
export function csvLine(fields: string[]): string {
  return `${fields.map(csvField).join(",")}\r\n`;
}

export interface ExportRow {
  occurredOn: string;
  kind: "expense" | "income";
  amountCents: bigint;
  title: string;
  categoryName: string;
  notes: string | null;
  paymentMethod: string | null;
}

/** A transaction as a line: expenses negative, income positive. */
export function exportLine(r: ExportRow): string {
  const abs = r.amountCents < 0n ? -r.amountCents : r.amountCents;
  const amount = `${r.kind === "expense" ? "-" : ""}${abs / 100n}.${String(abs % 100n).padStart(2, "0")}`;
  return csvLine([
    r.occurredOn,
    neutraliseFormula(r.title),
    amount,
    neutraliseFormula(r.categoryName),
    neutraliseFormula(r.notes ?? ""),
    neutraliseFormula(r.paymentMethod ?? ""),
  ]);
}
