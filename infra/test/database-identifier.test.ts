// A stack deployed before the database identifier was fixed keeps its instance: the identifier
// comes from the endpoint it exported, and changing it would make RDS replace the database.
import { describe, expect, it } from "vitest";
import { identifierOfEndpoint } from "../database-rules.ts";
import { runProgram } from "./support/mocks.ts";

describe("identifierOfEndpoint", () => {
  it.each([
    [
      "expense-tracker-postgres-1a2b3c4.abcdefghij.eu-central-1.rds.amazonaws.com",
      "expense-tracker-postgres-1a2b3c4",
    ],
    [
      "expense-tracker-postgres-1a2b3c4.abcdefghij.eu-central-1.rds.amazonaws.com:5432",
      "expense-tracker-postgres-1a2b3c4",
    ],
    [undefined, undefined],
    ["", undefined],
    ["not-an-endpoint", undefined],
  ])("%j -> %j", (endpoint, identifier) => {
    expect(identifierOfEndpoint(endpoint)).toBe(identifier);
  });
});

describe("a stack that already runs a database", () => {
  it("keeps the deployed instance's identifier, and names the log group after it", async () => {
    const run = await runProgram(
      {},
      {
        deployedOutputs: {
          dbEngineVersion: "18",
          dbEndpoint:
            "expense-tracker-postgres-1a2b3c4.abcdefghij.eu-central-1.rds.amazonaws.com:5432",
        },
      },
    );
    expect(run.one("aws:rds/instance:Instance").inputs.identifier).toBe(
      "expense-tracker-postgres-1a2b3c4",
    );
    expect(run.resources.find((r) => r.name === "expense-tracker-postgres-log")?.inputs.name).toBe(
      "/aws/rds/instance/expense-tracker-postgres-1a2b3c4/postgresql",
    );
  }, 120_000);
});
