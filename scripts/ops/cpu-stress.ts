import type { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import type { SSMClient } from "@aws-sdk/client-ssm";
import { type Clock, elapsed, formatDuration, systemClock } from "./clock.ts";
import { describeCondition, readAlarm } from "./cpu-alarm.ts";
import {
  BROKEN,
  FINISHED,
  type LoadStop,
  loadStatus,
  startLoad,
  stopLoad,
} from "./load-command.ts";
import { stressPlan } from "./stress-plan.ts";
import type { Output } from "./terminal.ts";

/** The steps of the test, each with its own deadline. */
export type StressStep = "load started" | "ALARM reached" | "OK after the load stopped";

export interface StressTimeouts {
  /** From sending the command until SSM runs it (InProgress). Default 3 min. */
  startMs: number;
  /** From the load starting until the alarm is in ALARM. Default 10 min. */
  alarmMs: number;
  /** From the load stopping until the alarm is back in OK. Default 10 min. */
  okMs: number;
}

export const DEFAULT_TIMEOUTS: StressTimeouts = {
  startMs: 180_000,
  alarmMs: 600_000,
  okMs: 600_000,
};

export interface StressOptions {
  ssm: SSMClient;
  cloudwatch: CloudWatchClient;
  outputs: { instanceId: string; cpuAlarmName: string };
  /** How long stress-ng loads the CPUs, in minutes. Default from the alarm (`stressPlan`). */
  minutes?: number;
  /** Step deadlines; defaults from the alarm (`stressPlan`), else `DEFAULT_TIMEOUTS`. */
  timeouts?: Partial<StressTimeouts>;
  /** Time between polls. Default 15 s (the metric has one point a minute). */
  pollMs?: number;
  /** Default the system clock. */
  clock?: Clock;
  out: Output;
  /** Aborting (Ctrl-C) stops waiting and cancels the load. */
  signal?: AbortSignal;
}

export type StressOutcome =
  /** The alarm went to ALARM under load and back to OK after it. */
  | { outcome: "passed"; alarmAfterMs: number; okAfterMs: number }
  /** A step did not happen before its deadline. */
  | { outcome: "timeout"; step: StressStep; waitedMs: number; alarmState: string }
  /** The load command ended Failed, TimedOut or Cancelled before the alarm fired. */
  | { outcome: "load failed"; status: string; detail?: string }
  /** The operator pressed Ctrl-C. */
  | { outcome: "cancelled" }
  /** The alarm was already in ALARM: a state change could not be observed, so nothing ran. */
  | { outcome: "refused"; reason: string };

/** The outcome, and what happened to the load at the end ("not started" when none was sent). */
export type StressResult = StressOutcome & { load: LoadStop | { action: "not started" } };

/**
 * The CPU alarm test: loads the instance's CPUs through SSM Run Command for a set time, prints
 * every alarm state change, and waits for ALARM and then OK after the load stops. Whatever
 * happens (pass, timeout, Ctrl-C, error), the load is cancelled unless it has already finished.
 */
export async function runStress(options: StressOptions): Promise<StressResult> {
  const { ssm, cloudwatch, outputs, out } = options;
  const clock = options.clock ?? systemClock;
  const started = clock.now();

  const alarm = await readAlarm(cloudwatch, outputs.cpuAlarmName);
  const plan = stressPlan(alarm);
  const minutes = options.minutes ?? plan.minutes;
  const timeouts = { alarmMs: plan.alarmMs, okMs: plan.okMs, ...options.timeouts };
  out.line(`CPU alarm ${outputs.cpuAlarmName}: ${alarm.StateValue} (${describeCondition(alarm)})`);
  if (alarm.StateValue === "ALARM") {
    const refused = {
      outcome: "refused",
      reason:
        "the alarm is already in ALARM: wait for OK (or find what loads the CPU), then run again",
    } as const;
    out.line(describeOutcome(refused));
    return { ...refused, load: { action: "not started" } };
  }

  if (options.signal?.aborted) {
    out.line(describeOutcome({ outcome: "cancelled" }));
    return { outcome: "cancelled", load: { action: "not started" } };
  }
  // Not tied to the signal: once sent, the id is needed to cancel it.
  const commandId = await startLoad(ssm, outputs.instanceId, minutes);
  out.line(
    `${elapsed(0)}  sent the load: command ${commandId}, stress-ng on every CPU of ${outputs.instanceId} for ${minutes} min`,
  );
  let outcome: StressOutcome;
  let load: LoadStop;
  try {
    outcome = await watch({
      ...options,
      timeouts,
      clock,
      minutes,
      started,
      commandId,
      initialState: alarm.StateValue ?? "INSUFFICIENT_DATA",
    });
  } finally {
    // Runs on every path, errors included; an error from watch() still propagates afterwards.
    load = await stopLoad(ssm, commandId, outputs.instanceId);
    out.line(describeStop(load, commandId, clock.now() - started));
  }
  out.line(describeOutcome(outcome));
  return { ...outcome, load };
}

interface WatchState extends StressOptions {
  clock: Clock;
  minutes: number;
  started: number;
  commandId: string;
  initialState: string;
}

/** The polling loop: one pass per `pollMs`, each reading the command and then the alarm. */
async function watch(s: WatchState): Promise<StressOutcome> {
  const { ssm, cloudwatch, outputs, out, clock, signal } = s;
  const t = { ...DEFAULT_TIMEOUTS, ...s.timeouts };
  const pollMs = s.pollMs ?? 15_000;
  const since = (at: number) => clock.now() - at;
  let state = s.initialState;
  let status = "Pending";
  let loadStartedAt: number | undefined;
  let loadStoppedAt: number | undefined;
  let alarmAt: number | undefined;

  for (;;) {
    if (signal?.aborted) return { outcome: "cancelled" };
    const load = await loadStatus(ssm, s.commandId, outputs.instanceId);
    if (load.status !== status) {
      out.line(`${elapsed(since(s.started))}  load ${status} -> ${load.status}`);
      status = load.status;
    }
    if (loadStartedAt === undefined && status !== "Pending" && status !== "Delayed")
      loadStartedAt = clock.now();
    if (loadStoppedAt === undefined && FINISHED.has(status)) loadStoppedAt = clock.now();
    if (BROKEN.has(status) && alarmAt === undefined) {
      return { outcome: "load failed", status, ...(load.detail ? { detail: load.detail } : {}) };
    }

    const now =
      (await readAlarm(cloudwatch, outputs.cpuAlarmName)).StateValue ?? "INSUFFICIENT_DATA";
    if (now !== state) {
      out.line(`${elapsed(since(s.started))}  ${state} -> ${now}`);
      state = now;
    }
    if (state === "ALARM" && alarmAt === undefined && loadStartedAt !== undefined)
      alarmAt = clock.now();
    if (alarmAt !== undefined && state === "OK") {
      const stop = loadStoppedAt ?? clock.now();
      return {
        outcome: "passed",
        alarmAfterMs: alarmAt - (loadStartedAt ?? s.started),
        okAfterMs: clock.now() - stop,
      };
    }

    // Which step we are in, and how long it has left.
    let step: StressStep;
    let left: number;
    if (loadStartedAt === undefined) {
      step = "load started";
      left = t.startMs - since(s.started);
    } else if (alarmAt === undefined) {
      step = "ALARM reached";
      left = t.alarmMs - since(loadStartedAt);
    } else {
      step = "OK after the load stopped";
      // Until SSM reports the end, assume the load stops when stress-ng's own timer runs out.
      const stopAt = loadStoppedAt ?? loadStartedAt + s.minutes * 60_000;
      left = t.okMs - (clock.now() - stopAt);
    }
    if (left <= 0) {
      const base =
        step === "load started" ? t.startMs : step === "ALARM reached" ? t.alarmMs : t.okMs;
      return { outcome: "timeout", step, waitedMs: base, alarmState: state };
    }
    const loadPart =
      loadStartedAt === undefined || FINISHED.has(status)
        ? `load ${status}`
        : `load ${status} ${formatDuration(since(loadStartedAt))} of ${s.minutes}m`;
    out.progress(
      `${elapsed(since(s.started))}  alarm ${state}, ${loadPart}; waiting for ${step}: ${formatDuration(left)} left`,
    );
    await clock.sleep(Math.min(pollMs, left), signal);
  }
}

function describeStop(load: LoadStop, commandId: string, atMs: number): string {
  const at = elapsed(atMs);
  switch (load.action) {
    case "already finished":
      return `${at}  load finished (${load.status}): nothing left running`;
    case "cancelled":
      return `${at}  cancelled the load (command ${commandId})`;
    case "cancel failed":
      return `${at}  could not cancel the load (${load.reason}): run aws ssm cancel-command --command-id ${commandId}; stress-ng also stops by itself`;
  }
}

/** The verdict line: what passed, or which step did not happen. */
export function describeOutcome(o: StressOutcome): string {
  switch (o.outcome) {
    case "passed":
      return `PASS: ALARM ${formatDuration(o.alarmAfterMs)} after the load started, OK ${formatDuration(o.okAfterMs)} after it stopped`;
    case "timeout":
      return `FAIL: step "${o.step}" did not happen within ${formatDuration(o.waitedMs)} (alarm ${o.alarmState})`;
    case "load failed":
      return `FAIL: the load command ended ${o.status} before the alarm fired${o.detail ? `: ${o.detail}` : ""}`;
    case "cancelled":
      return "CANCELLED: stopped by Ctrl-C";
    case "refused":
      return `NOT RUN: ${o.reason}`;
  }
}
