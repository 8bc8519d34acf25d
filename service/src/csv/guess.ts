// Guesses the settings of a CSV statement from its header and rows. What the caller gives is
// kept; the rest is guessed, and what cannot be told (dates that fit both day-first and
// month-first) is asked, never guessed.
import { type DecimalMark, decimalEvidence, parseAmount } from "./amount.ts";
import { BALANCE, columnByName } from "./columns.ts";
import { DATE_FORMATS, parseDate, swappedFormat } from "./dates.ts";
import { type ByteSource, decodeChunks, detectEncoding } from "./decode.ts";
import { EXPORT_COLUMNS, OWN_EXPORT_SETTINGS } from "./export.ts";
import { type CsvRecord, DELIMITERS, type Delimiter, isBlank, readRecords } from "./records.ts";
import { readFileRecords } from "./rows.ts";
import type { AmountColumns, CsvSettings, Encoding, PartialSettings } from "./settings.ts";

export interface Guess {
  /** Complete settings; undefined when something could not be told (see `problems`). */
  settings?: CsvSettings | undefined;
  /** What is known so far, for a form to show and the user to complete. */
  partial: PartialSettings;
  /** The header's columns, once the header is found. */
  header: string[];
  /** Questions for the user, each naming the setting to give. */
  problems: string[];
}

const SAMPLE_BYTES = 64 * 1024;
const SAMPLE_RECORDS = 200;

export async function guessSettings(
  source: ByteSource,
  given: PartialSettings = {},
): Promise<Guess> {
  const encoding: Encoding = given.encoding ?? (await detectEncoding(source));
  const { text, complete } = await sampleText(source, encoding);
  const delimiter = given.delimiter ?? chooseDelimiter(text, complete);
  const records = sampleRecords(text, delimiter, complete);
  const partial: PartialSettings = { ...given, encoding, delimiter };

  const headerAt =
    given.skipRows !== undefined
      ? records.findIndex((r) => r.line > (given.skipRows ?? 0))
      : findHeader(records);
  const headerRecord = records[headerAt];
  if (headerAt < 0 || !headerRecord)
    return { partial, header: [], problems: ["found no header row: give --skip-rows"] };
  partial.skipRows = headerRecord.line - 1;
  const header = headerRecord.fields.map((h) => h.trim());
  if (EXPORT_COLUMNS.every((c, i) => header[i] === c) && header.length === EXPORT_COLUMNS.length) {
    const settings = { ...OWN_EXPORT_SETTINGS, encoding, skipRows: partial.skipRows };
    return { settings, partial: settings, header, problems: [] };
  }
  const rows = records.slice(headerAt + 1).filter((r) => !isBlank(r));
  const sample = (name: string) => columnValues(rows, header, name);

  const problems: string[] = [];
  const taken = new Set<string>();
  const use = (name: string | undefined) => {
    if (name !== undefined) taken.add(name);
    return name;
  };

  partial.dateColumn = use(given.dateColumn ?? guessDateColumn(header, sample));
  const amount = given.amount ?? {};
  const amountColumns = guessAmount(header, sample, taken, amount);
  if (amountColumns) partial.amount = amountColumns;
  for (const c of amountColumns ? Object.values(amountColumns) : []) taken.add(c);
  partial.categoryColumn = use(given.categoryColumn ?? columnByName(header, "category", taken));
  partial.notesColumn = use(given.notesColumn ?? columnByName(header, "notes", taken));
  partial.titleColumns = given.titleColumns?.length
    ? given.titleColumns
    : guessTitle(header, sample, taken);
  partial.expenseSign = given.expenseSign ?? "negative";

  const columns = `the columns are ${header.map((h) => `"${h}"`).join(", ")}`;
  if (!partial.dateColumn) problems.push(`found no date column: give --date-column (${columns})`);
  if (!amountColumns)
    problems.push(
      `found no amount column: give --amount-column, or --debit-column and --credit-column (${columns})`,
    );
  if (partial.titleColumns.length === 0)
    problems.push(`found no title column: give --title-column (${columns})`);

  if (partial.dateColumn && amountColumns && (!given.dateFormat || !given.decimal)) {
    const seen = await scanFile(source, partial as ScanSettings, partial.dateColumn, amountColumns);
    if (!given.dateFormat) {
      const format = chooseDateFormat(seen.dateFormats);
      if (typeof format === "string") partial.dateFormat = format;
      else problems.push(format.problem);
    }
    partial.decimal = given.decimal ?? chooseDecimal(seen.evidence, delimiter);
  }
  if (given.dateFormat) partial.dateFormat = given.dateFormat;
  if (given.decimal) partial.decimal = given.decimal;
  const settings = problems.length === 0 ? (partial as CsvSettings) : undefined;
  return { settings, partial, header, problems };
}

/** The first 64 KB of text (or all of it), and whether that is the whole file. */
async function sampleText(source: ByteSource, encoding: Encoding) {
  let text = "";
  for await (const piece of decodeChunks(source(), encoding)) {
    text += piece;
    if (text.length >= SAMPLE_BYTES) return { text, complete: false };
  }
  return { text, complete: true };
}

function sampleRecords(text: string, delimiter: Delimiter, complete: boolean): CsvRecord[] {
  const records = readRecords(text, delimiter);
  // The sample's last record may be cut in the middle.
  return (complete ? records : records.slice(0, -1)).slice(0, SAMPLE_RECORDS);
}

/** Fields up to the last non-empty one: trailing empty fields do not count. */
const width = (r: CsvRecord) => {
  let w = r.fields.length;
  while (w > 0 && (r.fields[w - 1] ?? "").trim() === "") w--;
  return w;
};

/** Widest most common row width: the delimiter whose rows line up in the most columns. */
function chooseDelimiter(text: string, complete: boolean): Delimiter {
  let best: Delimiter = ",";
  let bestScore = 0;
  for (const d of DELIMITERS) {
    const widths = sampleRecords(text, d, complete)
      .map(width)
      .filter((w) => w >= 2);
    const mode = modeOf(widths);
    const score = mode === undefined ? 0 : widths.filter((w) => w === mode).length * mode;
    if (score > bestScore) [best, bestScore] = [d, score];
  }
  return best;
}

function modeOf(values: number[]): number | undefined {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let mode: number | undefined;
  for (const [v, n] of counts)
    if (mode === undefined || n > (counts.get(mode) ?? 0) || (n === counts.get(mode) && v > mode))
      mode = v;
  return mode;
}

const looksLikeData = (v: string) =>
  /\d/.test(v) &&
  (DATE_FORMATS.some((f) => parseDate(v, f)) ||
    parseAmount(v, ".").ok === true ||
    parseAmount(v, ",").ok === true);

/**
 * The header: the first record as wide as the usual row, with names rather than dates or
 * amounts, followed by a row. Account details and blank lines before it are skipped.
 */
function findHeader(records: CsvRecord[]): number {
  const mode = modeOf(records.map(width).filter((w) => w >= 2)) ?? 1;
  return records.findIndex((r, i) => {
    const w = width(r);
    const names = r.fields.slice(0, w).map((f) => f.trim());
    return (
      w >= mode &&
      i + 1 < records.length &&
      names.filter((n) => n !== "").length * 2 >= w &&
      !names.some(looksLikeData)
    );
  });
}

function columnValues(rows: CsvRecord[], header: string[], name: string): string[] {
  const at = header.indexOf(name);
  return rows.map((r) => (r.fields[at] ?? "").trim()).filter((v) => v !== "");
}

type Sample = (name: string) => string[];

function guessDateColumn(header: string[], sample: Sample): string | undefined {
  const byName = columnByName(header, "date");
  if (byName) return byName;
  return header.find((h) => {
    const values = sample(h);
    return values.length > 0 && values.every((v) => DATE_FORMATS.some((f) => parseDate(v, f)));
  });
}

const allAmounts = (values: string[]) =>
  values.length > 0 &&
  values.every((v) => parseAmount(v, ".").ok === true || parseAmount(v, ",").ok === true);

function guessAmount(
  header: string[],
  sample: Sample,
  taken: ReadonlySet<string>,
  given: Partial<{ column: string; debit: string; credit: string }>,
): AmountColumns | undefined {
  if (given.column) return { column: given.column };
  const debit = given.debit ?? columnByName(header, "debit", taken);
  const credit = given.credit ?? columnByName(header, "credit", taken);
  if (debit && credit) return { debit, credit };
  const byName = columnByName(header, "amount", taken);
  if (byName) return { column: byName };
  const found = header.find(
    (h) =>
      !taken.has(h) &&
      !BALANCE.test(h) &&
      allAmounts(sample(h)) &&
      !sample(h).every((v) => DATE_FORMATS.some((f) => parseDate(v, f))),
  );
  return found ? { column: found } : undefined;
}

/** The payee and the description joined when there are both; else the first text column. */
function guessTitle(header: string[], sample: Sample, taken: ReadonlySet<string>): string[] {
  const payee = columnByName(header, "payee", taken);
  const description = columnByName(header, "description", taken);
  const named = [payee, description].filter((c): c is string => c !== undefined);
  if (named.length > 0) return named;
  const text = header.find(
    (h) => h !== "" && !taken.has(h) && !BALANCE.test(h) && !allAmounts(sample(h)),
  );
  return text ? [text] : [];
}

type ScanSettings = Pick<CsvSettings, "encoding" | "delimiter" | "skipRows">;

/** Reads the whole file once: the date formats every date fits, and the decimal marks seen. */
async function scanFile(
  source: ByteSource,
  s: ScanSettings,
  dateColumn: string,
  amount: AmountColumns,
) {
  let dateFormats: string[] = [...DATE_FORMATS];
  const evidence = { ".": 0, ",": 0 };
  let header: string[] | undefined;
  let dateAt = -1;
  let amountAt: number[] = [];
  for await (const r of readFileRecords(source, s, s.skipRows)) {
    if (!header) {
      header = r.fields.map((h) => h.trim());
      dateAt = header.indexOf(dateColumn);
      amountAt = Object.values(amount).map((c) => header?.indexOf(c) ?? -1);
      continue;
    }
    const date = (r.fields[dateAt] ?? "").trim();
    if (date) {
      const fits = dateFormats.filter((f) => parseDate(date, f));
      // A row that fits none is a bad row, reported by the import; it does not decide the format.
      if (fits.length > 0) dateFormats = fits;
    }
    for (const at of amountAt) {
      const mark = decimalEvidence((r.fields[at] ?? "").trim());
      if (mark) evidence[mark]++;
    }
  }
  return { dateFormats, evidence };
}

function chooseDateFormat(formats: string[]): string | { problem: string } {
  const first = formats[0];
  if (!first) return { problem: "found no date format that fits the dates: give --date-format" };
  const twin = swappedFormat(first);
  if (twin && formats.includes(twin))
    return {
      problem: `every date fits both ${first} (day first) and ${twin} (month first): give --date-format ${first} or --date-format ${twin}`,
    };
  return first;
}

/** The decimal mark the amounts show; without a sign, "," in semicolon files, else ".". */
function chooseDecimal(evidence: Record<DecimalMark, number>, delimiter: Delimiter): DecimalMark {
  if (evidence[","] > evidence["."]) return ",";
  if (evidence["."] > evidence[","]) return ".";
  return delimiter === ";" ? "," : ".";
}
