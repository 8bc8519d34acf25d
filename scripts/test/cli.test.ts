import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./support/run-cli.ts";

const full = {
  url: "https://d111111abcdef8.cloudfront.net",
  instanceId: "i-0123456789abcdef0",
  cpuAlarmName: "expense-tracker-cpu-high-1a2b3c",
  alertTopicArn: "arn:aws:sns:eu-central-1:123456789012:expense-tracker-alerts-9f8e7d",
  logGroupName: "/expense-tracker/dev",
};
const outputs = (o: object) => ({ STACK_OUTPUTS_JSON: JSON.stringify(o) });
const without = (key: keyof typeof full) => outputs({ ...full, [key]: undefined });

/** The command printed exactly one line, on stderr, and exited with 2 ("something is missing"). */
function expectOneLine(run: { code: number | null; stdout: string; stderr: string }, line: string) {
  expect(run).toEqual({ code: 2, stdout: "", stderr: `${line}\n` });
}

const NO_PULUMI =
  "no stack outputs: the pulumi CLI is not installed; pass --outputs <file.json> or set STACK_OUTPUTS_JSON";
const NO_CREDENTIALS = "no AWS credentials: run aws configure or set AWS_PROFILE";

describe("operator commands when something is missing", () => {
  it.concurrent.each(["stress", "smoke", "logs"])(
    "npm run %s without pulumi or outputs says how to pass them",
    async (name) => {
      expectOneLine(await runCli(name, []), NO_PULUMI);
    },
  );

  it.concurrent.each([
    ["stress", [], "instanceId"],
    ["stress", [], "cpuAlarmName"],
    ["stress", ["--notify-only"], "alertTopicArn"],
    ["smoke", [], "url"],
    ["logs", [], "logGroupName"],
  ] as const)("npm run %s %j names the missing output %s", async (name, args, key) => {
    expectOneLine(
      await runCli(name, [...args], without(key)),
      `stack output ${key} is missing: run pulumi up (or pass --stack)`,
    );
  });

  it.concurrent.each([
    ["stress", []],
    ["stress", ["--notify-only"]],
    ["logs", []],
  ] as const)("npm run %s %j without AWS credentials says so in one line", async (name, args) => {
    expectOneLine(await runCli(name, [...args], outputs(full)), NO_CREDENTIALS);
  });

  it.concurrent("npm run smoke without the owner's sign-in says which variables to set", async () => {
    expectOneLine(
      await runCli("smoke", [], outputs(full)),
      "the owner's e-mail and password are missing: set SMOKE_EMAIL and SMOKE_PASSWORD (or pulumi config set ownerEmail / --secret ownerPassword)",
    );
  });

  it.concurrent("reads outputs from --outputs <file>, and names a file it cannot read", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ops-test-outputs-"));
    writeFileSync(join(dir, "outputs.json"), JSON.stringify({ ...full, logGroupName: undefined }));
    expectOneLine(
      await runCli("logs", ["--outputs", join(dir, "outputs.json")]),
      "stack output logGroupName is missing: run pulumi up (or pass --stack)",
    );
    expectOneLine(
      await runCli("logs", ["--outputs", join(dir, "nope.json")]),
      `cannot read --outputs ${join(dir, "nope.json")}: ENOENT`,
    );
    rmSync(dir, { recursive: true, force: true });
  });

  it.concurrent("refuses an unknown flag or a bad number in one line with the usage", async () => {
    const bad = await runCli("stress", ["--minutes", "0"], outputs(full));
    expectOneLine(bad, "--minutes 0: expected a positive number");
    const unknown = await runCli("logs", ["--bogus"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^Unknown option '--bogus'; usage: npm run logs -- .*\n$/);
  });
});
