// Recurrence arithmetic for recurring rules: which calendar dates a schedule falls on, with no
// database and no clock. Every date of a schedule is computed from its start (the k-th
// occurrence), never from the one before, so a monthly rule on the 31st that falls on 28 February
// is back on 31 March.

export type Frequency = "weekly" | "monthly" | "yearly";

/** `monthDay` of a monthly schedule on the last day of every month. */
export const LAST_DAY = -1;

/** What decides the dates of a rule. Dates are ISO `YYYY-MM-DD` calendar dates. */
export interface Schedule {
  frequency: Frequency;
  /** Every how many weeks, months or years (1 or more). */
  every: number;
  /** Weekly: ISO weekday, 1 (Monday) to 7 (Sunday). Ignored otherwise. */
  weekday?: number | null | undefined;
  /** Monthly: 1 to 31 (falls on the last day of a month that lacks it) or LAST_DAY. Ignored otherwise. */
  monthDay?: number | null | undefined;
  /** The first occurrence is the schedule's first date on or after this one. */
  startsOn: string;
  /** No occurrence after this date; null or absent: no end. */
  endsOn?: string | null | undefined;
}

const DAY_MS = 86_400_000;
const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** Days since 1970-01-01 of an ISO date. */
export function dayNumber(iso: string): number {
  const [y, m, d] = iso.split("-").map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d) / DAY_MS;
}

/** The ISO date `n` days after 1970-01-01. */
export function fromDayNumber(n: number): string {
  const dt = new Date(n * DAY_MS);
  return `${pad(dt.getUTCFullYear(), 4)}-${pad(dt.getUTCMonth() + 1)}-${pad(dt.getUTCDate())}`;
}

export const addDays = (iso: string, days: number): string => fromDayNumber(dayNumber(iso) + days);

/** ISO weekday of a date: 1 (Monday) to 7 (Sunday). */
export function isoWeekday(iso: string): number {
  // 1970-01-01 was a Thursday (4).
  return ((((dayNumber(iso) + 3) % 7) + 7) % 7) + 1;
}

const daysInMonth = (year: number, month: number) =>
  new Date(Date.UTC(year, month, 0)).getUTCDate();

/** Day `day` of a month given as year * 12 + (month - 1), clamped to the month's last day. */
function dayOfMonthIndex(monthIndex: number, day: number): string {
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex - year * 12 + 1;
  const last = daysInMonth(year, month);
  const d = day === LAST_DAY ? last : Math.min(day, last);
  return `${pad(year, 4)}-${pad(month)}-${pad(d)}`;
}

const parts = (iso: string) => iso.split("-").map(Number) as [number, number, number];
const monthIndexOf = (iso: string) => {
  const [y, m] = parts(iso);
  return y * 12 + (m - 1);
};

/** The same month and day `years` later or earlier; 29 February falls on the 28th when needed. */
export function addYears(iso: string, years: number): string {
  const [y, m, d] = parts(iso);
  return dayOfMonthIndex((y + years) * 12 + (m - 1), d);
}

/**
 * A schedule as two functions: the date of occurrence k (0-based, ignoring the end), and the
 * index of the first occurrence on or after a date.
 */
interface Sequence {
  nth(k: number): string;
  indexOnOrAfter(iso: string): number;
}

function sequence(s: Schedule): Sequence {
  const every = Math.max(1, Math.trunc(s.every));
  const start = s.startsOn;
  if (s.frequency === "weekly") {
    const weekday = s.weekday ?? isoWeekday(start);
    const first = dayNumber(start) + ((((weekday - isoWeekday(start)) % 7) + 7) % 7);
    const step = 7 * every;
    return {
      nth: (k) => fromDayNumber(first + step * k),
      indexOnOrAfter: (iso) => Math.max(0, Math.ceil((dayNumber(iso) - first) / step)),
    };
  }
  if (s.frequency === "monthly") {
    const day = s.monthDay ?? parts(start)[2];
    const startMonth = monthIndexOf(start);
    // The start's own month counts when its day (clamped) is not before the start.
    const firstMonth = dayOfMonthIndex(startMonth, day) >= start ? startMonth : startMonth + 1;
    const nth = (k: number) => dayOfMonthIndex(firstMonth + every * k, day);
    return {
      nth,
      indexOnOrAfter: (iso) => {
        const k = Math.max(0, Math.ceil((monthIndexOf(iso) - firstMonth) / every));
        return nth(k) >= iso ? k : k + 1;
      },
    };
  }
  const [startYear, month, day] = parts(start);
  const nth = (k: number) => dayOfMonthIndex((startYear + every * k) * 12 + (month - 1), day);
  return {
    nth,
    indexOnOrAfter: (iso) => {
      const k = Math.max(0, Math.ceil((parts(iso)[0] - startYear) / every));
      return nth(k) >= iso ? k : k + 1;
    },
  };
}

const withinEnd = (s: Schedule, iso: string | undefined) =>
  iso !== undefined && (!s.endsOn || iso <= s.endsOn) ? iso : undefined;

/** The schedule's first date on or after `iso` (or its first date), or undefined past its end. */
export function firstOnOrAfter(s: Schedule, iso: string = s.startsOn): string | undefined {
  const seq = sequence(s);
  return withinEnd(s, seq.nth(seq.indexOnOrAfter(iso < s.startsOn ? s.startsOn : iso)));
}

/** The schedule's first date after `iso`, or undefined past its end. */
export const occurrenceAfter = (s: Schedule, iso: string): string | undefined =>
  firstOnOrAfter(s, addDays(iso, 1));

/** The schedule's last date before `iso`, or undefined when none is (or it is past the end). */
export function occurrenceBefore(s: Schedule, iso: string): string | undefined {
  const seq = sequence(s);
  const afterEnd = s.endsOn ? addDays(s.endsOn, 1) : undefined;
  const k = seq.indexOnOrAfter(afterEnd && afterEnd < iso ? afterEnd : iso) - 1;
  return k < 0 ? undefined : seq.nth(k);
}

/** The schedule's dates from `from` to `to` (both included), at most `limit` of them. */
export function occurrencesBetween(s: Schedule, from: string, to: string, limit = 1_000): string[] {
  const seq = sequence(s);
  const out: string[] = [];
  for (let k = seq.indexOnOrAfter(from < s.startsOn ? s.startsOn : from); out.length < limit; k++) {
    const date = withinEnd(s, seq.nth(k));
    if (date === undefined || date > to) break;
    out.push(date);
  }
  return out;
}

/** The date of the `count`-th occurrence (1-based): the end of a rule limited to `count`. */
export function endAfterOccurrences(s: Schedule, count: number): string {
  return sequence({ ...s, endsOn: null }).nth(Math.max(1, Math.trunc(count)) - 1);
}

/** How far back missed occurrences are created after downtime: one year before `today`. */
export const catchUpFloor = (today: string): string => addYears(today, -1);

export interface CatchUp {
  /** Occurrences to create now, oldest first. */
  create: string[];
  /** The last date dealt with (created, or passed over as older than a year); undefined: none. */
  last: string | undefined;
  /** The next occurrence after these; null once the schedule has ended. */
  next: string | null;
}

/**
 * What the worker does with a rule whose next occurrence is `next` on the user's `today`: create
 * every occurrence from `next` to `today`, except those older than one year, which are passed
 * over; at most `limit` at once (the rest on the next pass).
 */
export function planCatchUp(s: Schedule, next: string, today: string, limit = 400): CatchUp {
  if (next > today) return { create: [], last: undefined, next };
  const floor = catchUpFloor(today);
  const from = next < floor ? floor : next;
  const passed = next < floor ? occurrenceBefore(s, floor) : undefined;
  const create = occurrencesBetween(s, from, today, limit);
  const last = create.at(-1) ?? (passed !== undefined && passed >= next ? passed : undefined);
  const after = last ?? addDays(from, -1);
  return { create, last, next: occurrenceAfter(s, after) ?? null };
}

/**
 * The next occurrence when a rule starts again from `today` (resumed, or its schedule edited):
 * the first date on or after today and after `last` (the last date already dealt with), so
 * nothing that fell due meanwhile is made up and nothing is made twice. Null: it has ended.
 */
export function nextFromToday(s: Schedule, today: string, last: string | null): string | null {
  const floor = last && last >= today ? addDays(last, 1) : today;
  return firstOnOrAfter(s, floor) ?? null;
}

/** The past occurrences a new rule starting before `today` could create (at most a year back). */
export function pastOccurrences(
  s: Schedule,
  today: string,
): { dates: string[]; olderSkipped: boolean } {
  const floor = catchUpFloor(today);
  const yesterday = addDays(today, -1);
  const first = firstOnOrAfter(s);
  if (first === undefined || first > yesterday) return { dates: [], olderSkipped: false };
  return {
    dates: occurrencesBetween(s, floor, yesterday),
    olderSkipped: first < floor,
  };
}

const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
export const weekdayName = (weekday: number): string => WEEKDAYS[weekday - 1] ?? "";
export const WEEKDAY_NAMES: readonly string[] = WEEKDAYS;

/** 1 -> "1st", 22 -> "22nd", 13 -> "13th". */
export function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${{ 1: "st", 2: "nd", 3: "rd" }[n % 10] ?? "th"}`;
}

const MONTHS = new Intl.DateTimeFormat("en-US", { month: "long", timeZone: "UTC" });

/** "Every 2 weeks on Monday", "Monthly on the last day", "Every year on 29 February". */
export function describeSchedule(s: Schedule): string {
  const unit = { weekly: "week", monthly: "month", yearly: "year" }[s.frequency];
  const every =
    s.every === 1
      ? { weekly: "Weekly", monthly: "Monthly", yearly: "Yearly" }[s.frequency]
      : `Every ${s.every} ${unit}s`;
  if (s.frequency === "weekly")
    return `${every} on ${weekdayName(s.weekday ?? isoWeekday(s.startsOn))}`;
  if (s.frequency === "monthly") {
    const day = s.monthDay ?? parts(s.startsOn)[2];
    if (day === LAST_DAY) return `${every} on the last day`;
    return day > 28
      ? `${every} on the ${ordinal(day)} (or the last day of a shorter month)`
      : `${every} on the ${ordinal(day)}`;
  }
  const [y, m, d] = parts(s.startsOn);
  return `${every} on ${d} ${MONTHS.format(new Date(Date.UTC(y, m - 1, 1)))}`;
}
