// A bad config value stops the program before any resource is declared.
import { expect, it } from "vitest";
import { runProgram } from "./support/mocks.ts";

it("refuses bad values, naming each key and value, and declares nothing", async () => {
  const error = await runProgram({
    "expense-tracker:alertEmail": "me@",
    "expense-tracker:instanceType": "m5.large",
  }).then(
    () => undefined,
    (err: Error & { declared?: unknown[] }) => err,
  );
  expect(error?.message).toContain('expense-tracker:alertEmail "me@" is not an email address');
  expect(error?.message).toContain('expense-tracker:instanceType "m5.large" is not allowed');
  expect(error?.declared).toEqual([]);
}, 60_000);
