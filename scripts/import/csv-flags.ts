// The flags of `npm run import:csv`, read into settings for the guesser to complete.
import { parseArgs } from "node:util";
import { isDateFormat } from "../../service/src/csv/dates.ts";
import {
  ENCODINGS,
  type Encoding,
  type PartialSettings,
  parseDelimiter,
  SETTING_RULES,
} from "../../service/src/csv/settings.ts";

export const USAGE = `usage: npm run import:csv -- FILE --email you@example.com [--dry-run] [--skip-bad-rows]
  each optional, guessed when left out:
  --encoding utf-8|latin1   --delimiter ',' | ';' | tab | '|'   --skip-rows N
  --date-column NAME   --date-format FMT (tokens YYYY YY MM M DD D Mon, e.g. DD.MM.YYYY)
  --title-column NAME (repeatable)   --amount-column NAME | --debit-column NAME --credit-column NAME
  --decimal . | ,   --expense-sign negative|positive   --category-column NAME`;

export interface CsvCommand {
  file: string;
  email: string;
  dryRun: boolean;
  skipBadRows: boolean;
  given: PartialSettings;
}

/** The command, or the problems with its flags (each naming the flag and what it accepts). */
export function readCsvFlags(args: string[]): CsvCommand | { problems: string[] } {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (err) {
    return { problems: [(err as Error).message] };
  }
  const { values: v, positionals } = parsed;
  const problems: string[] = [];
  const given: PartialSettings = {};
  if (positionals.length !== 1) problems.push("give exactly one FILE to import");
  if (!v.email) problems.push("--email is needed: the account to import into");
  if (v.encoding !== undefined) {
    if ((ENCODINGS as readonly string[]).includes(v.encoding))
      given.encoding = v.encoding as Encoding;
    else problems.push(SETTING_RULES.encoding);
  }
  if (v.delimiter !== undefined) {
    const d = parseDelimiter(v.delimiter);
    if (d) given.delimiter = d;
    else problems.push(SETTING_RULES.delimiter);
  }
  if (v["skip-rows"] !== undefined) {
    const n = Number(v["skip-rows"]);
    if (/^\d+$/.test(v["skip-rows"]) && n <= 1000) given.skipRows = n;
    else problems.push(SETTING_RULES.skipRows);
  }
  if (v["date-format"] !== undefined) {
    if (isDateFormat(v["date-format"])) given.dateFormat = v["date-format"];
    else problems.push(SETTING_RULES.dateFormat);
  }
  if (v.decimal !== undefined) {
    if (v.decimal === "." || v.decimal === ",") given.decimal = v.decimal;
    else problems.push(SETTING_RULES.decimal);
  }
  if (v["expense-sign"] !== undefined) {
    if (v["expense-sign"] === "negative" || v["expense-sign"] === "positive")
      given.expenseSign = v["expense-sign"];
    else problems.push(SETTING_RULES.expenseSign);
  }
  const amount = v["amount-column"];
  const debit = v["debit-column"];
  const credit = v["credit-column"];
  if (amount !== undefined && (debit !== undefined || credit !== undefined))
    problems.push(SETTING_RULES.amount);
  else if ((debit === undefined) !== (credit === undefined))
    problems.push("--debit-column and --credit-column go together");
  else if (amount !== undefined) given.amount = { column: amount };
  else if (debit !== undefined && credit !== undefined) given.amount = { debit, credit };
  if (v["date-column"] !== undefined) given.dateColumn = v["date-column"];
  if (v["title-column"]?.length) given.titleColumns = v["title-column"];
  if (v["category-column"] !== undefined) given.categoryColumn = v["category-column"];
  if (problems.length > 0) return { problems };
  return {
    file: positionals[0] as string,
    email: v.email as string,
    dryRun: v["dry-run"] ?? false,
    skipBadRows: v["skip-bad-rows"] ?? false,
    given,
  };
}

function parse(args: string[]) {
  const text = { type: "string" } as const;
  return parseArgs({
    args,
    allowPositionals: true,
    options: {
      email: text,
      encoding: text,
      delimiter: text,
      "skip-rows": text,
      "date-column": text,
      "date-format": text,
      "title-column": { type: "string", multiple: true },
      "amount-column": text,
      "debit-column": text,
      "credit-column": text,
      decimal: text,
      "expense-sign": text,
      "category-column": text,
      "dry-run": { type: "boolean" },
      "skip-bad-rows": { type: "boolean" },
    },
  });
}
