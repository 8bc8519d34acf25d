// Amounts as banks write them, to exact integer cents: never through a float.

export type DecimalMark = "." | ",";

export type AmountResult =
  | { ok: true; cents: bigint }
  | { ok: false; reason: string }
  /** The field is empty (a debit/credit pair leaves one of the two empty). */
  | { ok: "empty" };

// Currency symbols and ISO 4217-like codes before or after the number ("€", "EUR", "US$", "CHF").
const CURRENCY = /^(?:[A-Z]{3}|[A-Z]{0,2}[$€£¥₹₽₩₺₫₪฿₴₦₱¢]|kr|zł|Fr\.?|R\$)/u;
const SPACES = /[\s\u00a0\u202f\u2009]/gu;

/** Accepted forms, for error messages. */
export const AMOUNT_FORMS =
  "digits with at most 2 decimals after the decimal mark, optional thousands separators (. , ' or space), a currency symbol or code, and - or parentheses for negative";

function parseSigned(text: string, decimal: DecimalMark): AmountResult {
  let s = text.trim();
  if (s === "") return { ok: "empty" };
  let negative = false;
  const stripCurrency = () => {
    s = s.trim();
    const before = CURRENCY.exec(s);
    if (before) s = s.slice(before[0].length).trim();
    const after = /(?:[A-Z]{3}|[A-Z]{0,2}[$€£¥₹₽₩₺₫₪฿₴₦₱¢]|kr|zł|Fr\.?|R\$)$/u.exec(s);
    if (after) s = s.slice(0, s.length - after[0].length).trim();
  };
  stripCurrency();
  if (s.startsWith("(") && s.endsWith(")")) {
    negative = true;
    s = s.slice(1, -1);
    stripCurrency();
  }
  if (/^[-−–]/u.test(s)) {
    negative = !negative || fail();
    s = s.slice(1);
    stripCurrency();
  } else if (s.startsWith("+")) {
    s = s.slice(1);
    stripCurrency();
  } else if (/[-−–]$/u.test(s)) {
    negative = !negative || fail();
    s = s.slice(0, -1);
    stripCurrency();
  }
  const digits = s.replace(SPACES, "");
  const cents = toCents(digits, decimal);
  if (cents === undefined) return { ok: false, reason: `"${text.trim()}" is not an amount` };
  return { ok: true, cents: negative ? -cents : cents };
}

function fail(): never {
  throw new DoubleSign();
}
class DoubleSign extends Error {}

/** "1.234,56" with "," -> 123456n; undefined when it is not a well-formed number. */
function toCents(s: string, decimal: DecimalMark): bigint | undefined {
  const thousands = decimal === "," ? "." : ",";
  const at = s.lastIndexOf(decimal);
  const whole = at >= 0 ? s.slice(0, at) : s;
  let fraction = at >= 0 ? s.slice(at + 1) : "";
  if (at >= 0 && !/^\d+$/.test(fraction)) return undefined;
  // More than 2 decimals only when the extra ones are zeros ("12.500" is 12.50).
  if (fraction.length > 2) {
    if (!/^0+$/.test(fraction.slice(2))) return undefined;
    fraction = fraction.slice(0, 2);
  }
  if (!/^\d/.test(whole) && !(whole === "" && fraction !== "")) return undefined;
  const groups = whole.split(new RegExp(`[${regexpChar(thousands)}']`));
  if (groups.some((g) => !/^\d*$/.test(g))) return undefined;
  // With separators, every group after the first has three digits.
  if (groups.length > 1 && groups.slice(1).some((g) => g.length !== 3)) return undefined;
  if (groups.length > 1 && (groups[0] ?? "") === "") return undefined;
  const units = groups.join("") || "0";
  if (units.length > 15) return undefined;
  return BigInt(units) * 100n + BigInt(fraction.padEnd(2, "0") || "0");
}

const regexpChar = (c: string) => (c === "." ? "\\." : c);

/**
 * Parses a signed amount such as "-1.234,56 €", "(12.50)", "USD 1,200", "12.50-" or "1'234.50".
 * `decimal` is the decimal mark; the other of `.` and `,`, the apostrophe and spaces separate
 * thousands.
 */
export function parseAmount(text: string, decimal: DecimalMark): AmountResult {
  try {
    return parseSigned(text, decimal);
  } catch (err) {
    if (err instanceof DoubleSign)
      return { ok: false, reason: `"${text.trim()}" has two minus signs` };
    throw err;
  }
}

/**
 * What a value says about the decimal mark: "," for "12,50" or "1.234,5", "." for "12.50" or
 * "1,234.56", undefined when it cannot tell ("1,234", "12").
 */
export function decimalEvidence(text: string): DecimalMark | undefined {
  const s = text.replace(SPACES, "");
  const lastDot = s.lastIndexOf(".");
  const lastComma = s.lastIndexOf(",");
  if (lastDot >= 0 && lastComma >= 0) return lastDot > lastComma ? "." : ",";
  const mark = lastDot >= 0 ? "." : lastComma >= 0 ? "," : undefined;
  if (!mark) return undefined;
  const after = /^(\d*)/.exec(s.slice(s.lastIndexOf(mark) + 1))?.[1] ?? "";
  if (after.length === 1 || after.length === 2) return mark;
  // Two of the same mark ("1.234.567") can only be thousands separators.
  if (s.indexOf(mark) !== s.lastIndexOf(mark)) return mark === "." ? "," : ".";
  return undefined;
}
