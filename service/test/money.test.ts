import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  centsToDecimal,
  formatMoney,
  moneyFormatters,
  parseAmount,
  supportedCurrencies,
} from "../src/lib/money.ts";

describe("parseAmount", () => {
  it.each([
    ["12", 1200n],
    ["12.5", 1250n],
    ["12.50", 1250n],
    ["0.01", 1n],
    [" 7.07 ", 707n],
    ["999999999.99", 99_999_999_999n],
  ])("accepts %j as %s cents", (input, cents) => {
    expect(parseAmount(input)).toEqual({ ok: true, cents });
  });

  it.each([
    "",
    "0",
    "0.00",
    "-5",
    "1e3",
    "12.345",
    "12,50",
    "1,000",
    ".5",
    "5.",
    "abc",
    "1000000000",
    "NaN",
    "Infinity",
    "0x10",
    "+5",
  ])("refuses %j with a message that says what is accepted", (input) => {
    const r = parseAmount(input);
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.error).toMatch(/above 0 .* at most 2 decimals, such as 12, 12\.5 or 12\.50/);
  });
});

describe("money display", () => {
  it("shows 0.1 + 0.2 as exactly 0.30", () => {
    const a = parseAmount("0.1");
    const b = parseAmount("0.2");
    if (!a.ok || !b.ok) throw new Error("parse failed");
    expect(centsToDecimal(a.cents + b.cents)).toBe("0.30");
    expect(formatMoney(a.cents + b.cents, "USD")).toBe("$0.30");
  });

  it("formats the largest amount without rounding", () => {
    expect(formatMoney(99_999_999_999n, "USD")).toBe("$999,999,999.99");
    expect(centsToDecimal(99_999_999_999n)).toBe("999999999.99");
  });

  it("formats sums beyond a float's exact range exactly", () => {
    const big = 99_999_999_999n * 1_000_000n;
    expect(centsToDecimal(big)).toBe("999999999990000.00");
    expect(formatMoney(big + 1n, "USD")).toBe("$999,999,999,990,000.01");
  });

  it("formats negative nets", () => {
    expect(formatMoney(-1234n, "EUR")).toBe("-€12.34");
    expect(centsToDecimal(-5n)).toBe("-0.05");
  });
});

describe("moneyFormatters", () => {
  const LOCALES = ["en-US", "de-DE", "fr-FR"];
  const cents = fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n });
  const viaIntl = (locale: string, currency: string, signDisplay: "auto" | "exceptZero") =>
    new Intl.NumberFormat(locale, {
      style: "currency",
      currency,
      minimumFractionDigits: 2,
      maximumFractionDigits: 2,
      signDisplay,
    });

  it("writes what Intl writes, for every currency in every number format's locale", () => {
    for (const locale of LOCALES) {
      for (const currency of supportedCurrencies()) {
        const m = moneyFormatters(currency, locale);
        const amount = viaIntl(locale, currency, "auto");
        const signed = viaIntl(locale, currency, "exceptZero");
        fc.assert(
          fc.property(cents, (c) => {
            const decimal = centsToDecimal(c) as `${number}`;
            expect(m.amount(c)).toBe(amount.format(decimal));
            expect(m.signed(c)).toBe(signed.format(decimal));
          }),
          { numRuns: 40 },
        );
      }
    }
  });

  it("groups by threes and keeps every digit of large amounts", () => {
    const m = moneyFormatters("EUR", "de-DE");
    expect(m.amount(123_456_789_012_345n)).toBe("1.234.567.890.123,45\u00a0€");
    expect(m.signed(-5n)).toBe("-0,05\u00a0€");
    expect(m.signed(0n)).toBe("0,00\u00a0€");
    expect(moneyFormatters("USD", "en-US").signed(100_000n)).toBe("+$1,000.00");
  });
});
