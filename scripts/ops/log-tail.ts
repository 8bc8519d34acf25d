import {
  type CloudWatchLogsClient,
  type FilteredLogEvent,
  FilterLogEventsCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { type Clock, systemClock } from "./clock.ts";
import { OperatorError } from "./errors.ts";

/** How far back each poll re-reads: CloudWatch can index an event after later ones are visible. */
const LATE_MS = 60_000;

export interface TailOptions {
  logs: CloudWatchLogsClient;
  logGroupName: string;
  /** Start this far back. Default 10 min. */
  sinceMs?: number;
  /** Keep polling for new events. Default true; false prints what is there and returns. */
  follow?: boolean;
  /** A CloudWatch Logs filter pattern, passed through (e.g. `"error"` or `{ $.status >= 500 }`). */
  filterPattern?: string;
  /** Time between polls. Default 2 s. */
  pollMs?: number;
  /** Default the system clock. */
  clock?: Clock;
  /** Receives one formatted line per event. */
  print: (line: string) => void;
  /** Aborting (Ctrl-C) ends the tail cleanly. */
  signal?: AbortSignal;
  /** Called once, after the backlog, when `follow` starts waiting for new events. */
  onFollowing?: () => void;
}

/** `2025-05-01 12:03:04.123  <stream>  <message>` */
export function formatEvent(e: FilteredLogEvent): string {
  const time = new Date(e.timestamp ?? 0).toISOString().replace("T", " ").slice(0, 23);
  return `${time}  ${e.logStreamName ?? "?"}  ${(e.message ?? "").trimEnd()}`;
}

/**
 * Prints the log group's events from `sinceMs` ago, then (with `follow`) polls for new ones.
 * Every event is printed once: polls overlap by a minute and events are told apart by id.
 * Resolves with the number of events printed.
 */
export async function tailLogs(options: TailOptions): Promise<number> {
  const { logs, logGroupName, signal, print } = options;
  const clock = options.clock ?? systemClock;
  const follow = options.follow ?? true;
  let startTime = clock.now() - (options.sinceMs ?? 600_000);
  // eventId -> timestamp, pruned as the window moves on.
  const seen = new Map<string, number>();
  let printed = 0;
  let announced = false;

  while (!signal?.aborted) {
    const fresh: FilteredLogEvent[] = [];
    let nextToken: string | undefined;
    try {
      do {
        const page = await logs.send(
          new FilterLogEventsCommand({
            logGroupName,
            startTime,
            nextToken,
            filterPattern: options.filterPattern,
          }),
          { abortSignal: signal },
        );
        for (const e of page.events ?? []) {
          const id = e.eventId ?? `${e.logStreamName}/${e.timestamp}/${e.message}`;
          if (seen.has(id)) continue;
          seen.set(id, e.timestamp ?? 0);
          fresh.push(e);
        }
        nextToken = page.nextToken;
      } while (nextToken && !signal?.aborted);
    } catch (err) {
      if (signal?.aborted) break;
      if ((err as Error).name === "ResourceNotFoundException") {
        throw new OperatorError(
          `log group ${logGroupName} does not exist: run pulumi up (or pass --stack)`,
        );
      }
      throw err;
    }
    fresh.sort((a, b) => (a.timestamp ?? 0) - (b.timestamp ?? 0));
    for (const e of fresh) print(formatEvent(e));
    printed += fresh.length;

    const newest = Math.max(startTime, ...[...seen.values()]);
    startTime = Math.max(startTime, newest - LATE_MS);
    for (const [id, ts] of seen) if (ts < startTime) seen.delete(id);
    if (!follow) break;
    if (!announced) {
      announced = true;
      options.onFollowing?.();
    }
    await clock.sleep(options.pollMs ?? 2_000, signal);
  }
  return printed;
}
