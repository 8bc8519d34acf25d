// A stack with applyImmediately=false that last deployed PostgreSQL 17 and is now set to 18:
// the program refuses before it declares anything that could change.
import { expect, it } from "vitest";
import { runProgram } from "./support/mocks.ts";

it("refuses a major upgrade deferred to the maintenance window, before declaring any AWS resource", async () => {
  const failure = await runProgram(
    { "expense-tracker:dbEngineVersion": "18", "expense-tracker:applyImmediately": "false" },
    { deployedOutputs: { dbEngineVersion: "17" } },
  ).then(
    () => undefined,
    (err: Error & { declared?: { type: string }[] }) => err,
  );
  expect(failure?.message).toContain(
    'expense-tracker:dbEngineVersion "18" is a major upgrade from 17 and needs expense-tracker:applyImmediately true',
  );
  expect(failure?.declared?.filter((r) => r.type.startsWith("aws:"))).toEqual([]);
}, 120_000);
