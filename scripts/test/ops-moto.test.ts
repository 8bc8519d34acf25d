// The operator commands run as `npm run <name>` would, against moto_server with signature and
// IAM checks on, as an operator whose policy allows only what the commands need. Asserted: the
// requests are signed and shaped as AWS accepts them, and what CloudWatch and Logs hold. Not
// asserted: any SSM command result (moto reports Success at once and runs nothing).
import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  PutMetricAlarmCommand,
} from "@aws-sdk/client-cloudwatch";
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  PutLogEventsCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { ListCommandsCommand, SSMClient } from "@aws-sdk/client-ssm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Moto, requireMoto, startMoto } from "../../infra/test/support/moto.ts";
import {
  type Credentials,
  createUser,
  enableAuth,
  SETUP_CREDENTIALS,
} from "../../infra/test/support/moto-api.ts";
import { NOTIFY_REASON } from "../ops/cpu-alarm.ts";
import { READINESS_SCRIPT } from "../ops/instance-ready.ts";
import { runCli } from "./support/run-cli.ts";

const REGION = "eu-central-1";
const INSTANCE = "i-0123456789abcdef0";
const outputs = {
  instanceId: INSTANCE,
  cpuAlarmName: "expense-tracker-cpu-high-1a2b3c",
  alertTopicArn: `arn:aws:sns:${REGION}:123456789012:expense-tracker-alerts`,
  logGroupName: "/expense-tracker/moto",
};
/** What the commands call, and nothing else. */
const OPERATOR_POLICY = {
  Version: "2012-10-17",
  Statement: [
    {
      Effect: "Allow",
      Action: [
        "cloudwatch:DescribeAlarms",
        "cloudwatch:SetAlarmState",
        // moto names CloudWatch's actions by its signing name: the same two actions, for it.
        "monitoring:DescribeAlarms",
        "monitoring:SetAlarmState",
        "logs:FilterLogEvents",
        "ssm:SendCommand",
        "ssm:GetCommandInvocation",
        "ssm:CancelCommand",
      ],
      Resource: "*",
    },
  ],
};

describe.runIf(requireMoto())("operator commands against moto_server", () => {
  let moto: Moto;
  let operator: Credentials;
  /** The test's own reads, kept out of the operator's policy. */
  let inspector: Credentials;
  const client = <T>(C: new (c: object) => T, credentials: Credentials = SETUP_CREDENTIALS) =>
    new C({ region: REGION, endpoint: moto.endpoint, credentials });

  beforeAll(async () => {
    moto = await startMoto();
    const cloudwatch = client(CloudWatchClient);
    await cloudwatch.send(
      new PutMetricAlarmCommand({
        AlarmName: outputs.cpuAlarmName,
        Namespace: "AWS/EC2",
        MetricName: "CPUUtilization",
        Dimensions: [{ Name: "InstanceId", Value: INSTANCE }],
        Statistic: "Average",
        Period: 60,
        EvaluationPeriods: 3,
        Threshold: 70,
        ComparisonOperator: "GreaterThanThreshold",
        AlarmActions: [outputs.alertTopicArn],
        OKActions: [outputs.alertTopicArn],
      }),
    );
    const logs = client(CloudWatchLogsClient);
    await logs.send(new CreateLogGroupCommand({ logGroupName: outputs.logGroupName }));
    await logs.send(
      new CreateLogStreamCommand({
        logGroupName: outputs.logGroupName,
        logStreamName: `${INSTANCE}/service`,
      }),
    );
    const now = Date.now();
    await logs.send(
      new PutLogEventsCommand({
        logGroupName: outputs.logGroupName,
        logStreamName: `${INSTANCE}/service`,
        logEvents: [
          { timestamp: now - 60_000, message: '{"level":"info","msg":"listening"}' },
          { timestamp: now - 30_000, message: '{"level":"error","msg":"query failed"}' },
        ],
      }),
    );
    operator = await createUser(moto.endpoint, "operator", OPERATOR_POLICY);
    inspector = await createUser(moto.endpoint, "inspector", {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Action: ["ssm:ListCommands", "cloudwatch:DescribeAlarms", "monitoring:DescribeAlarms"],
          Resource: "*",
        },
      ],
    });
    await enableAuth(moto.endpoint);
  }, 60_000);

  afterAll(async () => {
    await moto?.stop();
  });

  const env = (credentials: Credentials = operator, extra: Record<string, string> = {}) => ({
    AWS_ENDPOINT_URL: moto.endpoint,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_REGION: REGION,
    STACK_OUTPUTS_JSON: JSON.stringify(outputs),
    ...extra,
  });
  // Also the SDK failing to parse moto's XML error answer to a JSON-protocol call.
  const denied =
    /AccessDenied|not authorized|InvalidClientTokenId|SignatureDoesNotMatch|UnrecognizedClient|is not valid JSON/i;

  it("moto refuses a wrong secret key, so the passes below mean the signatures were checked", async () => {
    const r = await runCli("logs", ["--no-follow"], env({ ...operator, secretAccessKey: "wrong" }));
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(denied);
  });

  it("npm run logs prints the group's events, oldest first", async () => {
    const r = await runCli("logs", ["--no-follow", "--since", "10m"], env());
    expect(r.stderr).not.toMatch(denied);
    expect(r.code).toBe(0);
    const listening = r.stdout.indexOf('"msg":"listening"');
    expect(listening).toBeGreaterThanOrEqual(0);
    expect(r.stdout.indexOf('"msg":"query failed"')).toBeGreaterThan(listening);
  });

  it("npm run stress sends its load as SSM accepts it (the outcome is moto's, not asserted)", async () => {
    const r = await runCli("stress", ["--minutes", "1", "--timeout", "0.05"], env(), 60_000);
    expect(r.stdout + r.stderr).not.toMatch(denied);
    expect(r.stdout).toContain(`sent the load: command`);
    const sent = await client(SSMClient, inspector).send(new ListCommandsCommand({}));
    const load = sent.Commands?.find((c) => c.Comment?.startsWith("npm run stress"));
    expect(load).toMatchObject({ DocumentName: "AWS-RunShellScript", InstanceIds: [INSTANCE] });
    expect(load?.Parameters?.commands?.join("\n")).toContain(
      "stress-ng --cpu 0 --cpu-load 100 --timeout 60s",
    );
  }, 90_000);

  it("npm run stress -- --notify-only sets the alarm to ALARM with its reason", async () => {
    const r = await runCli("stress", ["--notify-only"], env());
    expect(r.stderr).not.toMatch(denied);
    expect(r.code).toBe(0);
    const alarm = (
      await client(CloudWatchClient, inspector).send(
        new DescribeAlarmsCommand({ AlarmNames: [outputs.cpuAlarmName] }),
      )
    ).MetricAlarms?.[0];
    expect(alarm).toMatchObject({ StateValue: "ALARM", StateReason: NOTIFY_REASON });
  });

  it("wait-for-instance sends the readiness script as SSM accepts it (the result is moto's, not asserted)", async () => {
    const r = await runCli(
      "wait-for-instance",
      [],
      env(operator, { INSTANCE_ID: INSTANCE }),
      60_000,
    );
    expect(r.stderr).not.toMatch(denied);
    expect(r.stderr).toContain(`${INSTANCE}: asked cloud-init to report when done`);
    const sent = await client(SSMClient, inspector).send(new ListCommandsCommand({}));
    const readiness = sent.Commands?.find((c) => c.Comment?.includes("wait for the new instance"));
    expect(readiness?.Parameters?.commands).toEqual(READINESS_SCRIPT);
  }, 90_000);
});
