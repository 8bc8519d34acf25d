// CIS / Security Hub defaults of the default stack, and the flow-logs option.
import { beforeAll, describe, expect, it } from "vitest";
import { databaseIdentifier } from "../database-rules.ts";
import { type ProgramRun, runProgram } from "./support/mocks.ts";

let run: ProgramRun;
beforeAll(async () => {
  run = await runProgram();
}, 120_000);

describe("the VPC's default security group", () => {
  it("is taken over and left without any rule", () => {
    const group = run.one("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup");
    expect(group.inputs.vpcId).toBe("expense-tracker-vpc-id");
    expect(group.inputs.ingress ?? []).toEqual([]);
    expect(group.inputs.egress ?? []).toEqual([]);
  });
});

describe("the artifact bucket", () => {
  it("refuses every request that does not arrive over TLS, on the bucket and its objects", () => {
    const policy = JSON.parse(String(run.one("aws:s3/bucketPolicy:BucketPolicy").inputs.policy));
    expect(policy.Statement).toContainEqual({
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: [
        "arn:aws:s3:::expense-tracker-bucket-bucket123",
        "arn:aws:s3:::expense-tracker-bucket-bucket123/*",
      ],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
    expect(run.one("aws:s3/bucketPolicy:BucketPolicy").dependsOn).toContain(
      run.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").name,
    );
  });

  it("keeps versions, and expires old ones after 30 days", () => {
    expect(run.one("aws:s3/bucketVersioning:BucketVersioning").inputs).toMatchObject({
      bucket: "expense-tracker-bucket-id",
      versioningConfiguration: { status: "Enabled" },
    });
    const rules = run.one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs
      .rules as Record<string, unknown>[];
    expect(rules[0]).toMatchObject({ noncurrentVersionExpiration: { noncurrentDays: 30 } });
  });
});

describe("the database's PostgreSQL log", () => {
  const identifier = databaseIdentifier("expense-tracker", "test", "a1b2c3d4");

  it("is exported to CloudWatch, into a log group created first with the stack's retention", () => {
    const db = run.one("aws:rds/instance:Instance");
    expect(db.inputs).toMatchObject({ identifier, enabledCloudwatchLogsExports: ["postgresql"] });
    const group = run
      .all("aws:cloudwatch/logGroup:LogGroup")
      .find((g) => g.inputs.name === `/aws/rds/instance/${identifier}/postgresql`);
    expect(group?.inputs.retentionInDays).toBe(14);
    expect(db.dependsOn).toContain(group?.name);
  });

  it("names the instance with a valid RDS identifier of at most 63 characters, whatever the stack", () => {
    expect(identifier).toBe("expense-tracker-test-a1b2c3d4");
    const long = databaseIdentifier("expense-tracker", `Team_${"x".repeat(80)}.eu`, "a1b2c3d4");
    expect(long.length).toBeLessThanOrEqual(63);
    expect(long).toMatch(/^[a-z](?!.*--)[a-z0-9-]*[a-z0-9]$/);
    expect(long.endsWith("-a1b2c3d4")).toBe(true);
  });
});

describe("VPC flow logs", () => {
  it("are off by default", () => {
    expect(run.all("aws:ec2/flowLog:FlowLog")).toEqual([]);
  });
});
