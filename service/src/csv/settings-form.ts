// The preview's settings form: its fields to the settings they give, each refused with what it
// accepts; an empty field leaves the setting to the guesser.
import { isDateFormat } from "./dates.ts";
import { type CategoryMap, categoryKey } from "./preview.ts";
import {
  type CsvSettings,
  ENCODINGS,
  type Encoding,
  type PartialSettings,
  parseDelimiter,
} from "./settings.ts";

export type FormFields = Record<string, string | undefined>;

/** Title columns the form offers (joined with " - "). */
export const TITLE_FIELDS = 3;

/** Category choices of the form: `category.N` is "create" or a category id for `categoryName.N`. */
export const MAX_CATEGORY_CHOICES = 200;

export function settingsFromForm(f: FormFields): { given: PartialSettings; problems: string[] } {
  const problems: string[] = [];
  const given: PartialSettings = {};
  const v = (name: string) => (f[name] ?? "").trim();
  if (v("encoding")) {
    if ((ENCODINGS as readonly string[]).includes(v("encoding")))
      given.encoding = v("encoding") as Encoding;
    else problems.push("Encoding: choose UTF-8 or Windows-1252 (latin1).");
  }
  if (v("delimiter")) {
    const d = parseDelimiter(v("delimiter"));
    if (d) given.delimiter = d;
    else problems.push("Delimiter: choose , ; tab or |.");
  }
  if (v("skipRows")) {
    const n = Number(v("skipRows"));
    if (/^\d{1,4}$/.test(v("skipRows")) && n <= 1000) given.skipRows = n;
    else problems.push("Lines before the header: a whole number from 0 to 1000.");
  }
  if (v("dateColumn")) given.dateColumn = v("dateColumn");
  if (v("dateFormat")) {
    if (isDateFormat(v("dateFormat"))) given.dateFormat = v("dateFormat");
    else
      problems.push(
        "Date format: tokens YYYY YY MM M DD D Mon with other characters literal, with a year, a month and a day (e.g. DD.MM.YYYY).",
      );
  }
  const titles = Array.from({ length: TITLE_FIELDS }, (_, i) => v(`titleColumn${i}`)).filter(
    (t) => t !== "",
  );
  if (titles.length > 0) given.titleColumns = titles;
  const [amount, debit, credit] = [v("amountColumn"), v("debitColumn"), v("creditColumn")];
  if (amount && (debit || credit))
    problems.push("Amount: choose one amount column, or a debit and a credit column, not both.");
  else if (amount) given.amount = { column: amount };
  else if (debit && credit) given.amount = { debit, credit };
  else if (debit || credit) problems.push("Amount: a debit column needs a credit column too.");
  if (v("decimal")) {
    if (v("decimal") === "." || v("decimal") === ",") given.decimal = v("decimal") as "." | ",";
    else problems.push("Decimal mark: choose . or ,");
  }
  if (v("expenseSign")) {
    if (v("expenseSign") === "negative" || v("expenseSign") === "positive")
      given.expenseSign = v("expenseSign") as "negative" | "positive";
    else problems.push("Expenses are: choose negative or positive amounts.");
  }
  // "none" is a choice: no category column, even when one looks like it.
  if (v("categoryColumn")) given.categoryColumn = v("categoryColumn");
  return { given, problems };
}

/** The user's choices for unknown category names: a category id, or nothing (create it). */
export function categoryMapFromForm(f: FormFields, ownIds: ReadonlySet<number>): CategoryMap {
  const map: CategoryMap = {};
  for (let i = 0; i < MAX_CATEGORY_CHOICES; i++) {
    const name = f[`categoryName${i}`];
    const kind = f[`categoryKind${i}`];
    const choice = f[`category${i}`] ?? "";
    if (name === undefined) break;
    if (kind !== "expense" && kind !== "income") continue;
    const id = /^\d{1,9}$/.test(choice) ? Number(choice) : undefined;
    if (id !== undefined && ownIds.has(id)) map[categoryKey(kind, name)] = id;
  }
  return map;
}

/** The settings as the complete CsvSettings the import stores ("none" columns left out). */
export function completeSettings(s: CsvSettings): CsvSettings {
  const out = { ...s };
  if (out.categoryColumn === "" || out.categoryColumn === NO_COLUMN) out.categoryColumn = undefined;
  return out;
}

/** The category select's value for "no category column". */
export const NO_COLUMN = "(none)";
