// Properties of the recurrence arithmetic (fast-check): dates strictly increase, stay within the
// rule's bounds, land on the weekday or the clamped day, and ticks at random times create each
// date once, and only those at most a year late.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addDays,
  addYears,
  catchUpFloor,
  dayNumber,
  endAfterOccurrences,
  firstOnOrAfter,
  isoWeekday,
  LAST_DAY,
  occurrenceAfter,
  occurrenceBefore,
  occurrencesBetween,
  planCatchUp,
  type Schedule,
} from "../src/lib/recurrence.ts";

const isoDay = (from: number, to: number) =>
  fc
    .integer({ min: dayNumber(`${from}-01-01`), max: dayNumber(`${to}-12-31`) })
    .map((n) => addDays("1970-01-01", n));

const scheduleArb: fc.Arbitrary<Schedule> = fc
  .record({
    frequency: fc.constantFrom("weekly", "monthly", "yearly" as const),
    every: fc.oneof(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 99 })),
    weekday: fc.integer({ min: 1, max: 7 }),
    monthDay: fc.oneof(fc.integer({ min: 1, max: 31 }), fc.constantFrom(LAST_DAY, 28, 29, 30, 31)),
    startsOn: isoDay(1990, 2060),
    endAfterDays: fc.option(fc.integer({ min: 0, max: 3_000 }), { nil: undefined }),
  })
  .map(({ endAfterDays, ...r }) => ({
    frequency: r.frequency,
    every: r.every,
    weekday: r.frequency === "weekly" ? r.weekday : null,
    monthDay: r.frequency === "monthly" ? r.monthDay : null,
    startsOn: r.startsOn,
    endsOn: endAfterDays === undefined ? null : addDays(r.startsOn, endAfterDays),
  }));

const lastDayOf = (iso: string) => {
  const [y, m] = iso.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
};
const monthIndex = (iso: string) => {
  const [y, m] = iso.split("-").map(Number) as [number, number];
  return y * 12 + m;
};

describe("recurrence properties", () => {
  const horizon = (s: Schedule) => addDays(s.startsOn, 5_000);

  it("occurrences strictly increase and stay inside the rule's bounds", () => {
    fc.assert(
      fc.property(scheduleArb, (s) => {
        const dates = occurrencesBetween(s, "1900-01-01", horizon(s));
        for (let i = 1; i < dates.length; i++) {
          expect((dates[i] as string) > (dates[i - 1] as string)).toBe(true);
        }
        for (const d of dates) {
          expect(d >= s.startsOn).toBe(true);
          if (s.endsOn) expect(d <= s.endsOn).toBe(true);
        }
      }),
    );
  });

  it("each occurrence is on the rule's weekday, clamped month day, or start's month and day", () => {
    fc.assert(
      fc.property(scheduleArb, (s) => {
        const dates = occurrencesBetween(s, s.startsOn, horizon(s));
        const [, startMonth, startDay] = s.startsOn.split("-").map(Number) as number[];
        dates.forEach((d, i) => {
          const [, m, day] = d.split("-").map(Number) as [number, number, number];
          if (s.frequency === "weekly") {
            expect(isoWeekday(d)).toBe(s.weekday);
            if (i > 0) expect(dayNumber(d) - dayNumber(dates[i - 1] as string)).toBe(7 * s.every);
          } else if (s.frequency === "monthly") {
            const want =
              s.monthDay === LAST_DAY ? lastDayOf(d) : Math.min(s.monthDay as number, lastDayOf(d));
            expect(day).toBe(want);
            if (i > 0) expect(monthIndex(d) - monthIndex(dates[i - 1] as string)).toBe(s.every);
          } else {
            expect(m).toBe(startMonth);
            expect(day).toBe(Math.min(startDay as number, lastDayOf(d)));
          }
        });
      }),
    );
  });

  it("no date of the schedule is missed: the first on or after any day is the next in the list", () => {
    fc.assert(
      fc.property(scheduleArb, isoDay(1985, 2080), (s, day) => {
        const found = firstOnOrAfter(s, day);
        const expected = occurrencesBetween(s, s.startsOn, horizon(s)).find((d) => d >= day);
        if (expected !== undefined) expect(found).toBe(expected);
        else expect(found === undefined || found > horizon(s)).toBe(true);
        if (found !== undefined) {
          const before = occurrenceBefore(s, found);
          expect(before === undefined || before < day).toBe(true);
          if (before !== undefined) expect(occurrenceAfter(s, before)).toBe(found);
        }
      }),
    );
  });

  it("a rule limited to N occurrences ends on exactly its N-th", () => {
    fc.assert(
      fc.property(scheduleArb, fc.integer({ min: 1, max: 60 }), (s, count) => {
        const open = { ...s, endsOn: null };
        const end = endAfterOccurrences(open, count);
        expect(occurrencesBetween({ ...open, endsOn: end }, s.startsOn, "9999-12-31")).toHaveLength(
          count,
        );
      }),
    );
  });

  it("ticks at any times create each occurrence once, and only those at most a year late", () => {
    fc.assert(
      fc.property(
        scheduleArb,
        fc.array(fc.integer({ min: 0, max: 500 }), { minLength: 1, maxLength: 20 }),
        (s, gaps) => {
          let next: string | null = firstOnOrAfter(s) ?? null;
          let today = s.startsOn;
          const created: string[] = [];
          const expected: string[] = [];
          let previousToday = addDays(s.startsOn, -1);
          for (const gap of gaps) {
            today = addDays(today, gap);
            // What falls due by this tick, less what is more than a year old by then.
            for (const d of occurrencesBetween(s, addDays(previousToday, 1), today)) {
              if (d >= catchUpFloor(today)) expected.push(d);
            }
            previousToday = today;
            if (next === null) continue;
            const plan = planCatchUp(s, next, today);
            for (const d of plan.create) expect(d >= (next as string) && d <= today).toBe(true);
            created.push(...plan.create);
            if (plan.next !== null) expect(plan.next > today).toBe(true);
            next = plan.next;
          }
          expect(new Set(created).size).toBe(created.length);
          expect(created).toEqual(expected);
        },
      ),
    );
  });

  it("adding years keeps the month, and the day unless the month is shorter", () => {
    fc.assert(
      fc.property(isoDay(1950, 2090), fc.integer({ min: -5, max: 5 }), (d, years) => {
        const moved = addYears(d, years);
        expect(moved.slice(5, 7)).toBe(d.slice(5, 7));
        expect(Number(moved.slice(8))).toBe(Math.min(Number(d.slice(8)), lastDayOf(moved)));
      }),
    );
  });
});
