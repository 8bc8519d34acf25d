// A deployed stack told to restore its own database to the latest restorable time.
import { expect, it } from "vitest";
import { restoreTag } from "../database-rules.ts";
import { runProgram } from "./support/mocks.ts";

it("restores the running instance's backups into a new instance", async () => {
  const running = "expense-tracker-postgres-1a2b3c4";
  const run = await runProgram(
    { "expense-tracker:dbRestoreTime": "latest" },
    {
      deployedOutputs: {
        dbEngineVersion: "18",
        dbEndpoint: `${running}.abcdefghij.eu-central-1.rds.amazonaws.com:5432`,
      },
    },
  );
  const db = run.one("aws:rds/instance:Instance").inputs;
  const restore = { source: running, time: "latest" };
  expect(db.identifier).toBe(`${running}-r${restoreTag(restore)}`);
  expect(db.restoreToPointInTime).toEqual({
    sourceDbInstanceIdentifier: running,
    useLatestRestorableTime: true,
  });
  expect(String(db.finalSnapshotIdentifier ?? "")).toBe("");
  expect(run.outputs.dbRestore).toEqual(restore);
}, 120_000);
