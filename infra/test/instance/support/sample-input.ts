import type { UserDataInput } from "../../../instance/index.ts";

const arn = (name: string) => `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${name}`;

/** What the Pulumi program passes: names and ARNs only, no secret values. */
export function sampleInput(overrides: Partial<UserDataInput> = {}): UserDataInput {
  return {
    arch: "x86_64",
    region: "eu-west-1",
    artifact: {
      bucket: "expense-tracker-artifacts-4f2a9c",
      key: "releases/3c97cf8/expense-tracker.mjs",
      sha256: "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    },
    database: {
      host: "expense-tracker-db.c9akciq32.eu-west-1.rds.amazonaws.com",
      port: 5432,
      name: "expenses",
      user: "expense_admin",
      appUser: "expense_app",
      secretArn: arn("rds!db-0b1c2d3e-aaaa-bbbb-cccc-111122223333-AbCdEf"),
    },
    secrets: {
      sessionSecretArn: arn("expense-tracker-session-Xy12Ab"),
      ownerPasswordArn: arn("expense-tracker-owner-Qw34Er"),
      originVerifyArn: arn("expense-tracker-origin-Zx56Cv"),
      dbAppPasswordArn: arn("expense-tracker-db-app-password-Mn78Bv"),
    },
    ownerEmail: "owner@example.com",
    trustProxy: 2,
    logGroupName: "/expense-tracker/dev",
    logRetentionDays: 14,
    ...overrides,
  };
}
