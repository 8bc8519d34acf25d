// A protected, arm64 stack with SSH and a custom domain.
import { beforeAll, expect, it } from "vitest";
import { type ProgramRun, runProgram } from "./support/mocks.ts";

let run: ProgramRun;
beforeAll(async () => {
  run = await runProgram({
    "expense-tracker:deletionProtection": "true",
    "expense-tracker:dbBackupRetentionDays": "30",
    "expense-tracker:instanceType": "t4g.small",
    "expense-tracker:sshCidr": "203.0.113.7/32",
    "expense-tracker:sshPublicKey": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample operator",
    "expense-tracker:domainName": "money.example.com",
    "expense-tracker:hostedZoneId": "Z0123456789ABCDEFGHIJ",
  });
}, 120_000);

it("a protected stack keeps the database: deletion protection, a final snapshot and its automated backups", () => {
  expect(run.one("aws:rds/instance:Instance").inputs).toMatchObject({
    deletionProtection: true,
    skipFinalSnapshot: false,
    finalSnapshotIdentifier: "expense-tracker-final-test-a1b2c3d4",
    deleteAutomatedBackups: false,
    backupRetentionPeriod: 30,
  });
  expect(run.one("aws:rds/instance:Instance").protect).toBe(true);
  expect(run.one("aws:s3/bucket:Bucket").inputs.forceDestroy).toBe(false);
  for (const s of run.all("aws:secretsmanager/secret:Secret"))
    expect(s.inputs.recoveryWindowInDays).toBe(7);
});

it("a Graviton instance type boots the arm64 Ubuntu image", () => {
  expect(run.invokes.find((i) => i.token === "aws:ec2/getAmi:getAmi")?.inputs).toMatchObject({
    filters: expect.arrayContaining([{ name: "architecture", values: ["arm64"] }]),
  });
  expect(run.one("aws:ec2/instance:Instance").inputs).toMatchObject({
    ami: "ami-0arm64ubuntu2404",
    instanceType: "t4g.small",
  });
});

it("sshCidr opens port 22 to that CIDR only, with the key pair", () => {
  const ssh = run
    .all("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
    .filter((r) => r.inputs.fromPort === 22);
  expect(ssh).toHaveLength(1);
  expect(ssh[0]?.inputs).toMatchObject({
    toPort: 22,
    cidrIpv4: "203.0.113.7/32",
    securityGroupId: "expense-tracker-web-id",
  });
  expect(run.one("aws:ec2/keyPair:KeyPair").inputs.publicKey).toMatch(/^ssh-ed25519 /);
  expect(run.one("aws:ec2/instance:Instance").inputs.keyName).toBe("expense-tracker-key-key");
});

it("a custom domain gets an ACM certificate in us-east-1 and alias records, and becomes the url", () => {
  // Named per resource: a second provider would not inherit the stack's credential settings.
  expect(run.all("pulumi:providers:aws")).toEqual([]);
  expect(run.one("aws:acm/certificateValidation:CertificateValidation").inputs.region).toBe(
    "us-east-1",
  );
  expect(run.one("aws:acm/certificate:Certificate").inputs).toMatchObject({
    region: "us-east-1",
    domainName: "money.example.com",
    validationMethod: "DNS",
  });
  const dist = run.one("aws:cloudfront/distribution:Distribution").inputs;
  expect(dist.aliases).toEqual(["money.example.com"]);
  expect(dist.viewerCertificate).toMatchObject({
    sslSupportMethod: "sni-only",
    minimumProtocolVersion: "TLSv1.2_2021",
  });
  const aliases = run.all("aws:route53/record:Record").filter((r) => r.inputs.aliases);
  expect(aliases.map((r) => r.inputs.type).sort()).toEqual(["A", "AAAA"]);
  expect(run.outputs.url).toBe("https://money.example.com");
});
