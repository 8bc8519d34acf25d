// The project and stack files against the config the program reads.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CONFIG_KEYS, StackConfigError, validateConfig } from "../config.ts";

const root = new URL("../../", import.meta.url);
const read = (file: string) => readFileSync(new URL(file, root), "utf8");

/** `expense-tracker:key: value` lines of a stack file (flat scalars only, as these files are). */
function stackConfig(file: string): Record<string, string> {
  const entries = [...read(file).matchAll(/^ {2}expense-tracker:(\w+): (.+)$/gm)];
  return Object.fromEntries(entries.map((m) => [m[1], m[2]?.trim()]));
}

describe("Pulumi.yaml", () => {
  it("declares every key the program reads", () => {
    const declared = [...read("Pulumi.yaml").matchAll(/^ {2}(\w+):$/gm)].map((m) => m[1]);
    for (const key of CONFIG_KEYS) expect(declared, key).toContain(key);
  });
});

describe("the stack files", () => {
  it("dev applies database changes during the deploy; prod waits for the maintenance window and keeps its data on destroy", () => {
    expect(stackConfig("Pulumi.dev.yaml")).toMatchObject({ applyImmediately: "true" });
    expect(stackConfig("Pulumi.prod.yaml")).toMatchObject({
      applyImmediately: "false",
      deletionProtection: "true",
      dbFinalSnapshot: "true",
      dbKeepAutomatedBackups: "true",
    });
  });

  it.each(["Pulumi.dev.yaml", "Pulumi.prod.yaml"])(
    "%s is refused until its placeholder addresses are replaced, and is otherwise valid",
    (file) => {
      const raw = stackConfig(file);
      let problems: string[] = [];
      try {
        validateConfig(raw, "a fine password");
      } catch (err) {
        if (!(err instanceof StackConfigError)) throw err;
        problems = err.problems;
      }
      expect(problems).toEqual([
        'expense-tracker:alertEmail "you@example.com" is the stack file\'s placeholder: set your own address',
        'expense-tracker:ownerEmail "you@example.com" is the stack file\'s placeholder: set your own address',
      ]);
    },
  );
});
