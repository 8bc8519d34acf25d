import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  type MetricAlarm,
} from "@aws-sdk/client-cloudwatch";
import {
  CancelCommandCommand,
  GetCommandInvocationCommand,
  SendCommandCommand,
  SSMClient,
} from "@aws-sdk/client-ssm";
import { mockClient } from "aws-sdk-client-mock";
import { runStress, type StressOptions } from "../../ops/cpu-stress.ts";
import { FINISHED } from "../../ops/load-command.ts";
import { fakeClock } from "./fake-clock.ts";
import { recordingOutput } from "./recording-output.ts";

export const MIN = 60_000;
export const outputs = {
  instanceId: "i-0123456789abcdef0",
  cpuAlarmName: "expense-tracker-cpu-high-1a2b3c",
};

export function alarmIn(state: string, period: Partial<MetricAlarm> = {}): MetricAlarm {
  return {
    AlarmName: outputs.cpuAlarmName,
    StateValue: state as MetricAlarm["StateValue"],
    MetricName: "CPUUtilization",
    ComparisonOperator: "GreaterThanThreshold",
    Threshold: 70,
    EvaluationPeriods: 3,
    Period: 60,
    ...period,
  };
}

export interface Scenario {
  /** The command's status at a time since the start, unless it was cancelled. */
  status(t: number): string;
  /** The alarm's state at a time since the start. */
  alarm(t: number): string;
  /** Ctrl-C at this time since the start. */
  interruptAt?: number;
  /** The alarm's Period and EvaluationPeriods; default 3 x 60 s. */
  period?: Partial<MetricAlarm>;
}

/** The load runs from 15 s (the agent picks it up) for `minutes`, then reports Success. */
export const loadFor = (minutes: number) => (t: number) =>
  t < 15_000 ? "Pending" : t < 15_000 + minutes * MIN ? "InProgress" : "Success";

/** The instance and the alarm as a function of fake time, behind mocked SSM and CloudWatch clients. */
export function simulate(scenario: Scenario) {
  const controller = new AbortController();
  const clock = fakeClock({
    onSleep: (t) => {
      if (scenario.interruptAt !== undefined && t >= scenario.interruptAt) controller.abort();
    },
  });
  const ssmClient = new SSMClient({ region: "eu-central-1" });
  const cloudwatch = new CloudWatchClient({ region: "eu-central-1" });
  const ssm = mockClient(ssmClient);
  const cw = mockClient(cloudwatch);
  let cancelledAt: number | undefined;
  const status = () => (cancelledAt !== undefined ? "Cancelled" : scenario.status(clock.elapsed));
  ssm.on(SendCommandCommand).resolves({ Command: { CommandId: "cmd-1" } });
  ssm.on(GetCommandInvocationCommand).callsFake(async () => ({ Status: status() }));
  ssm.on(CancelCommandCommand).callsFake(async () => {
    cancelledAt ??= clock.elapsed;
    return {};
  });
  cw.on(DescribeAlarmsCommand).callsFake(async () => ({
    MetricAlarms: [alarmIn(scenario.alarm(clock.elapsed), scenario.period)],
  }));
  const out = recordingOutput();
  const run = (extra: Partial<StressOptions> = {}) =>
    runStress({
      ssm: ssmClient,
      cloudwatch,
      outputs,
      minutes: 8,
      clock,
      out,
      signal: controller.signal,
      ...extra,
    });
  return {
    clock,
    ssm,
    cw,
    out,
    run,
    cancels: () => ssm.commandCalls(CancelCommandCommand).length,
    /** Whether stress-ng would still be loading the instance now. */
    loadRunning: () => !FINISHED.has(status()),
  };
}

export const alarmBetween = (from: number, to: number) => (t: number) =>
  t >= from && t < to ? "ALARM" : "OK";
