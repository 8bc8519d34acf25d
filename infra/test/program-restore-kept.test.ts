// After a restore, a deploy whose config no longer names it keeps the restored instance: the same
// identifier and the same restore arguments, so nothing is replaced by an empty database.
import { expect, it } from "vitest";
import { runProgram } from "./support/mocks.ts";

it("declares the deployed restore again when the restore keys are removed", async () => {
  const restored = "expense-tracker-postgres-1a2b3c4-r0a1b2c";
  const restore = { source: "expense-tracker-postgres-1a2b3c4", time: "2026-11-20T08:00:00Z" };
  const run = await runProgram(
    {},
    {
      deployedOutputs: {
        dbEngineVersion: "18",
        dbEndpoint: `${restored}.abcdefghij.eu-central-1.rds.amazonaws.com:5432`,
        dbRestore: restore,
      },
    },
  );
  const db = run.one("aws:rds/instance:Instance").inputs;
  expect(db.identifier).toBe(restored);
  expect(db.restoreToPointInTime).toEqual({
    sourceDbInstanceIdentifier: restore.source,
    restoreTime: restore.time,
  });
  expect(db.snapshotIdentifier).toBeUndefined();
  expect(run.outputs.dbRestore).toEqual(restore);
}, 120_000);
