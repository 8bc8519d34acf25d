import { describe, expect, it } from "vitest";
import { centsToDecimal, formatMoney, parseAmount } from "../src/lib/money.ts";

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
