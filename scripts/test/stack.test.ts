import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { describeError, exitCodeFor, OperatorError } from "../ops/errors.ts";
import { ownerLogin } from "../ops/owner-login.ts";
import {
  loadStackOutputs,
  PulumiError,
  type PulumiRunner,
  requireOutputs,
  stackRegion,
} from "../ops/stack.ts";

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "ops-test-stack-"));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A pulumi CLI stand-in that records its arguments and answers from a table. */
function fakePulumi(
  answers: Record<string, string | PulumiError>,
): PulumiRunner & { calls: string[][] } {
  const calls: string[][] = [];
  const run = async (args: string[]) => {
    calls.push(args);
    const answer =
      answers[args.slice(0, 3).join(" ")] ?? new PulumiError("error: no stack selected", false);
    if (answer instanceof PulumiError) throw answer;
    return answer;
  };
  return Object.assign(run, { calls });
}

describe("loadStackOutputs", () => {
  it("runs pulumi stack output --json for the given stack", async () => {
    const pulumi = fakePulumi({ "stack output --json": '{"url":"https://x.cloudfront.net"}\n' });
    expect(await loadStackOutputs({ stack: "prod", env: {}, pulumi })).toEqual({
      url: "https://x.cloudfront.net",
    });
    expect(pulumi.calls).toEqual([["stack", "output", "--json", "--stack", "prod"]]);
  });

  it("prefers --outputs <file>, then STACK_OUTPUTS_JSON, without calling pulumi", async () => {
    const pulumi = fakePulumi({});
    const file = join(tempDir(), "o.json");
    writeFileSync(file, '{"from":"file"}');
    const env = { STACK_OUTPUTS_JSON: '{"from":"env"}' };
    expect(await loadStackOutputs({ outputsFile: file, env, pulumi })).toEqual({ from: "file" });
    expect(await loadStackOutputs({ env, pulumi })).toEqual({ from: "env" });
    expect(pulumi.calls).toEqual([]);
  });

  it("turns a failing pulumi into one line with its reason and what to do", async () => {
    const pulumi = fakePulumi({
      "stack output --json": new PulumiError("error: no stack named 'prod' found", false),
    });
    await expect(loadStackOutputs({ stack: "prod", env: {}, pulumi })).rejects.toThrow(
      "no stack outputs: pulumi stack output failed (error: no stack named 'prod' found); pass --stack <name> or run pulumi login",
    );
  });

  it("refuses STACK_OUTPUTS_JSON that is not a JSON object", async () => {
    await expect(loadStackOutputs({ env: { STACK_OUTPUTS_JSON: "[1]" } })).rejects.toThrow(
      "STACK_OUTPUTS_JSON is not a JSON object: expected the output of pulumi stack output --json",
    );
    await expect(loadStackOutputs({ env: { STACK_OUTPUTS_JSON: "{" } })).rejects.toThrow(
      "STACK_OUTPUTS_JSON is not valid JSON",
    );
  });
});

describe("requireOutputs and stackRegion", () => {
  it("names the first missing (or empty) output", () => {
    expect(() =>
      requireOutputs({ instanceId: "i-1", cpuAlarmName: "" }, ["instanceId", "cpuAlarmName"]),
    ).toThrow(
      new OperatorError("stack output cpuAlarmName is missing: run pulumi up (or pass --stack)"),
    );
  });

  it("reads the region from the alert topic ARN, else from Pulumi.<stack>.yaml", () => {
    expect(stackRegion({ alertTopicArn: "arn:aws:sns:us-east-2:123456789012:alerts" })).toBe(
      "us-east-2",
    );
    const root = tempDir();
    writeFileSync(join(root, "Pulumi.dev.yaml"), "config:\n  aws:region: eu-central-1\n");
    expect(stackRegion({}, "dev", root)).toBe("eu-central-1");
    expect(stackRegion({}, undefined, root)).toBeUndefined();
  });
});

describe("ownerLogin", () => {
  it("takes SMOKE_EMAIL / SMOKE_PASSWORD first, else the stack's config through pulumi config get", async () => {
    expect(
      await ownerLogin({ SMOKE_EMAIL: "a@b.c", SMOKE_PASSWORD: "pw" }, undefined, fakePulumi({})),
    ).toEqual({ email: "a@b.c", password: "pw" });
    const pulumi = fakePulumi({
      "config get ownerEmail": "me@example.com\n",
      "config get ownerPassword": " secret pw \n",
    });
    expect(await ownerLogin({}, "dev", pulumi)).toEqual({
      email: "me@example.com",
      password: " secret pw ",
    });
    expect(pulumi.calls[1]).toEqual(["config", "get", "ownerPassword", "--stack", "dev"]);
  });

  it("says which part is missing", async () => {
    await expect(ownerLogin({ SMOKE_EMAIL: "a@b.c" }, undefined, fakePulumi({}))).rejects.toThrow(
      /^the owner's password is missing: set SMOKE_EMAIL and SMOKE_PASSWORD/,
    );
  });
});

describe("describeError", () => {
  const named = (name: string, message: string) => Object.assign(new Error(message), { name });
  it.each([
    [
      named("CredentialsProviderError", "Could not load credentials from any providers"),
      "no AWS credentials: run aws configure or set AWS_PROFILE",
      2,
    ],
    [
      named("ExpiredTokenException", "The security token included in the request is expired"),
      "AWS credentials expired (ExpiredTokenException): sign in again (aws sso login) or refresh AWS_PROFILE",
      1,
    ],
    [
      named("UnrecognizedClientException", "bad token"),
      "AWS rejected the credentials (UnrecognizedClientException): check AWS_PROFILE or run aws configure",
      1,
    ],
    [
      named("AccessDeniedException", "User x is not authorized to perform: ssm:SendCommand\nmore"),
      "AWS denied the request: User x is not authorized to perform: ssm:SendCommand",
      1,
    ],
    [
      new Error("Region is missing"),
      "no AWS region: set AWS_REGION, or pass --stack so aws:region is read from Pulumi.<stack>.yaml",
      2,
    ],
    [named("ThrottlingException", "Rate exceeded"), "ThrottlingException: Rate exceeded", 1],
  ])("%s -> one line", (err, line, code) => {
    expect(describeError(err)).toBe(line);
    expect(exitCodeFor(err)).toBe(code);
  });
});
