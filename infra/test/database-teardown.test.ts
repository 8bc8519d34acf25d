// A stack made destroyable (deletionProtection=false) that still keeps its data on destroy.
import { describe, expect, it } from "vitest";
import { finalSnapshotIdentifier } from "../database-rules.ts";
import { runProgram } from "./support/mocks.ts";

describe("deletion protection off, final snapshot and backups kept", () => {
  it("lets RDS delete the instance, with a final snapshot and the automated backups left behind", async () => {
    const run = await runProgram({
      "expense-tracker:deletionProtection": "false",
      "expense-tracker:dbFinalSnapshot": "true",
      "expense-tracker:dbKeepAutomatedBackups": "true",
    });
    expect(run.one("aws:rds/instance:Instance").inputs).toMatchObject({
      deletionProtection: false,
      skipFinalSnapshot: false,
      finalSnapshotIdentifier: "expense-tracker-final-test-a1b2c3d4",
      deleteAutomatedBackups: false,
    });
    expect(run.one("aws:rds/instance:Instance").protect).toBe(false);
  }, 120_000);
});

describe("finalSnapshotIdentifier", () => {
  const RDS_IDENTIFIER = /^[a-z](?!.*--)[a-z0-9-]{0,254}(?<!-)$/;

  it.each([
    ["test", "expense-tracker-final-test-a1b2c3d4"],
    ["my_stack", "expense-tracker-final-my-stack-a1b2c3d4"],
    ["prod.eu", "expense-tracker-final-prod-eu-a1b2c3d4"],
    ["Team__A..b", "expense-tracker-final-team-a-b-a1b2c3d4"],
  ])("stack %s gives the valid RDS identifier %s", (stack, expected) => {
    const id = finalSnapshotIdentifier("expense-tracker", stack, "a1b2c3d4");
    expect(id).toBe(expected);
    expect(id).toMatch(RDS_IDENTIFIER);
  });
});
