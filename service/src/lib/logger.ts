import type { LogLevel } from "../config.ts";

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

/**
 * One JSON object per line on stdout (or the given writer); with `text`, one readable line
 * (`warn: message key=value`) for a person at a terminal.
 */
export function createLogger(
  level: LogLevel,
  write: (line: string) => void = (line) => process.stdout.write(line),
  format: "json" | "text" = "json",
): Logger {
  const log =
    (at: Exclude<LogLevel, "silent">) =>
    (msg: string, fields: LogFields = {}) => {
      if (ORDER[at] < ORDER[level]) return;
      if (format === "text") {
        const details = Object.entries(fields).map(([k, v]) => ` ${k}=${JSON.stringify(v)}`);
        write(`${at}: ${msg}${details.join("")}\n`);
        return;
      }
      write(`${JSON.stringify({ time: new Date().toISOString(), level: at, msg, ...fields })}\n`);
    };
  return { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") };
}

export const silentLogger: Logger = createLogger("silent");
