import { LIMITS } from "../db/schema.ts";

/** What the amount field accepts, shown whenever input is refused. */
export const AMOUNT_RULE =
  "Enter an amount above 0 and below 1,000,000,000 with a dot and at most 2 decimals, such as 12, 12.5 or 12.50";

const AMOUNT_PATTERN = /^(\d{1,9})(?:\.(\d{1,2}))?$/;

export type ParsedAmount = { ok: true; cents: bigint } | { ok: false; error: string };

/** Parses user input into integer cents; never goes through a float. */
export function parseAmount(input: string): ParsedAmount {
  const match = AMOUNT_PATTERN.exec(input.trim());
  if (!match) return { ok: false, error: AMOUNT_RULE };
  const units = BigInt(match[1] as string);
  const cents = units * 100n + BigInt((match[2] ?? "").padEnd(2, "0"));
  if (cents <= 0n || cents >= LIMITS.maxAmountCents) return { ok: false, error: AMOUNT_RULE };
  return { ok: true, cents };
}

/** Plain decimal form of cents, as typed in a form: 1234n -> "12.34". */
export function centsToDecimal(cents: bigint): string {
  const sign = cents < 0n ? "-" : "";
  const abs = cents < 0n ? -cents : cents;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, "0")}`;
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
}

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
    found = {
      amount: (cents) => full.format(centsToDecimal(cents) as `${number}`),
      compact: (cents) => short.format(centsToDecimal(cents) as `${number}`),
    };
    formatters.set(key, found);
  }
  return found;
}

/** ISO 4217 codes this runtime can format, for the settings page. */
export function supportedCurrencies(): string[] {
  return Intl.supportedValuesOf("currency");
}
