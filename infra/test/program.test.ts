// The default stack under Pulumi's mocked runtime: inventory, network, database, firewall,
// artifact and outputs (program-web.test.ts has the instance and CloudFront).
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import {
  CLOUDFRONT_PREFIX_LIST_ID,
  OWNER_PASSWORD,
  type ProgramRun,
  runProgram,
} from "./support/mocks.ts";

let run: ProgramRun;
beforeAll(async () => {
  run = await runProgram();
}, 120_000);

const input = <T = unknown>(r: { inputs: Record<string, unknown> }, key: string) =>
  r.inputs[key] as T;

describe("inventory", () => {
  it("declares the expected resources, and nothing for SSH or a custom domain by default", () => {
    const counts: Record<string, number> = {};
    for (const r of run.resources) counts[r.type] = (counts[r.type] ?? 0) + 1;
    expect(counts).toMatchObject({
      "aws:ec2/vpc:Vpc": 1,
      "aws:ec2/subnet:Subnet": 4,
      "aws:ec2/internetGateway:InternetGateway": 1,
      "aws:ec2/routeTable:RouteTable": 2,
      "aws:ec2/route:Route": 1,
      "aws:ec2/routeTableAssociation:RouteTableAssociation": 4,
      "aws:ec2/securityGroup:SecurityGroup": 2,
      "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": 2,
      "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": 4,
      "aws:rds/subnetGroup:SubnetGroup": 1,
      "aws:rds/parameterGroup:ParameterGroup": 1,
      "aws:rds/instance:Instance": 1,
      "aws:secretsmanager/secret:Secret": 4,
      "aws:secretsmanager/secretVersion:SecretVersion": 4,
      "aws:s3/bucket:Bucket": 1,
      "aws:s3/bucketObjectv2:BucketObjectv2": 1,
      "aws:iam/role:Role": 1,
      "aws:iam/instanceProfile:InstanceProfile": 1,
      "aws:ec2/instance:Instance": 1,
      "aws:cloudfront/distribution:Distribution": 1,
      "aws:ec2/eip:Eip": 1,
      "aws:ec2/eipAssociation:EipAssociation": 1,
      "command:local:Command": 1,
    });
    expect(counts["aws:ec2/natGateway:NatGateway"]).toBeUndefined();
    expect(counts["aws:ec2/keyPair:KeyPair"]).toBeUndefined();
    expect(counts["aws:acm/certificate:Certificate"]).toBeUndefined();
  });

  it("looks up availability zones, the Ubuntu image, and CloudFront's prefix list instead of hard-coding them", () => {
    const tokens = run.invokes.map((i) => i.token);
    expect(tokens).toContain("aws:index/getAvailabilityZones:getAvailabilityZones");
    const ami = run.invokes.find((i) => i.token === "aws:ec2/getAmi:getAmi");
    expect(ami?.inputs).toMatchObject({ owners: ["099720109477"], mostRecent: true });
    expect(JSON.stringify(ami?.inputs)).toContain("ubuntu-noble-24.04-amd64-server-");
    const zones = run.all("aws:ec2/subnet:Subnet").map((s) => input(s, "availabilityZone"));
    expect(new Set(zones)).toEqual(new Set(["eu-central-1a", "eu-central-1b"]));
  });

  it("puts every taggable resource under the project, stack and Name tags", () => {
    const tagged = run.resources.filter((r) => r.inputs.tags !== undefined);
    expect(tagged.length).toBeGreaterThan(20);
    for (const r of tagged) {
      expect(r.inputs.tags, r.name).toMatchObject({
        Project: "expense-tracker",
        Stack: "test",
        Name: expect.any(String),
      });
    }
  });
});

describe("network", () => {
  it("routes only the public subnets to the internet gateway", () => {
    const route = run.one("aws:ec2/route:Route");
    expect(route.inputs).toMatchObject({
      destinationCidrBlock: "0.0.0.0/0",
      gatewayId: "expense-tracker-igw-id",
    });
    expect(input(route, "routeTableId")).toBe("expense-tracker-public-rt-id");
    const assoc = run.all("aws:ec2/routeTableAssociation:RouteTableAssociation");
    const byTable = (t: string) =>
      assoc.filter((a) => a.inputs.routeTableId === t).map((a) => a.inputs.subnetId);
    expect(byTable("expense-tracker-public-rt-id").sort()).toEqual([
      "expense-tracker-public-1-id",
      "expense-tracker-public-2-id",
    ]);
    expect(byTable("expense-tracker-private-rt-id").sort()).toEqual([
      "expense-tracker-private-1-id",
      "expense-tracker-private-2-id",
    ]);
    expect(input(run.one("aws:ec2/subnet:Subnet", "private-1"), "mapPublicIpOnLaunch")).toBe(false);
  });
});

describe("database", () => {
  const db = () => run.one("aws:rds/instance:Instance");

  it("is not publicly accessible and lives in the private subnets", () => {
    expect(input(db(), "publiclyAccessible")).toBe(false);
    const group = run.one("aws:rds/subnetGroup:SubnetGroup");
    expect((input<string[]>(group, "subnetIds") ?? []).sort()).toEqual([
      "expense-tracker-private-1-id",
      "expense-tracker-private-2-id",
    ]);
    expect(input(db(), "dbSubnetGroupName")).toBe("expense-tracker-subnets-0a1b2c3");
  });

  it("encrypts gp3 storage", () => {
    expect(db().inputs).toMatchObject({
      storageEncrypted: true,
      storageType: "gp3",
      allocatedStorage: 20,
    });
  });

  it("forces TLS through its parameter group", () => {
    const params = run.one("aws:rds/parameterGroup:ParameterGroup");
    expect(params.inputs.family).toBe("postgres18");
    expect(params.inputs.parameters).toEqual([
      expect.objectContaining({ name: "rds.force_ssl", value: "1" }),
    ]);
  });

  it("lets RDS manage the master password in Secrets Manager; no password is passed", () => {
    expect(input(db(), "manageMasterUserPassword")).toBe(true);
    expect(db().inputs.password).toBeUndefined();
  });

  it("keeps 7 days of backups, and in dev is deletable without a final snapshot or its backups", () => {
    expect(db().inputs).toMatchObject({
      backupRetentionPeriod: 7,
      deletionProtection: false,
      skipFinalSnapshot: true,
      deleteAutomatedBackups: true,
    });
    expect(db().inputs.finalSnapshotIdentifier).toBeUndefined();
  });

  it("applies changes during the deploy and, on a first deploy, allows no major upgrade", () => {
    expect(db().inputs).toMatchObject({ applyImmediately: true, allowMajorVersionUpgrade: false });
    expect(run.outputs.dbEngineVersion).toBe("18");
    expect(db().inputs).toMatchObject({
      engine: "postgres",
      engineVersion: "18",
      instanceClass: "db.t4g.micro",
    });
  });
});

describe("security groups", () => {
  const rules = (kind: "Ingress" | "Egress") =>
    run.all(`aws:vpc/securityGroup${kind}Rule:SecurityGroup${kind}Rule`);

  it("the database admits only PostgreSQL from the web server's group", () => {
    const dbIngress = rules("Ingress").filter(
      (r) => r.inputs.securityGroupId === "expense-tracker-db-id",
    );
    expect(dbIngress).toHaveLength(1);
    expect(dbIngress[0]?.inputs).toMatchObject({
      fromPort: 5432,
      toPort: 5432,
      ipProtocol: "tcp",
      referencedSecurityGroupId: "expense-tracker-web-id",
    });
    expect(dbIngress[0]?.inputs.cidrIpv4).toBeUndefined();
  });

  it("the web server admits only HTTP from CloudFront's origin-facing prefix list, and no SSH", () => {
    const webIngress = rules("Ingress").filter(
      (r) => r.inputs.securityGroupId === "expense-tracker-web-id",
    );
    expect(webIngress).toHaveLength(1);
    expect(webIngress[0]?.inputs).toMatchObject({
      fromPort: 80,
      toPort: 80,
      prefixListId: CLOUDFRONT_PREFIX_LIST_ID,
    });
    expect(webIngress.some((r) => r.inputs.fromPort === 22)).toBe(false);
  });

  it("every rule is its own resource with a description", () => {
    for (const r of [...rules("Ingress"), ...rules("Egress")])
      expect(String(r.inputs.description ?? "")).not.toBe("");
    for (const g of run.all("aws:ec2/securityGroup:SecurityGroup")) {
      expect(g.inputs.ingress ?? []).toEqual([]);
      expect(g.inputs.egress ?? []).toEqual([]);
    }
  });
});

describe("artifact", () => {
  it("uploads exactly the built file under a key that contains its sha256", async () => {
    const object = run.one("aws:s3/bucketObjectv2:BucketObjectv2");
    const sha = String(run.outputs.artifactSha256);
    expect(sha).toMatch(/^[0-9a-f]{64}$/);
    expect(object.inputs.key).toBe(`releases/expense-tracker-${sha}.mjs`);
    const path = await (object.inputs.source as { path: Promise<string> }).path;
    expect(path).toMatch(/dist\/expense-tracker\.mjs$/);
    expect(createHash("sha256").update(readFileSync(path)).digest("hex")).toBe(sha);
  });

  it("keeps the bucket private and encrypted", () => {
    expect(run.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs).toMatchObject({
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    const sse = run.one(
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    );
    expect(JSON.stringify(sse.inputs.rules)).toContain('"sseAlgorithm":"AES256"');
    expect(run.one("aws:s3/bucketOwnershipControls:BucketOwnershipControls").inputs.rule).toEqual({
      objectOwnership: "BucketOwnerEnforced",
    });
  });
});

describe("outputs", () => {
  it("give the HTTPS address, the database endpoint, the instance and the build", () => {
    expect(run.outputs).toEqual({
      url: "https://d111111abcdef8.cloudfront.net",
      dbEndpoint: "expense-tracker-postgres.abcdefghij.eu-central-1.rds.amazonaws.com:5432",
      instanceId: "expense-tracker-instance-id",
      dbEngineVersion: "18",
      artifactSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      alertTopicArn: "arn:aws:sns:eu-central-1:123456789012:expense-tracker-alerts",
      cpuAlarmName: "expense-tracker-cpu-high-0a1b2c3",
      dashboardUrl:
        "https://console.aws.amazon.com/cloudwatch/home?region=eu-central-1#dashboards:name=expense-tracker-test",
      logGroupName: "/expense-tracker/test",
    });
  });

  it("no secret value appears in outputs or tags", () => {
    const visible = JSON.stringify([run.outputs, run.resources.map((r) => r.inputs.tags)]);
    expect(visible).not.toContain(OWNER_PASSWORD);
    expect(visible).not.toContain("generated-");
  });
});
