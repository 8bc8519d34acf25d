// A replacement instance exists but never got ready: the Elastic IP is still associated with the
// old instance, which keeps serving. Monitoring must keep watching the old one.
import { beforeAll, expect, it } from "vitest";
import { type ProgramRun, runProgram } from "./support/mocks.ts";

const SERVING = "i-0servingold0000001";
const REPLACEMENT = "expense-tracker-instance-id";

let run: ProgramRun;
beforeAll(async () => {
  run = await runProgram(
    {},
    { state: { "aws:ec2/eipAssociation:EipAssociation": { instanceId: SERVING } } },
  );
}, 120_000);

const instanceDimensions = () =>
  run
    .all("aws:cloudwatch/metricAlarm:MetricAlarm")
    .flatMap((a) => [
      a.inputs.dimensions as Record<string, string> | undefined,
      ...(
        (a.inputs.metricQueries as { metric?: { dimensions?: Record<string, string> } }[]) ?? []
      ).map((q) => q.metric?.dimensions),
    ])
    .filter((d): d is Record<string, string> => d?.InstanceId !== undefined)
    .map((d) => d.InstanceId);

it("every EC2 alarm, with its recover and reboot actions, watches the instance the Elastic IP is associated with", () => {
  const ids = instanceDimensions();
  expect(ids.length).toBeGreaterThanOrEqual(5);
  expect(new Set(ids)).toEqual(new Set([SERVING]));
});

it("the dashboard shows the serving instance, not the replacement", () => {
  const body = String(run.one("aws:cloudwatch/dashboard:Dashboard").inputs.dashboardBody);
  expect(body).toContain(SERVING);
  expect(body).not.toContain(REPLACEMENT);
});

it("the instanceId output (stress, logs, SSM sessions) is the serving instance", () => {
  expect(run.outputs.instanceId).toBe(SERVING);
});

it("the readiness wait still targets the replacement it is waiting for", () => {
  const env = run.one("command:local:Command").inputs.environment as Record<string, string>;
  expect(env.INSTANCE_ID).toBe(REPLACEMENT);
});
