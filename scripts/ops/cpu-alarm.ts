import {
  type CloudWatchClient,
  DescribeAlarmsCommand,
  type MetricAlarm,
  SetAlarmStateCommand,
} from "@aws-sdk/client-cloudwatch";
import { OperatorError } from "./errors.ts";
import type { Output } from "./terminal.ts";

/** The reason CloudWatch shows (and the e-mail quotes) for the notify-only test. */
export const NOTIFY_REASON =
  "npm run stress --notify-only: testing the alarm -> SNS -> e-mail path";

/** The alarm as it is now; a missing alarm stops the command with how to get it. */
export async function readAlarm(cloudwatch: CloudWatchClient, name: string): Promise<MetricAlarm> {
  const found = await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [name] }));
  const alarm = found.MetricAlarms?.[0];
  if (!alarm)
    throw new OperatorError(`CPU alarm ${name} does not exist: run pulumi up (or pass --stack)`);
  return alarm;
}

/** `CPUUtilization > 70 for 3 x 60 s`, for the first line the operator sees. */
export function describeCondition(alarm: MetricAlarm): string {
  const op =
    alarm.ComparisonOperator === "GreaterThanThreshold" ? ">" : (alarm.ComparisonOperator ?? "?");
  return `${alarm.MetricName ?? "?"} ${op} ${alarm.Threshold ?? "?"} for ${alarm.EvaluationPeriods ?? "?"} x ${alarm.Period ?? "?"} s`;
}

export interface NotifyOptions {
  cloudwatch: CloudWatchClient;
  outputs: { cpuAlarmName: string; alertTopicArn: string };
  out: Output;
}

export interface NotifyResult {
  /** The alarm was set to ALARM and it notifies the stack's topic. */
  ok: boolean;
}

/**
 * Tests only the alarm -> SNS -> e-mail path: sets the CPU alarm to ALARM by hand. CloudWatch puts
 * it back at the next evaluation of the real metric, so nothing is left changed.
 */
export async function runNotifyOnly({
  cloudwatch,
  outputs,
  out,
}: NotifyOptions): Promise<NotifyResult> {
  const name = outputs.cpuAlarmName;
  const alarm = await readAlarm(cloudwatch, name);
  out.line(`CPU alarm ${name}: ${alarm.StateValue} (${describeCondition(alarm)})`);
  let ok = true;
  if (!alarm.AlarmActions?.includes(outputs.alertTopicArn)) {
    out.line(
      `warning: the alarm does not notify ${outputs.alertTopicArn}: no e-mail will come; run pulumi up`,
    );
    ok = false;
  }
  if (alarm.ActionsEnabled === false) {
    out.line("warning: the alarm's actions are disabled: no e-mail will come");
    ok = false;
  }
  if (alarm.StateValue === "ALARM") {
    // Only a state change triggers the actions: ALARM -> ALARM sends nothing.
    out.line(
      "The alarm is already in ALARM, so setting it again would send nothing: wait for OK and run again.",
    );
    return { ok: false };
  }
  await cloudwatch.send(
    new SetAlarmStateCommand({ AlarmName: name, StateValue: "ALARM", StateReason: NOTIFY_REASON }),
  );
  out.line(`Set ${name} to ALARM: CloudWatch publishes to ${outputs.alertTopicArn}.`);
  out.line("Check the alert e-mail inbox: the ALARM message should arrive within a minute or two");
  out.line(
    "(no e-mail? confirm the SNS subscription first: AWS sent a link to the alert address).",
  );
  out.line(
    "The alarm returns to its real state at its next evaluation (about a minute); that OK sends an e-mail too.",
  );
  return { ok };
}
