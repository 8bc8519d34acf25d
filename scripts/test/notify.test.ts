import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  type MetricAlarm,
  SetAlarmStateCommand,
} from "@aws-sdk/client-cloudwatch";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { NOTIFY_REASON, runNotifyOnly } from "../ops/cpu-alarm.ts";
import { recordingOutput } from "./support/recording-output.ts";

const outputs = {
  cpuAlarmName: "expense-tracker-cpu-high-1a2b3c",
  alertTopicArn: "arn:aws:sns:eu-central-1:123456789012:expense-tracker-alerts-9f8e7d",
};

function setup(alarm: Partial<MetricAlarm>) {
  const cloudwatch = new CloudWatchClient({ region: "eu-central-1" });
  const cw = mockClient(cloudwatch);
  cw.on(DescribeAlarmsCommand).resolves({
    MetricAlarms: [
      {
        AlarmName: outputs.cpuAlarmName,
        StateValue: "OK",
        ActionsEnabled: true,
        AlarmActions: [outputs.alertTopicArn],
        MetricName: "CPUUtilization",
        ComparisonOperator: "GreaterThanThreshold",
        Threshold: 70,
        EvaluationPeriods: 3,
        Period: 60,
        ...alarm,
      },
    ],
  });
  cw.on(SetAlarmStateCommand).resolves({});
  const out = recordingOutput();
  return { cw, out, run: () => runNotifyOnly({ cloudwatch, outputs, out }) };
}

describe("runNotifyOnly (npm run stress --notify-only)", () => {
  it("sets the alarm to ALARM with a reason naming the test, and tells the operator to check the e-mail", async () => {
    const { cw, out, run } = setup({});
    expect(await run()).toEqual({ ok: true });
    expect(cw.commandCalls(SetAlarmStateCommand)[0]?.args[0].input).toEqual({
      AlarmName: outputs.cpuAlarmName,
      StateValue: "ALARM",
      StateReason: "npm run stress --notify-only: testing the alarm -> SNS -> e-mail path",
    });
    expect(NOTIFY_REASON).toContain("--notify-only");
    expect(out.text()).toContain("Check the alert e-mail inbox");
    expect(out.text()).toContain("returns to its real state at its next evaluation");
  });

  it("does nothing when the alarm is already in ALARM, since only a state change sends the e-mail", async () => {
    const { cw, out, run } = setup({ StateValue: "ALARM" });
    expect(await run()).toEqual({ ok: false });
    expect(cw.commandCalls(SetAlarmStateCommand)).toHaveLength(0);
    expect(out.lines.at(-1)).toMatch(/already in ALARM/);
  });

  it("warns when the alarm does not notify the stack's topic", async () => {
    const { out, run } = setup({ AlarmActions: [] });
    expect(await run()).toEqual({ ok: false });
    expect(out.text()).toContain(`does not notify ${outputs.alertTopicArn}`);
  });

  it("names the missing alarm and how to create it", async () => {
    const cloudwatch = new CloudWatchClient({ region: "eu-central-1" });
    mockClient(cloudwatch).on(DescribeAlarmsCommand).resolves({ MetricAlarms: [] });
    await expect(runNotifyOnly({ cloudwatch, outputs, out: recordingOutput() })).rejects.toThrow(
      `CPU alarm ${outputs.cpuAlarmName} does not exist: run pulumi up (or pass --stack)`,
    );
  });
});
