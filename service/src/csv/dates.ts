// Dates as banks write them, by a format of tokens: YYYY YY MM M DD D Mon (other characters
// literal). Day and month tokens accept one or two digits; YY is 20YY.

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/** The formats the guesser tries, in the order it prefers them. */
export const DATE_FORMATS = [
  "YYYY-MM-DD",
  "DD/MM/YYYY",
  "MM/DD/YYYY",
  "DD.MM.YYYY",
  "DD-MM-YYYY",
  "MM-DD-YYYY",
  "YYYY/MM/DD",
  "D/M/YY",
  "M/D/YY",
  "DD.MM.YY",
  "DD Mon YYYY",
  "DD-Mon-YYYY",
  "DD Mon YY",
] as const;

const TOKEN = /YYYY|YY|MM|Mon|M|DD|D/g;

const TOKEN_PARTS = {
  YYYY: ["y4", "(\\d{4})"],
  YY: ["y2", "(\\d{2})"],
  Mon: ["mon", "([A-Za-z]{3})"],
  MM: ["m", "(\\d{1,2})"],
  M: ["m", "(\\d{1,2})"],
  DD: ["d", "(\\d{1,2})"],
  D: ["d", "(\\d{1,2})"],
} as const;

interface CompiledFormat {
  pattern: RegExp;
  order: ("y4" | "y2" | "m" | "mon" | "d")[];
}

const compiled = new Map<string, CompiledFormat | undefined>();

/** The format as a matcher; undefined when it lacks a year, a month or a day. */
function compile(format: string): CompiledFormat | undefined {
  if (compiled.has(format)) return compiled.get(format);
  const order: CompiledFormat["order"] = [];
  let source = "";
  let last = 0;
  for (const m of format.matchAll(TOKEN)) {
    source += escapeRegExp(format.slice(last, m.index));
    last = m.index + m[0].length;
    const t = m[0];
    const [part, pattern] = TOKEN_PARTS[t as keyof typeof TOKEN_PARTS];
    order.push(part);
    source += pattern;
  }
  source += escapeRegExp(format.slice(last));
  const has = (...k: CompiledFormat["order"]) => k.some((x) => order.includes(x));
  const result =
    has("y4", "y2") && has("m", "mon") && has("d")
      ? { pattern: new RegExp(`^${source}$`), order }
      : undefined;
  compiled.set(format, result);
  return result;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Whether `format` is usable: it names a year, a month and a day. */
export const isDateFormat = (format: string) => compile(format) !== undefined;

/** The ISO date (YYYY-MM-DD) that `text` names in `format`, or undefined. */
export function parseDate(text: string, format: string): string | undefined {
  const f = compile(format);
  const m = f?.pattern.exec(text.trim());
  if (!f || !m) return undefined;
  let y = 0;
  let mo = 0;
  let d = 0;
  f.order.forEach((part, i) => {
    const v = m[i + 1] as string;
    if (part === "y4") y = Number(v);
    else if (part === "y2") y = 2000 + Number(v);
    else if (part === "m") mo = Number(v);
    else if (part === "mon") mo = MONTHS.indexOf(v.toLowerCase()) + 1;
    else d = Number(v);
  });
  if (y < 1900 || y > 2100 || mo < 1 || mo > 12 || d < 1) return undefined;
  if (d > new Date(Date.UTC(y, mo, 0)).getUTCDate()) return undefined;
  return `${y}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/** Day-first and month-first twins: a file that fits both is ambiguous. */
export function swappedFormat(format: string): string | undefined {
  const swapped = format.replace(/DD|D|MM|M/g, (t) =>
    t === "DD" ? "MM" : t === "D" ? "M" : t === "MM" ? "DD" : "D",
  );
  return swapped !== format && !format.includes("Mon") ? swapped : undefined;
}
