// Engine upgrades and deferred changes: the rules, and the program run against a stack whose
// last deploy ran an older PostgreSQL major.
import { describe, expect, it } from "vitest";
import { StackConfigError } from "../config.ts";
import { isMajorUpgrade } from "../database-rules.ts";
import { runProgram } from "./support/mocks.ts";

const problems = (fn: () => unknown): string[] => {
  try {
    fn();
    return [];
  } catch (err) {
    if (err instanceof StackConfigError) return err.problems;
    throw err;
  }
};

describe("isMajorUpgrade", () => {
  it("is false on a first deploy and when the major stays", () => {
    expect(isMajorUpgrade(undefined, "18", false)).toBe(false);
    expect(isMajorUpgrade("18", "18", false)).toBe(false);
  });

  it("allows a new major only with applyImmediately, naming both keys", () => {
    expect(isMajorUpgrade("17", "18", true)).toBe(true);
    expect(problems(() => isMajorUpgrade("17", "18", false))).toEqual([
      'expense-tracker:dbEngineVersion "18" is a major upgrade from 17 and needs expense-tracker:applyImmediately true for that deploy (deferred, the old parameter group stays in use and its deletion fails)',
    ]);
  });

  it("refuses a downgrade, which RDS cannot do", () => {
    expect(problems(() => isMajorUpgrade("18", "17", true))[0]).toMatch(
      /^expense-tracker:dbEngineVersion "17" is older than the deployed 18: RDS cannot downgrade/,
    );
  });
});

describe("a stack that last deployed PostgreSQL 17, now configured for 18", () => {
  it("allows the major upgrade, applies it during the deploy, and moves to the new parameter-group family", async () => {
    const run = await runProgram(
      { "expense-tracker:dbEngineVersion": "18" },
      { deployedOutputs: { dbEngineVersion: "17" } },
    );
    expect(run.one("aws:rds/instance:Instance").inputs).toMatchObject({
      engineVersion: "18",
      allowMajorVersionUpgrade: true,
      applyImmediately: true,
    });
    expect(run.one("aws:rds/parameterGroup:ParameterGroup").inputs.family).toBe("postgres18");
    expect(run.outputs.dbEngineVersion).toBe("18");
  }, 120_000);
});
