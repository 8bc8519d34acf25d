// et-fetch against moto_server with signature and IAM checks on: the instance role's policy as
// the program declares it, assumed for temporary credentials that the fake IMDS hands out.
// Only S3 is judged here: moto evaluates Secrets Manager permissions only against Resource "*".
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderEtFetch } from "../../instance/index.ts";
import { runProgram } from "../support/mocks.ts";
import { type Moto, requireMoto, startMoto } from "../support/moto.ts";
import { assumeRoleWithPolicy, enableAuth, motoRequest } from "../support/moto-api.ts";
import { type FakeAws, REGION, startFakeAws } from "./support/fake-aws.ts";

const artifact = Buffer.from(`console.log("release");\n${"y".repeat(50_000)}\n`);
const sha = createHash("sha256").update(artifact).digest("hex");

describe.runIf(requireMoto())("et-fetch s3 against moto_server, with the role's own policy", () => {
  const dir = mkdtempSync(join(tmpdir(), "et-fetch-moto-"));
  const etFetch = join(dir, "et-fetch");
  let moto: Moto;
  let imds: FakeAws;
  let bucket = "";
  let grantedKey = "";

  beforeAll(async () => {
    const run = await runProgram();
    const policy = String(
      run.one("aws:iam/rolePolicy:RolePolicy", "read-release-and-secrets").inputs.policy,
    );
    const grant = (JSON.parse(policy).Statement as { Sid: string; Resource: string }[]).find(
      (s) => s.Sid === "ReadRelease",
    );
    // arn:aws:s3:::<bucket>/<key>
    const [b = "", ...key] = (grant?.Resource ?? "").replace("arn:aws:s3:::", "").split("/");
    bucket = b;
    grantedKey = key.join("/");

    moto = await startMoto();
    const s3 = async (path: string, body: string) => {
      const res = await motoRequest(moto.endpoint, {
        service: "s3",
        method: "PUT",
        path,
        region: REGION,
        body,
      });
      if (res.status !== 200) throw new Error(`PUT ${path}: ${res.status} ${res.text}`);
    };
    await s3(
      `/${bucket}`,
      `<CreateBucketConfiguration><LocationConstraint>${REGION}</LocationConstraint></CreateBucketConfiguration>`,
    );
    for (const key of [grantedKey, "releases/other.mjs"])
      await s3(`/${bucket}/${key}`, artifact.toString());
    const role = await assumeRoleWithPolicy(moto.endpoint, "expense-tracker-role", policy);
    await enableAuth(moto.endpoint);

    imds = await startFakeAws();
    // The fake IMDS hands out the assumed role's credentials; S3 is moto.
    Object.assign(imds.credentials, {
      accessKeyId: role.accessKeyId,
      secretAccessKey: role.secretAccessKey,
      sessionToken: role.sessionToken,
    });
    writeFileSync(etFetch, renderEtFetch(), { mode: 0o755 });
  }, 120_000);

  afterAll(async () => {
    await imds?.close();
    await moto?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  function fetchKey(key: string, secretAccessKey?: string) {
    if (secretAccessKey) imds.credentials.secretAccessKey = secretAccessKey;
    const dest = join(dir, `out-${Math.random().toString(36).slice(2)}`);
    const child = spawn(
      process.execPath,
      [etFetch, "s3", bucket, key, dest, "--sha256", sha, "--region", REGION],
      {
        env: {
          PATH: process.env.PATH ?? "",
          ET_FETCH_IMDS_URL: imds.imdsUrl,
          ET_FETCH_S3_ENDPOINT: moto.endpoint,
          ET_FETCH_BACKOFF_MS: "20",
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString();
    });
    return new Promise<{ code: number | null; stderr: string; dest: string }>((resolve) =>
      child.on("close", (code) => resolve({ code, stderr, dest })),
    );
  }

  it("fetches the build under the exact key the policy grants, SigV4-signed as S3 checks it", async () => {
    const r = await fetchKey(grantedKey);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(readFileSync(r.dest).equals(artifact)).toBe(true);
  });

  it("is refused any other key of the bucket (AccessDenied), and says the key may not exist", async () => {
    const r = await fetchKey("releases/other.mjs");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("HTTP 403 AccessDenied");
    expect(r.stderr).toContain("(the key may not exist: this role cannot list the bucket)");
  });

  it("a wrong signature is SignatureDoesNotMatch, without the missing-key hint", async () => {
    const r = await fetchKey(grantedKey, "not-the-secret-key-of-this-session");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("HTTP 403 SignatureDoesNotMatch");
    expect(r.stderr).not.toMatch(/the key may not/);
  });
});
