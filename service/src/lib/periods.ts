// Months and years as the user counts them: a month may start on any day from 1 to 28 (a pay
// cycle), and is named after the calendar month it ends in ("November" with a start day of 25
// runs from 25 October to 24 November). A year is its twelve months.

export interface Period {
  kind: "month" | "year";
  /** `YYYY-MM` or `YYYY`: what the `period` query parameter says. */
  key: string;
  /** First and last day, inclusive (ISO dates). */
  from: string;
  to: string;
}

const pad = (n: number) => String(n).padStart(2, "0");
const iso = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
/** Day `day` of month `month` (1-based, may overflow into other years) of `year`. */
const day = (year: number, month: number, dayOfMonth: number) =>
  new Date(Date.UTC(year, month - 1, dayOfMonth));

/** The month `YYYY-MM`, shifted by `by` months. */
export function addMonths(key: string, by: number): string {
  const index = Number(key.slice(0, -3)) * 12 + Number(key.slice(-2)) - 1 + by;
  const year = Math.floor(index / 12);
  return `${year}-${pad(index - year * 12 + 1)}`;
}

export function monthPeriod(key: string, startDay: number): Period {
  const [y, m] = key.split("-").map(Number) as [number, number];
  if (startDay === 1) {
    return { kind: "month", key, from: iso(day(y, m, 1)), to: iso(day(y, m + 1, 0)) };
  }
  return {
    kind: "month",
    key,
    from: iso(day(y, m - 1, startDay)),
    to: iso(day(y, m, startDay - 1)),
  };
}

/** The last day of the calendar month `YYYY-MM`, as an ISO date. */
export const endOfMonth = (key: string): string => monthPeriod(key, 1).to;

export function yearPeriod(year: number, startDay: number): Period {
  const key = String(year);
  return {
    kind: "year",
    key,
    from: monthPeriod(`${key}-01`, startDay).from,
    to: monthPeriod(`${key}-12`, startDay).to,
  };
}

/** The month (`YYYY-MM`) whose period holds the date `isoDate`. */
export function monthOf(isoDate: string, startDay: number): string {
  const [y, m, d] = isoDate.split("-").map(Number) as [number, number, number];
  const key = `${y}-${pad(m)}`;
  return startDay > 1 && d >= startDay ? addMonths(key, 1) : key;
}

/**
 * Reads the `period` parameter: `YYYY-MM` (a month), `YYYY` (a year), or nothing (the month that
 * holds today). Undefined when it is neither.
 */
export function parsePeriod(
  value: string | undefined,
  today: string,
  startDay: number,
): Period | undefined {
  if (!value) return monthPeriod(monthOf(today, startDay), startDay);
  const month = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(value);
  if (month && Number(month[1]) >= 1900 && Number(month[1]) <= 2100) {
    return monthPeriod(value, startDay);
  }
  const year = /^(\d{4})$/.exec(value);
  if (year && Number(year[1]) >= 1900 && Number(year[1]) <= 2100) {
    return yearPeriod(Number(year[1]), startDay);
  }
  return undefined;
}

export const PERIOD_RULE =
  "Choose a month as YYYY-MM or a year as YYYY, from 1900 to 2100, such as 2026-03 or 2026";

/** The period before or after this one, of the same kind. */
export function shift(p: Period, by: -1 | 1, startDay: number): Period {
  return p.kind === "month"
    ? monthPeriod(addMonths(p.key, by), startDay)
    : yearPeriod(Number(p.key) + by, startDay);
}

/** The months of a trend: the year's twelve, or the twelve ending with the month. */
export function trendMonths(p: Period): string[] {
  const last = p.kind === "year" ? `${p.key}-12` : p.key;
  return Array.from({ length: 12 }, (_, i) => addMonths(last, i - 11));
}

const MONTH_NAMES = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
/** "Jan" to "Dec", by month index (0 for January). */
export const SHORT_MONTH_NAMES = MONTH_NAMES.map((name) => name.slice(0, 3));

/** "March 2026" or "2026". */
export function periodName(p: Period): string {
  if (p.kind === "year") return p.key;
  const [y, m] = p.key.split("-").map(Number) as [number, number];
  return `${MONTH_NAMES[m - 1]} ${y}`;
}

/** "Mar" for a trend axis; January shows its year instead, where a new year begins. */
export function shortMonth(key: string): string {
  const [y, m] = key.split("-").map(Number) as [number, number];
  return m === 1 ? String(y) : (SHORT_MONTH_NAMES[m - 1] ?? key);
}
