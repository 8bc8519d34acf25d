import type { DateFormat } from "../db/schema.ts";

/** IANA time zone names offered on the settings page: UTC, then this runtime's list. */
export function timeZones(): string[] {
  return ["UTC", ...Intl.supportedValuesOf("timeZone").filter((z) => z !== "UTC")];
}

/** Exactly one of `timeZones()`: no offsets such as +05:30, no other spelling. */
export function isTimeZone(name: string): boolean {
  return timeZones().includes(name);
}

// Building an Intl.DateTimeFormat costs far more than formatting with one: one per time zone
// (the settings accept only the runtime's own zones, so there are a few hundred at most).
const dayFormats = new Map<string, Intl.DateTimeFormat>();
/** The last answer per zone, with its UTC second: no zone's offset has a fraction of a second. */
const lastDay = new Map<string, { second: number; day: string }>();

/** The calendar date (YYYY-MM-DD) at `now` in `timeZone`, never the server's clock zone. */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  const second = Math.floor(now.getTime() / 1000);
  const last = lastDay.get(timeZone);
  if (last?.second === second) return last.day;
  const day = dayIn(timeZone, now);
  lastDay.set(timeZone, { second, day });
  return day;
}

function dayIn(timeZone: string, now: Date): string {
  let format = dayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    });
    dayFormats.set(timeZone, format);
  }
  const parts = format.formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")}`;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written as YYYY-MM-DD between years 1900 and 2100. */
export function isIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1900 || y > 2100) return false;
  const dt = new Date(Date.UTC(y, mo - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
}

/** First and last day of the month that contains `isoDate`. */
export function monthRange(isoDate: string): { from: string; to: string } {
  const [y, m] = isoDate.split("-").map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const mm = String(m).padStart(2, "0");
  return { from: `${y}-${mm}-01`, to: `${y}-${mm}-${String(last).padStart(2, "0")}` };
}

/** An ISO date in one of the user's date formats: "2026-03-31" -> "31.03.2026". */
export function formatDate(iso: string, format: DateFormat): string {
  const y = iso.slice(0, 4);
  const m = iso.slice(5, 7);
  const d = iso.slice(8, 10);
  switch (format) {
    case "DD/MM/YYYY":
      return `${d}/${m}/${y}`;
    case "MM/DD/YYYY":
      return `${m}/${d}/${y}`;
    case "DD.MM.YYYY":
      return `${d}.${m}.${y}`;
    default:
      return iso;
  }
}
