import { execFile, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signRequest } from "../../instance/et-fetch.mjs";
import { PATHS, renderEtFetch, renderMigrateEnvFile } from "../../instance/index.ts";
import { type FakeAws, REGION, startFakeAws } from "./support/fake-aws.ts";
import { sampleInput } from "./support/sample-input.ts";
import { parseEnvFile } from "./support/service-unit.ts";

const workDir = mkdtempSync(join(tmpdir(), "et-fetch-test-"));
// As on the instance: the rendered file, no extension, run by Node (its shebang names /opt/node).
const etFetch = join(workDir, "et-fetch");
let aws: FakeAws;

const artifact = Buffer.from(`console.log("expense tracker");\n${"x".repeat(200_000)}\n`);
const artifactSha = createHash("sha256").update(artifact).digest("hex");
const dbSecretArn = `arn:aws:secretsmanager:${REGION}:123456789012:secret:rds!db-1234-AbCdEf`;
const sessionArn = `arn:aws:secretsmanager:${REGION}:123456789012:secret:session-Xy12Ab`;

beforeAll(async () => {
  writeFileSync(etFetch, renderEtFetch(), { mode: 0o755 });
  aws = await startFakeAws();
  aws.objects.set("artifacts/releases/abc/expense-tracker.mjs", artifact);
  aws.secrets.set(dbSecretArn, JSON.stringify({ username: "app", password: "p@ss w0rd\"'" }));
  aws.secrets.set(sessionArn, "a-session-secret-of-at-least-32-characters");
});

afterAll(async () => {
  await aws?.close();
  rmSync(workDir, { recursive: true, force: true });
});

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function etFetchRun(args: string[]): Promise<Result> {
  const child = spawn(process.execPath, [etFetch, ...args], {
    env: {
      PATH: process.env.PATH ?? "",
      ET_FETCH_IMDS_URL: aws.imdsUrl,
      ET_FETCH_S3_ENDPOINT: aws.s3Endpoint,
      ET_FETCH_SECRETS_ENDPOINT: aws.secretsEndpoint,
      ET_FETCH_BACKOFF_MS: "20",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr.on("data", (c: Buffer) => {
    stderr += c.toString();
  });
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}

const freshDir = () => mkdtempSync(join(workDir, "out-"));
const s3Args = (dest: string, sha = artifactSha) => [
  "s3",
  "artifacts",
  "releases/abc/expense-tracker.mjs",
  dest,
  "--sha256",
  sha,
  "--region",
  REGION,
];

describe("et-fetch s3", () => {
  it("writes the object when its sha256 matches, and leaves nothing else", async () => {
    const dir = freshDir();
    const dest = join(dir, "expense-tracker.mjs");
    const r = await etFetchRun(s3Args(dest));
    expect(r).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(readFileSync(dest).equals(artifact)).toBe(true);
    expect(statSync(dest).mode & 0o777).toBe(0o644);
    expect(readdirSync(dir)).toEqual(["expense-tracker.mjs"]);
  });

  it("refuses an object whose sha256 differs: exit 1, one line, no file, the old one untouched", async () => {
    const dir = freshDir();
    const dest = join(dir, "expense-tracker.mjs");
    writeFileSync(dest, "the running version\n");
    const r = await etFetchRun(s3Args(dest, "f".repeat(64)));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `et-fetch: s3://artifacts/releases/abc/expense-tracker.mjs: sha256 is ${artifactSha}, expected ${"f".repeat(64)}; refused\n`,
    );
    expect(readdirSync(dir)).toEqual(["expense-tracker.mjs"]);
    expect(readFileSync(dest, "utf8")).toBe("the running version\n");
  });

  it("says which key is missing, as S3 does", async () => {
    const dir = freshDir();
    const r = await etFetchRun([
      "s3",
      "artifacts",
      "releases/nope.mjs",
      join(dir, "x"),
      "--sha256",
      artifactSha,
      "--region",
      REGION,
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^et-fetch: s3:\/\/artifacts\/releases\/nope\.mjs: HTTP 404 NoSuchKey: The specified key does not exist\.\n$/,
    );
    expect(readdirSync(dir)).toEqual([]);
  });

  it("retries a 503 with back-off, then succeeds", async () => {
    aws.failures.s3 = 2;
    const dest = join(freshDir(), "a.mjs");
    const r = await etFetchRun(s3Args(dest));
    expect(r.code).toBe(0);
    expect(readFileSync(dest).equals(artifact)).toBe(true);
  });

  it("requires --sha256", async () => {
    const r = await etFetchRun(["s3", "artifacts", "k", join(workDir, "k")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("et-fetch: s3: --sha256 <64 lower-case hex digits> is required\n");
  });
});

describe("et-fetch secret", () => {
  it("prints the SecretString exactly, taking the region from IMDS", async () => {
    const r = await etFetchRun(["secret", sessionArn]);
    expect(r).toEqual({
      code: 0,
      stdout: "a-session-secret-of-at-least-32-characters",
      stderr: "",
    });
  });

  it("prints one key of a JSON secret (the RDS-managed password)", async () => {
    const r = await etFetchRun([
      "secret",
      dbSecretArn,
      "--region",
      REGION,
      "--json-key",
      "password",
    ]);
    expect(r).toEqual({ code: 0, stdout: "p@ss w0rd\"'", stderr: "" });
  });

  it("writes --out with --mode, and nothing to stdout", async () => {
    const dir = freshDir();
    const out = join(dir, "session-secret");
    const r = await etFetchRun(["secret", sessionArn, "--out", out, "--mode", "0600"]);
    expect(r).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(readFileSync(out, "utf8")).toBe("a-session-secret-of-at-least-32-characters");
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(["session-secret"]);
  });

  it("reports a missing secret and a missing key in one line each", async () => {
    const missing = await etFetchRun(["secret", "nope"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(
      "et-fetch: secret nope: HTTP 400 ResourceNotFoundException: Secrets Manager can't find the specified secret.\n",
    );
    const noKey = await etFetchRun(["secret", dbSecretArn, "--json-key", "token"]);
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toBe(
      `et-fetch: secret ${dbSecretArn}: --json-key token: no such string in the secret\n`,
    );
  });

  it("gives up after 5 attempts on a service that keeps failing", async () => {
    aws.failures.secrets = 100;
    const r = await etFetchRun(["secret", sessionArn]);
    const left = aws.failures.secrets;
    aws.failures.secrets = 0;
    expect(r.code).toBe(1);
    expect(100 - left).toBe(5);
    expect(r.stderr).toMatch(
      /^et-fetch: secret .*: gave up after 5 attempts \(HTTP 503 .*ServiceUnavailable.*\)\n$/,
    );
  });

  it("prints its usage for an unknown command", async () => {
    const r = await etFetchRun(["get", "x"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^et-fetch: usage: et-fetch s3 <bucket> <key> <dest> --sha256 <hex>/);
  });
});

describe("the migration unit's DATABASE_PASSWORD_COMMAND as rendered", () => {
  it("prints the RDS-managed master password when run as the migration command runs it: split on spaces, no shell", async () => {
    const input = sampleInput();
    expect(input.region).toBe(REGION);
    aws.secrets.set(
      input.database.secretArn,
      JSON.stringify({ username: input.database.user, password: "rotated-Pa55word" }),
    );
    const command = parseEnvFile(renderMigrateEnvFile(input)).DATABASE_PASSWORD_COMMAND ?? "";
    const [program, ...args] = command.split(/\s+/);
    expect(program).toBe(PATHS.etFetch);
    // The instance's et-fetch runs by its shebang; here the same file with this Node's path.
    const executable = join(workDir, "et-fetch-executable");
    writeFileSync(executable, renderEtFetch().replace(/^#!.*\n/, `#!${process.execPath}\n`), {
      mode: 0o755,
    });
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(
        executable,
        args,
        {
          env: {
            ET_FETCH_IMDS_URL: aws.imdsUrl,
            ET_FETCH_SECRETS_ENDPOINT: aws.secretsEndpoint,
          },
          timeout: 10_000,
        },
        (err, out, stderr) => (err ? reject(new Error(`${err.message}: ${stderr}`)) : resolve(out)),
      ),
    );
    expect(stdout).toBe("rotated-Pa55word");
  });
});

describe("the fake AWS endpoints", () => {
  it("saw only correctly signed requests from et-fetch", () => {
    expect(aws.log.length).toBeGreaterThan(5);
    expect(aws.log.filter((r) => !r.signatureOk)).toEqual([]);
  });

  it("refuse a request signed with another key, so the check above means something", async () => {
    const url = new URL(`${aws.s3Endpoint}/artifacts/releases/abc/expense-tracker.mjs`);
    const headers = signRequest({
      method: "GET",
      path: url.pathname,
      headers: { host: url.host, "x-amz-content-sha256": "UNSIGNED-PAYLOAD" },
      service: "s3",
      region: REGION,
      credentials: { ...aws.credentials, secretAccessKey: "not-the-key" },
      date: new Date(),
    });
    const status = await new Promise<number | undefined>((resolve, reject) =>
      request(url, { headers }, (res) => {
        res.resume();
        resolve(res.statusCode);
      })
        .on("error", reject)
        .end(),
    );
    expect(status).toBe(403);
  });

  it("require the IMDSv2 session token, which et-fetch therefore sent", async () => {
    const res = await fetch(`${aws.imdsUrl}/latest/meta-data/iam/security-credentials/`);
    expect(res.status).toBe(401);
  });
});
