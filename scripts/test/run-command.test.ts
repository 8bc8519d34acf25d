import { afterEach, describe, expect, it } from "vitest";
import { EXIT_INTERRUPTED, runCommand } from "../ops/cli.ts";
import { OperatorError } from "../ops/errors.ts";

afterEach(() => {
  // The command sets the exit code of this very process: put it back for vitest.
  process.exitCode = undefined;
});

describe("runCommand", () => {
  it("turns the first Ctrl-C into an aborted signal, so the command cleans up and sets its own code", async () => {
    const steps: string[] = [];
    const listeners = process.listenerCount("SIGINT");
    const done = runCommand(async ({ signal }) => {
      await new Promise((resolve) => signal.addEventListener("abort", resolve, { once: true }));
      steps.push("cleaned up");
      return EXIT_INTERRUPTED;
    });
    process.emit("SIGINT");
    await done;
    expect(steps).toEqual(["cleaned up"]);
    expect(process.exitCode).toBe(130);
    expect(process.listenerCount("SIGINT")).toBe(listeners);
  });

  it("prints an error as one line and exits non-zero", async () => {
    const printed: string[] = [];
    await runCommand(
      async () => {
        throw new OperatorError("stack output url is missing: run pulumi up (or pass --stack)");
      },
      { printError: (l) => printed.push(l) },
    );
    expect(printed).toEqual(["stack output url is missing: run pulumi up (or pass --stack)"]);
    expect(process.exitCode).toBe(2);
  });
});
