import { describe, expect, it } from "vitest";
import { isCidr, StackConfigError, validateConfig } from "../config.ts";
import { subnetCidrs } from "../network.ts";

const base = { alertEmail: "alerts@example.com", ownerEmail: "Owner@Example.com" };
const PASSWORD = "a fine password";

/** `password` null means the secret is not set. */
function problems(raw: Record<string, string>, password: string | null = PASSWORD): string[] {
  try {
    validateConfig(raw, password ?? undefined);
    return [];
  } catch (err) {
    if (err instanceof StackConfigError) return err.problems;
    throw err;
  }
}

describe("validateConfig", () => {
  it("fills in the defaults", () => {
    expect(validateConfig(base, PASSWORD)).toEqual({
      alertEmail: "alerts@example.com",
      ownerEmail: "owner@example.com",
      instanceType: "t3.micro",
      arch: "x86_64",
      dbInstanceClass: "db.t4g.micro",
      dbEngineVersion: "18",
      dbAllocatedStorage: 20,
      dbBackupRetentionDays: 7,
      deletionProtection: false,
      dbFinalSnapshot: false,
      dbKeepAutomatedBackups: false,
      applyImmediately: true,
      vpcCidr: "10.20.0.0/16",
      ssh: undefined,
      domain: undefined,
      logLevel: "info",
      cpuAlarmThreshold: 70,
      detailedMonitoring: true,
      logRetentionDays: 14,
      http5xxThreshold: 10,
      monthlyBudgetUsd: 60,
      vpcFlowLogs: false,
    });
  });

  it("names the key, the value and what is allowed, for each bad value at once", () => {
    expect(
      problems({
        alertEmail: "me@",
        ownerEmail: "owner@example.com",
        instanceType: "m5.24xlarge",
        dbInstanceClass: "db.r6g.16xlarge",
        dbEngineVersion: "9.6",
        dbAllocatedStorage: "5",
        dbBackupRetentionDays: "90",
        deletionProtection: "yes",
        vpcCidr: "10.20.0.0/8",
        logLevel: "trace",
      }),
    ).toEqual([
      'expense-tracker:alertEmail "me@" is not an email address',
      'expense-tracker:instanceType "m5.24xlarge" is not allowed; use one of t3.micro, t3.small, t3.medium, t4g.micro, t4g.small, t4g.medium',
      'expense-tracker:dbInstanceClass "db.r6g.16xlarge" is not allowed; use one of db.t4g.micro, db.t4g.small, db.t4g.medium, db.t3.micro, db.t3.small',
      'expense-tracker:dbEngineVersion "9.6" is not allowed; use one of 16, 17, 18',
      'expense-tracker:dbAllocatedStorage "5" is not a whole number from 20 to 1000',
      'expense-tracker:dbBackupRetentionDays "90" is not a whole number from 1 to 35',
      'expense-tracker:deletionProtection "yes" is not true or false',
      'expense-tracker:logLevel "trace" is not allowed; use one of debug, info, warn, error',
      'expense-tracker:vpcCidr "10.20.0.0/8" is not an IPv4 CIDR block from /16 to /24, such as 10.20.0.0/16',
    ]);
  });

  it("requires the alert address, the owner and the owner's password, and never shows the password", () => {
    expect(problems({}, null)).toEqual([
      "expense-tracker:alertEmail is required: pulumi config set alertEmail <your address>",
      "expense-tracker:ownerPassword is required: pulumi config set ownerPassword --secret",
      "expense-tracker:ownerEmail is required: pulumi config set ownerEmail <your address>",
    ]);
    const lines = problems(base, "short");
    expect(lines).toEqual([
      "expense-tracker:ownerPassword must be 8 to 200 characters (its value is not shown)",
    ]);
    expect(lines.join()).not.toContain('short"');
  });

  it("opens SSH only with both a narrow CIDR and a public key", () => {
    expect(problems({ ...base, sshCidr: "203.0.113.7/32" })).toEqual([
      "expense-tracker:sshCidr and expense-tracker:sshPublicKey go together: set both, or neither",
    ]);
    expect(
      problems({ ...base, sshCidr: "0.0.0.0/0", sshPublicKey: "ssh-ed25519 AAAAC3Nza me" }),
    ).toEqual([
      'expense-tracker:sshCidr "0.0.0.0/0" is not an IPv4 CIDR block from /8 to /32 (the whole internet is not allowed), such as 203.0.113.7/32',
    ]);
    expect(problems({ ...base, sshCidr: "203.0.113.7/32", sshPublicKey: "hello" })).toEqual([
      "expense-tracker:sshPublicKey is not an OpenSSH public key (ssh-ed25519 AAAA..., ssh-rsa AAAA... or ecdsa-sha2-...)",
    ]);
    expect(
      validateConfig(
        { ...base, sshCidr: "203.0.113.7/32", sshPublicKey: "ssh-ed25519 AAAAC3Nza me" },
        PASSWORD,
      ).ssh,
    ).toEqual({
      cidr: "203.0.113.7/32",
      publicKey: "ssh-ed25519 AAAAC3Nza me",
    });
  });

  it("checks a custom domain and its hosted zone", () => {
    expect(problems({ ...base, domainName: "not a domain", hostedZoneId: "zone" })).toEqual([
      'expense-tracker:domainName "not a domain" is not a domain name such as money.example.com',
      'expense-tracker:hostedZoneId "zone" is not a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ',
    ]);
  });

  it("checks the monitoring settings", () => {
    expect(
      problems({
        ...base,
        cpuAlarmThreshold: "150",
        logRetentionDays: "10",
        monthlyBudgetUsd: "0",
        http5xxThreshold: "x",
        detailedMonitoring: "1",
      }),
    ).toEqual([
      'expense-tracker:cpuAlarmThreshold "150" is not a whole number from 1 to 100',
      'expense-tracker:detailedMonitoring "1" is not true or false',
      'expense-tracker:logRetentionDays "10" is not a retention CloudWatch offers; use one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653',
      'expense-tracker:http5xxThreshold "x" is not a whole number from 1 to 10000',
      'expense-tracker:monthlyBudgetUsd "0" is not a whole number from 1 to 100000',
    ]);
  });

  it("a protected database keeps a final snapshot and its automated backups by default, and cannot turn either off", () => {
    expect(validateConfig({ ...base, deletionProtection: "true" }, PASSWORD)).toMatchObject({
      deletionProtection: true,
      dbFinalSnapshot: true,
      dbKeepAutomatedBackups: true,
    });
    expect(
      problems({
        ...base,
        deletionProtection: "true",
        dbFinalSnapshot: "false",
        dbKeepAutomatedBackups: "false",
      }),
    ).toEqual([
      'expense-tracker:dbFinalSnapshot "false" must be true while deletionProtection is true',
      'expense-tracker:dbKeepAutomatedBackups "false" must be true while deletionProtection is true',
    ]);
  });

  it("an unprotected stack may still keep a final snapshot and its backups", () => {
    expect(
      validateConfig(
        { ...base, dbFinalSnapshot: "true", dbKeepAutomatedBackups: "true" },
        PASSWORD,
      ),
    ).toMatchObject({
      deletionProtection: false,
      dbFinalSnapshot: true,
      dbKeepAutomatedBackups: true,
    });
  });

  it("checks applyImmediately", () => {
    expect(validateConfig({ ...base, applyImmediately: "false" }, PASSWORD).applyImmediately).toBe(
      false,
    );
    expect(problems({ ...base, applyImmediately: "later" })).toEqual([
      'expense-tracker:applyImmediately "later" is not true or false',
    ]);
  });

  it("refuses the stack files' placeholder address you@example.com", () => {
    expect(problems({ alertEmail: "you@example.com", ownerEmail: "You@Example.com" })).toEqual([
      'expense-tracker:alertEmail "you@example.com" is the stack file\'s placeholder: set your own address',
      'expense-tracker:ownerEmail "You@Example.com" is the stack file\'s placeholder: set your own address',
    ]);
  });

  it("picks arm64 for Graviton instance types", () => {
    expect(validateConfig({ ...base, instanceType: "t4g.small" }, PASSWORD).arch).toBe("arm64");
  });
});

describe("CIDR helpers", () => {
  it.each([
    ["10.20.0.0/16", true],
    ["10.20.1.0/16", false],
    ["10.20.0.0/33", false],
    ["300.1.1.1/32", false],
    ["10.0.0.0", false],
  ])("isCidr(%s) is %s", (cidr, ok) => {
    expect(isCidr(cidr)).toBe(ok);
  });

  it("splits the VPC into four equal subnets", () => {
    expect(subnetCidrs("10.20.0.0/16")).toEqual([
      "10.20.0.0/18",
      "10.20.64.0/18",
      "10.20.128.0/18",
      "10.20.192.0/18",
    ]);
    expect(subnetCidrs("192.168.4.0/24")).toEqual([
      "192.168.4.0/26",
      "192.168.4.64/26",
      "192.168.4.128/26",
      "192.168.4.192/26",
    ]);
  });
});
