// RFC 4180 records from text that arrives in pieces: quoted fields may hold delimiters, quotes
// ("" is one quote) and line breaks; a line ends with LF, CRLF or a lone CR.

export interface CsvRecord {
  /** The physical line (1-based) the record starts on. */
  line: number;
  fields: string[];
  /** Set on the last record when the text ended inside a quoted field. */
  unclosed?: true;
}

export type Delimiter = "," | ";" | "\t" | "|";
export const DELIMITERS: readonly Delimiter[] = [",", ";", "\t", "|"];

/**
 * Splits text into records as it arrives: `push` returns the records completed by a piece, `end`
 * the last one. Holds one unfinished record at most, never the whole text.
 */
export class RecordReader {
  private field = "";
  private fields: string[] = [];
  private inQuotes = false;
  /** The previous character closed a quoted field's quote (or was the first of a "" pair). */
  private quoteSeen = false;
  /** Something of the current record was read (a blank line has nothing). */
  private recordStarted = false;
  /** Something of the current field was read: a quote opens a field only at its start. */
  private fieldStarted = false;
  private pendingCr = false;
  private line = 1;
  private recordLine = 1;
  private skipping: number;

  /** @param skipLines physical lines dropped before the first record, quotes ignored. Default 0. */
  constructor(
    private readonly delimiter: Delimiter,
    skipLines = 0,
  ) {
    this.skipping = skipLines;
  }

  push(text: string): CsvRecord[] {
    const out: CsvRecord[] = [];
    const d = this.delimiter;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i] as string;
      if (this.pendingCr) {
        this.pendingCr = false;
        if (ch === "\n") continue; // the LF of a CRLF already ended the line
      }
      if (this.skipping > 0) {
        if (ch === "\r" || ch === "\n") {
          this.pendingCr = ch === "\r";
          this.skipping--;
          this.line++;
          this.recordLine = this.line;
        }
        continue;
      }
      if (this.inQuotes) {
        if (this.quoteSeen) {
          this.quoteSeen = false;
          if (ch === '"') {
            this.field += '"';
            continue;
          }
          this.inQuotes = false; // the quote closed the field; fall through to read ch
        } else if (ch === '"') {
          this.quoteSeen = true;
          continue;
        } else {
          if (ch === "\r" || ch === "\n") {
            // Line breaks inside a field are kept as LF, whichever the file uses.
            this.line++;
            this.pendingCr = ch === "\r";
            this.field += "\n";
          } else this.field += ch;
          continue;
        }
      }
      if (ch === d) {
        this.fields.push(this.field);
        this.field = "";
        this.fieldStarted = false;
        this.recordStarted = true;
      } else if (ch === "\r" || ch === "\n") {
        this.pendingCr = ch === "\r";
        this.finishRecord(out);
        this.line++;
        this.recordLine = this.line;
      } else if (ch === '"' && !this.fieldStarted) {
        this.inQuotes = true;
        this.fieldStarted = true;
        this.recordStarted = true;
      } else {
        this.field += ch;
        this.fieldStarted = true;
        this.recordStarted = true;
      }
    }
    return out;
  }

  /**
   * The record left at the end of the text (one without a final line break). `unclosed` is set
   * when the text ended inside a quoted field.
   */
  end(): { records: CsvRecord[]; unclosed: boolean } {
    const out: CsvRecord[] = [];
    const unclosed = this.inQuotes && !this.quoteSeen;
    this.inQuotes = false;
    this.quoteSeen = false;
    if (this.recordStarted) this.finishRecord(out);
    const last = out[0];
    if (unclosed && last) last.unclosed = true;
    return { records: out, unclosed };
  }

  private finishRecord(out: CsvRecord[]) {
    // A blank line gives a record with one empty field, so that callers can count it.
    this.fields.push(this.field);
    out.push({ line: this.recordLine, fields: this.fields });
    this.fields = [];
    this.field = "";
    this.fieldStarted = false;
    this.recordStarted = false;
  }
}

/** All records of a whole text, for tests and small samples. */
export function readRecords(text: string, delimiter: Delimiter, skipLines = 0): CsvRecord[] {
  const reader = new RecordReader(delimiter, skipLines);
  return [...reader.push(text), ...reader.end().records];
}

/** Whether a record is a blank line (nothing but empty fields). */
export const isBlank = (r: CsvRecord) => r.fields.every((f) => f.trim() === "");
