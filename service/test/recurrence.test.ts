import { describe, expect, it } from "vitest";
import {
  catchUpFloor,
  describeSchedule,
  endAfterOccurrences,
  firstOnOrAfter,
  isoWeekday,
  LAST_DAY,
  nextFromToday,
  occurrenceAfter,
  occurrenceBefore,
  occurrencesBetween,
  ordinal,
  pastOccurrences,
  planCatchUp,
  type Schedule,
} from "../src/lib/recurrence.ts";

const weekly = (startsOn: string, weekday: number, every = 1, endsOn?: string): Schedule => ({
  frequency: "weekly",
  every,
  weekday,
  startsOn,
  endsOn,
});
const monthly = (startsOn: string, monthDay: number, every = 1, endsOn?: string): Schedule => ({
  frequency: "monthly",
  every,
  monthDay,
  startsOn,
  endsOn,
});
const yearly = (startsOn: string, every = 1, endsOn?: string): Schedule => ({
  frequency: "yearly",
  every,
  startsOn,
  endsOn,
});

describe("recurrence arithmetic", () => {
  it("a weekly rule starts on its weekday's first date on or after the start", () => {
    // 2026-01-07 is a Wednesday.
    expect(isoWeekday("2026-01-07")).toBe(3);
    const s = weekly("2026-01-07", 1, 2);
    expect(occurrencesBetween(s, "2026-01-01", "2026-02-28")).toEqual([
      "2026-01-12",
      "2026-01-26",
      "2026-02-09",
      "2026-02-23",
    ]);
    expect(firstOnOrAfter(weekly("2026-01-07", 3))).toBe("2026-01-07");
  });

  it("the 31st falls on the last day of shorter months and comes back to the 31st", () => {
    expect(occurrencesBetween(monthly("2026-01-31", 31), "2026-01-01", "2026-06-30")).toEqual([
      "2026-01-31",
      "2026-02-28",
      "2026-03-31",
      "2026-04-30",
      "2026-05-31",
      "2026-06-30",
    ]);
    expect(occurrencesBetween(monthly("2028-01-30", 30), "2028-02-01", "2028-03-31")).toEqual([
      "2028-02-29",
      "2028-03-30",
    ]);
  });

  it("the last day of the month is every month's own last day", () => {
    expect(occurrencesBetween(monthly("2027-12-01", LAST_DAY), "2027-12-01", "2028-04-30")).toEqual(
      ["2027-12-31", "2028-01-31", "2028-02-29", "2028-03-31", "2028-04-30"],
    );
  });

  it("a monthly day already past in the start month begins the month after", () => {
    expect(firstOnOrAfter(monthly("2026-03-20", 15))).toBe("2026-04-15");
    expect(firstOnOrAfter(monthly("2026-03-15", 15))).toBe("2026-03-15");
    // Every three months from April: July, October, January.
    expect(occurrencesBetween(monthly("2026-03-20", 15, 3), "2026-01-01", "2027-01-31")).toEqual([
      "2026-04-15",
      "2026-07-15",
      "2026-10-15",
      "2027-01-15",
    ]);
  });

  it("a yearly rule on 29 February falls on the 28th in other years", () => {
    expect(occurrencesBetween(yearly("2024-02-29"), "2024-01-01", "2028-12-31")).toEqual([
      "2024-02-29",
      "2025-02-28",
      "2026-02-28",
      "2027-02-28",
      "2028-02-29",
    ]);
    expect(occurrencesBetween(yearly("2026-06-10", 2), "2026-01-01", "2031-12-31")).toEqual([
      "2026-06-10",
      "2028-06-10",
      "2030-06-10",
    ]);
  });

  it("stops at the end date, and a number of occurrences gives the last one's date", () => {
    const s = monthly("2026-01-31", 31, 1, "2026-04-29");
    expect(occurrencesBetween(s, "2026-01-01", "2027-01-01")).toEqual([
      "2026-01-31",
      "2026-02-28",
      "2026-03-31",
    ]);
    expect(occurrenceAfter(s, "2026-03-31")).toBeUndefined();
    expect(endAfterOccurrences(monthly("2026-01-31", 31), 2)).toBe("2026-02-28");
    expect(endAfterOccurrences(weekly("2026-01-07", 1), 1)).toBe("2026-01-12");
  });

  it("finds the date before another", () => {
    const s = monthly("2026-01-31", 31);
    expect(occurrenceBefore(s, "2026-03-31")).toBe("2026-02-28");
    expect(occurrenceBefore(s, "2026-01-31")).toBeUndefined();
    expect(occurrenceBefore({ ...s, endsOn: "2026-02-28" }, "2027-01-01")).toBe("2026-02-28");
  });

  it("catching up creates what fell due, but nothing older than a year", () => {
    const s = monthly("2020-01-05", 5);
    const plan = planCatchUp(s, "2020-01-05", "2026-03-10");
    expect(plan.create[0]).toBe("2025-04-05");
    expect(plan.create.at(-1)).toBe("2026-03-05");
    expect(plan.create).toHaveLength(12);
    expect(plan.last).toBe("2026-03-05");
    expect(plan.next).toBe("2026-04-05");
    expect(catchUpFloor("2028-02-29")).toBe("2027-02-28");
    expect(planCatchUp(s, "2026-04-05", "2026-03-10")).toEqual({
      create: [],
      last: undefined,
      next: "2026-04-05",
    });
    // Ended more than a year ago: nothing is created, and it ends.
    const ended = planCatchUp({ ...s, endsOn: "2023-12-31" }, "2020-01-05", "2026-03-10");
    expect(ended).toEqual({ create: [], last: "2023-12-05", next: null });
  });

  it("today's occurrence is due today", () => {
    const s = weekly("2026-03-02", 1);
    expect(planCatchUp(s, "2026-03-09", "2026-03-09")).toEqual({
      create: ["2026-03-09"],
      last: "2026-03-09",
      next: "2026-03-16",
    });
  });

  it("resuming or rescheduling starts from today, after the last date dealt with", () => {
    const s = weekly("2026-01-05", 1);
    expect(nextFromToday(s, "2026-03-04", "2026-01-19")).toBe("2026-03-09");
    expect(nextFromToday(s, "2026-03-09", "2026-01-19")).toBe("2026-03-09");
    expect(nextFromToday(s, "2026-03-09", "2026-03-09")).toBe("2026-03-16");
    expect(nextFromToday({ ...s, endsOn: "2026-03-08" }, "2026-03-09", null)).toBeNull();
  });

  it("counts a new rule's past occurrences, at most a year back", () => {
    expect(pastOccurrences(monthly("2026-01-01", 1), "2026-03-01")).toEqual({
      dates: ["2026-01-01", "2026-02-01"],
      olderSkipped: false,
    });
    const old = pastOccurrences(monthly("2020-01-01", 1), "2026-03-01");
    expect(old.dates[0]).toBe("2025-03-01");
    expect(old.dates).toHaveLength(12);
    expect(old.olderSkipped).toBe(true);
    expect(pastOccurrences(monthly("2026-02-20", 15), "2026-03-01").dates).toEqual([]);
    expect(pastOccurrences(monthly("2026-03-01", 1), "2026-03-01").dates).toEqual([]);
  });

  it("describes schedules in words", () => {
    expect(describeSchedule(weekly("2026-01-07", 1, 2))).toBe("Every 2 weeks on Monday");
    expect(describeSchedule(weekly("2026-01-07", 7))).toBe("Weekly on Sunday");
    expect(describeSchedule(monthly("2026-01-07", LAST_DAY))).toBe("Monthly on the last day");
    expect(describeSchedule(monthly("2026-01-07", 31, 3))).toBe(
      "Every 3 months on the 31st (or the last day of a shorter month)",
    );
    expect(describeSchedule(monthly("2026-01-07", 2))).toBe("Monthly on the 2nd");
    expect(describeSchedule(yearly("2024-02-29"))).toBe("Yearly on 29 February");
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 31].map(ordinal)).toEqual([
      "1st",
      "2nd",
      "3rd",
      "4th",
      "11th",
      "12th",
      "13th",
      "21st",
      "22nd",
      "23rd",
      "31st",
    ]);
  });
});
