import type { LogFields, Logger } from "./logger.ts";

/**
 * A warning that is logged at most once per `intervalMs`: during an outage every request fails
 * the same way, and one line every few seconds says so as well as a thousand would. The next
 * line carries how many were left out (`suppressed`).
 */
export function rateLimitedWarn(
  logger: Logger,
  intervalMs: number,
  now: () => number = Date.now,
): (msg: string, fields?: LogFields) => void {
  let last = Number.NEGATIVE_INFINITY;
  let suppressed = 0;
  return (msg, fields = {}) => {
    const t = now();
    if (t - last < intervalMs) {
      suppressed++;
      return;
    }
    logger.warn(msg, suppressed > 0 ? { ...fields, suppressed } : fields);
    last = t;
    suppressed = 0;
  };
}
