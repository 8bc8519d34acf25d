// Telling "the database is not there" apart from a bug: the first is a 503 with a Retry-After
// and a warning, the second a 500 and an error with its stack.

/** Socket errors from Node for a server that is gone, refusing, or unreachable. */
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
]);

/**
 * SQLSTATEs for a server that is shutting down, starting, or full: class 08 (connection
 * exception), 57P01-57P03 (admin or crash shutdown, cannot connect now), 53300 (too many
 * connections).
 */
const UNAVAILABLE_STATES = /^(08...|57P0[123]|53300)$/;

/** What node-postgres says when a connection ends, or when the pool has none to give in time. */
const PG_MESSAGES = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect$/,
  /^Client has encountered a connection error and is not queryable$/,
  /^Query read timeout$/,
  /^connect ECONNREFUSED/,
];

/** Whether `err` (or one of its causes, as Drizzle wraps them) says the database is unreachable. */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === "string" && (NETWORK_CODES.has(code) || UNAVAILABLE_STATES.test(code)))
      return true;
    if (typeof message === "string" && PG_MESSAGES.some((m) => m.test(message))) return true;
    if (e instanceof AggregateError && e.errors.some(isDatabaseUnavailable)) return true;
  }
  return false;
}

/** The innermost message of a wrapped error: PostgreSQL's or the socket's own words. */
export function describeCause(err: unknown): string {
  let e = err as { cause?: unknown; message?: string };
  while (e.cause && typeof e.cause === "object") e = e.cause as typeof e;
  return e.message || (e instanceof AggregateError ? e.errors.map(String).join("; ") : String(e));
}

/** Whether `err` (or one of its causes) is PostgreSQL's unique violation (23505). */
export function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === "23505") return true;
  }
  return false;
}
