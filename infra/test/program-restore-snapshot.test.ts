// A deployed stack told to restore a snapshot: a new instance from it, under a new identifier, with
// its own log group and final snapshot; the restore is exported for the next deploy.
import { expect, it } from "vitest";
import { restoreTag } from "../database-rules.ts";
import { runProgram } from "./support/mocks.ts";

const SNAPSHOT = "expense-tracker-final-test-1a2b3c4d";

it("creates the database from the snapshot under a new identifier", async () => {
  const run = await runProgram(
    { "expense-tracker:dbRestoreSnapshot": SNAPSHOT, "expense-tracker:dbFinalSnapshot": "true" },
    {
      deployedOutputs: {
        dbEngineVersion: "18",
        dbEndpoint:
          "expense-tracker-postgres-1a2b3c4.abcdefghij.eu-central-1.rds.amazonaws.com:5432",
      },
    },
  );
  const db = run.one("aws:rds/instance:Instance").inputs;
  const identifier = `expense-tracker-postgres-1a2b3c4-r${restoreTag({ snapshot: SNAPSHOT })}`;
  expect(db.identifier).toBe(identifier);
  expect(db.snapshotIdentifier).toBe(SNAPSHOT);
  expect(db.restoreToPointInTime).toBeUndefined();
  // Still encrypted, private, TLS-only and with RDS-managed credentials.
  expect(db).toMatchObject({
    storageEncrypted: true,
    publiclyAccessible: false,
    manageMasterUserPassword: true,
  });
  expect(run.resources.find((r) => r.name === "expense-tracker-postgres-log")?.inputs.name).toBe(
    `/aws/rds/instance/${identifier}/postgresql`,
  );
  // Its final snapshot is its own: the one of the instance it replaces has the stack's plain name.
  expect(db.finalSnapshotIdentifier).toMatch(
    new RegExp(`^expense-tracker-final-test-[0-9a-f]{8}-r${restoreTag({ snapshot: SNAPSHOT })}$`),
  );
  expect(run.outputs.dbRestore).toEqual({ snapshot: SNAPSHOT });
}, 120_000);
