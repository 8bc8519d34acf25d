// vpcFlowLogs=true: every connection of the VPC to a log group with the stack's retention.
import { expect, it } from "vitest";
import { runProgram } from "./support/mocks.ts";

it("vpcFlowLogs=true logs all of the VPC's traffic to its own log group, kept logRetentionDays", async () => {
  const run = await runProgram({
    "expense-tracker:vpcFlowLogs": "true",
    "expense-tracker:logRetentionDays": "30",
  });
  const flow = run.one("aws:ec2/flowLog:FlowLog");
  expect(flow.inputs).toMatchObject({
    vpcId: "expense-tracker-vpc-id",
    trafficType: "ALL",
    logDestinationType: "cloud-watch-logs",
  });
  const group = run.one("aws:cloudwatch/logGroup:LogGroup", "-flow-logs");
  expect(group.inputs).toMatchObject({
    name: "/expense-tracker/test/vpc-flow-logs",
    retentionInDays: 30,
  });
  const policy = JSON.parse(
    String(run.one("aws:iam/rolePolicy:RolePolicy", "-flow-logs").inputs.policy),
  );
  expect(policy.Statement[0].Resource[0]).toMatch(/flow-logs/);
  expect(
    JSON.parse(String(run.one("aws:iam/role:Role", "-flow-logs").inputs.assumeRolePolicy))
      .Statement[0].Principal,
  ).toEqual({ Service: "vpc-flow-logs.amazonaws.com" });
}, 120_000);
