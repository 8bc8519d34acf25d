import { LIMITS, type NumberFormat } from "../db/schema.ts";

/** The number format of the API, the CSV export and a new account. */
export const DEFAULT_NUMBER_FORMAT: NumberFormat = "1,234.56";

/** What the amount field accepts, shown whenever input is refused (the default format). */
export const AMOUNT_RULE =
  "Enter an amount above 0 and below 1,000,000,000 with a dot and at most 2 decimals, such as 12, 12.5 or 12.50";

/** Each format's decimal and group separators, its rule, and the locale Intl shows it with. */
const FORMATS: Record<
  NumberFormat,
  { decimal: string; group: string; rule: string; locale: string; groupedNeedsDecimals: boolean }
> = {
  "1,234.56": {
    decimal: ".",
    group: ",",
    rule: AMOUNT_RULE,
    locale: "en-US",
    groupedNeedsDecimals: true,
  },
  "1.234,56": {
    decimal: ",",
    group: ".",
    rule: "Enter an amount above 0 and below 1.000.000.000 with a decimal comma and at most 2 decimals, such as 12, 12,5 or 12,50 (dots only between groups of three digits, with the decimals after them: 1.234,50)",
    locale: "de-DE",
    groupedNeedsDecimals: true,
  },
  "1 234,56": {
    decimal: ",",
    group: " ",
    rule: "Enter an amount above 0 and below 1 000 000 000 with a decimal comma and at most 2 decimals, such as 12, 12,5, 12,50 or 1 234,50",
    locale: "fr-FR",
    groupedNeedsDecimals: false,
  },
};

const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const PATTERNS = new Map(
  Object.entries(FORMATS).map(([format, f]) => {
    const decimals = `(?:${literal(f.decimal)}(\\d{1,2}))`;
    return [
      format as NumberFormat,
      {
        plain: new RegExp(`^(\\d{1,9})${decimals}?$`),
        // A group separator only between groups of three. With a dot or a comma, a grouped number
        // needs its decimals: "1.234" alone is 1,234 in one format and 1.234 in the other.
        grouped: new RegExp(
          `^(\\d{1,3}(?:${literal(f.group)}\\d{3}){1,2})${decimals}${f.groupedNeedsDecimals ? "" : "?"}$`,
        ),
      },
    ];
  }),
);

/** The amount field's rule in a number format. */
export function amountRule(format: NumberFormat = DEFAULT_NUMBER_FORMAT): string {
  return FORMATS[format].rule;
}

export type ParsedAmount = { ok: true; cents: bigint } | { ok: false; error: string };

/**
 * Parses what a user typed, in their number format, into integer cents; never goes through a
 * float. The default format takes `12`, `12.5`, `12.50` and `1,234.50`.
 */
export function parseAmount(
  input: string,
  format: NumberFormat = DEFAULT_NUMBER_FORMAT,
): ParsedAmount {
  const f = FORMATS[format];
  const patterns = PATTERNS.get(format);
  // Spaces typed or pasted as no-break spaces (French locales group with U+202F).
  const text = input.trim().replace(/[\u00a0\u202f]/g, " ");
  const match = patterns?.plain.exec(text) ?? patterns?.grouped.exec(text);
  const error = amountRule(format);
  if (!match) return { ok: false, error };
  const units = BigInt((match[1] as string).split(f.group).join(""));
  const cents = units * 100n + BigInt((match[2] ?? "").padEnd(2, "0"));
  if (cents <= 0n || cents >= LIMITS.maxAmountCents) return { ok: false, error };
  return { ok: true, cents };
}

/** Plain decimal form of cents, as typed in a form: 1234n -> "12.34" (or "12,34"). */
export function centsToDecimal(
  cents: bigint,
  format: NumberFormat = DEFAULT_NUMBER_FORMAT,
): string {
  const sign = cents < 0n ? "-" : "";
  const abs = cents < 0n ? -cents : cents;
  return `${sign}${abs / 100n}${FORMATS[format].decimal}${String(abs % 100n).padStart(2, "0")}`;
}

/** The Intl locale that shows a number format's separators. */
export const localeOf = (format: NumberFormat): string => FORMATS[format].locale;

/** The user's money formatters: their currency, in their number format. */
export const moneyFor = (user: { currency: string; numberFormat: NumberFormat }) =>
  moneyFormatters(user.currency, localeOf(user.numberFormat));

/** The currency's symbol in a format's locale, and whether it follows the number ("12,50 €"). */
export function currencySymbol(
  currency: string,
  format: NumberFormat,
): { symbol: string; after: boolean } {
  const parts = moneyFormatters(currency, localeOf(format)).parts(100n);
  const at = parts.findIndex((p) => p.type === "currency");
  const number = parts.findIndex((p) => p.type === "integer");
  return { symbol: parts[at]?.value ?? currency, after: at > number };
}

/**
 * Localised money for display: 1234n, "USD" -> "$12.34". Intl formats the decimal string exactly
 * (string input keeps full precision), so no float is involved.
 */
export function formatMoney(cents: bigint, currency: string, locale = "en-US"): string {
  return moneyFormatters(currency, locale).amount(cents);
}

export interface MoneyFormatters {
  /** Full amount: 123456n -> "$1,234.56". */
  amount: (cents: bigint) => string;
  /** Short axis label: 123456n -> "$1.2K". */
  compact: (cents: bigint) => string;
  /** With its sign, for rows and nets: 1234n -> "+$12.34", -1234n -> "-$12.34", 0n -> "$0.00". */
  signed: (cents: bigint) => string;
  /** The parts Intl formats an amount into. */
  parts: (cents: bigint) => Intl.NumberFormatPart[];
}

/** Cents as the exact decimal string Intl formats without a float. */
const decimalOf = (cents: bigint) => centsToDecimal(cents) as `${number}`;

// Building an Intl.NumberFormat is far slower than formatting with one; a page formats hundreds.
const formatters = new Map<string, MoneyFormatters>();

/** Formatters for one currency and locale, built once and reused. */
export function moneyFormatters(currency: string, locale = "en-US"): MoneyFormatters {
  const key = `${locale}\u0000${currency}`;
  let found = formatters.get(key);
  if (!found) {
    const full = new Intl.NumberFormat(locale, {
      style: "currency",
      currency,
      minimumFractionDigits: 2,
      maximumFractionDigits: 2,
    });
    const short = new Intl.NumberFormat(locale, {
      style: "currency",
      currency,
      notation: "compact",
      maximumFractionDigits: 1,
    });
    const signed = new Intl.NumberFormat(locale, {
      style: "currency",
      currency,
      minimumFractionDigits: 2,
      maximumFractionDigits: 2,
      signDisplay: "exceptZero",
    });
    const intl = (f: Intl.NumberFormat) => (cents: bigint) => f.format(decimalOf(cents));
    found = {
      amount: templated(full) ?? intl(full),
      compact: intl(short),
      signed: templated(signed) ?? intl(signed),
      parts: (cents) => full.formatToParts(decimalOf(cents)),
    };
    formatters.set(key, found);
  }
  return found;
}

const NUMBER_PARTS = new Set(["integer", "group", "decimal", "fraction"]);

/**
 * What a formatter writes around the number, for a positive, a negative and a zero amount, and
 * its separators, read once from Intl's own parts of sample amounts.
 */
function patternOf(f: Intl.NumberFormat) {
  const around = (sample: `${number}`) => {
    const parts = f.formatToParts(sample);
    const first = parts.findIndex((p) => NUMBER_PARTS.has(p.type));
    const last = parts.findLastIndex((p) => NUMBER_PARTS.has(p.type));
    const text = (from: number, to?: number) =>
      parts
        .slice(from, to)
        .map((p) => p.value)
        .join("");
    return { before: text(0, first), number: parts.slice(first, last + 1), after: text(last + 1) };
  };
  const positive = around("1234567.89");
  const group = positive.number.find((p) => p.type === "group")?.value;
  const point = positive.number.find((p) => p.type === "decimal")?.value;
  if (group === undefined || point === undefined) return undefined;
  return { positive, negative: around("-1234567.89"), zero: around("0"), group, point };
}

/**
 * The formatter as string building: 0.2 µs an amount against Intl's 1 µs, and a page shows
 * dozens. Used only when it writes exactly what Intl writes for a set of probes (grouping by
 * threes, Latin digits); otherwise undefined and Intl formats every amount.
 */
function templated(f: Intl.NumberFormat): ((cents: bigint) => string) | undefined {
  const pattern = patternOf(f);
  if (!pattern) return undefined;
  const { positive, negative, zero, group, point } = pattern;
  const format = (cents: bigint) => {
    const abs = cents < 0n ? -cents : cents;
    const units = String(abs / 100n);
    let grouped = units.slice(0, ((units.length - 1) % 3) + 1);
    for (let i = grouped.length; i < units.length; i += 3) grouped += group + units.slice(i, i + 3);
    const number = `${grouped}${point}${String(abs % 100n).padStart(2, "0")}`;
    const around = cents < 0n ? negative : cents > 0n ? positive : zero;
    return `${around.before}${number}${around.after}`;
  };
  const probes = [
    0n,
    1n,
    -1n,
    99n,
    100n,
    -100n,
    123_456n,
    1_000_000n,
    -99_999_999_999n,
    10n ** 20n,
  ];
  return probes.every((c) => format(c) === f.format(decimalOf(c))) ? format : undefined;
}

/** ISO 4217 codes this runtime can format, for the settings page. */
export function supportedCurrencies(): string[] {
  return Intl.supportedValuesOf("currency");
}
