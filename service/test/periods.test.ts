import { describe, expect, it } from "vitest";
import {
  monthOf,
  monthPeriod,
  parsePeriod,
  shift,
  trendMonths,
  yearPeriod,
} from "../src/lib/periods.ts";

describe("periods", () => {
  it.each([
    ["2026-02", 1, "2026-02-01", "2026-02-28"],
    ["2028-02", 1, "2028-02-01", "2028-02-29"],
    ["2026-03", 25, "2026-02-25", "2026-03-24"],
    ["2026-01", 25, "2025-12-25", "2026-01-24"],
    ["2026-03", 28, "2026-02-28", "2026-03-27"],
    ["2026-12", 2, "2026-11-02", "2026-12-01"],
  ])("month %s starting on day %i runs from %s to %s", (key, start, from, to) => {
    expect(monthPeriod(key, start)).toMatchObject({ from, to });
  });

  it("a year with a late month start runs from its January's start to its December's end", () => {
    expect(yearPeriod(2026, 25)).toMatchObject({ from: "2025-12-25", to: "2026-12-24" });
    expect(yearPeriod(2026, 1)).toMatchObject({ from: "2026-01-01", to: "2026-12-31" });
  });

  it("a date belongs to the month its period ends in", () => {
    expect(monthOf("2026-03-24", 25)).toBe("2026-03");
    expect(monthOf("2026-03-25", 25)).toBe("2026-04");
    expect(monthOf("2026-12-25", 25)).toBe("2027-01");
    expect(monthOf("2026-12-31", 1)).toBe("2026-12");
  });

  it("every day of a span lies in exactly one month period, whatever the start day", () => {
    for (const start of [1, 2, 15, 28]) {
      for (let d = Date.UTC(2025, 0, 1); d < Date.UTC(2027, 0, 1); d += 86_400_000) {
        const day = new Date(d).toISOString().slice(0, 10);
        const p = monthPeriod(monthOf(day, start), start);
        expect(day >= p.from && day <= p.to).toBe(true);
      }
    }
  });

  it("moves by one period, and the trend is the twelve months ending with it", () => {
    expect(shift(monthPeriod("2026-01", 1), -1, 1).key).toBe("2025-12");
    expect(shift(yearPeriod(2026, 1), 1, 1).key).toBe("2027");
    expect(trendMonths(monthPeriod("2026-03", 1))).toEqual([
      "2025-04",
      "2025-05",
      "2025-06",
      "2025-07",
      "2025-08",
      "2025-09",
      "2025-10",
      "2025-11",
      "2025-12",
      "2026-01",
      "2026-02",
      "2026-03",
    ]);
    expect(trendMonths(yearPeriod(2026, 1))[0]).toBe("2026-01");
  });

  it("reads the period parameter, or refuses it", () => {
    expect(parsePeriod(undefined, "2026-03-20", 1)?.key).toBe("2026-03");
    expect(parsePeriod("2026", "2026-03-20", 1)?.kind).toBe("year");
    expect(parsePeriod("2026-00", "2026-03-20", 1)).toBeUndefined();
    expect(parsePeriod("2101", "2026-03-20", 1)).toBeUndefined();
  });
});
