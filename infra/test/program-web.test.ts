import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { OWNER_PASSWORD, type ProgramRun, runProgram } from "./support/mocks.ts";

let run: ProgramRun;
beforeAll(async () => {
  run = await runProgram();
}, 120_000);

const _input = <T = unknown>(r: { inputs: Record<string, unknown> }, key: string) =>
  r.inputs[key] as T;

describe("web server", () => {
  const instance = () => run.one("aws:ec2/instance:Instance");

  it("requires IMDSv2", () => {
    expect(instance().inputs.metadataOptions).toMatchObject({
      httpTokens: "required",
      httpEndpoint: "enabled",
    });
  });

  it("has an encrypted gp3 root volume", () => {
    expect(instance().inputs.rootBlockDevice).toMatchObject({ volumeType: "gp3", encrypted: true });
  });

  it("runs the Canonical Ubuntu 24.04 amd64 image on t3.micro with detailed monitoring", () => {
    expect(instance().inputs).toMatchObject({
      ami: "ami-0amd64ubuntu2404",
      instanceType: "t3.micro",
      monitoring: true,
    });
    expect(instance().inputs.keyName).toBeUndefined();
  });

  it("gets the site's address only after a readiness wait on the new instance", () => {
    const ready = run.one("command:local:Command");
    expect(ready.inputs).toMatchObject({
      create: "node --import=tsx scripts/wait-for-instance.ts",
      // The project root, not infra/ where Pulumi runs the command provider.
      dir: fileURLToPath(new URL("../../", import.meta.url)),
      environment: { INSTANCE_ID: "expense-tracker-instance-id", AWS_REGION: "eu-central-1" },
      triggers: ["expense-tracker-instance-id"],
    });
    expect(run.one("aws:ec2/eipAssociation:EipAssociation").inputs).toMatchObject({
      allocationId: "eipalloc-expense-tracker-ip",
      instanceId: "expense-tracker-instance-id",
      allowReassociation: true,
    });
  });

  it("runs t3 in unlimited credit mode, so a new instance does not boot throttled", () => {
    expect(instance().inputs.creditSpecification).toEqual({ cpuCredits: "unlimited" });
  });

  it("is replaced when the user data (and so the build) changes", () => {
    expect(instance().inputs.userDataReplaceOnChange).toBe(true);
    expect(instance().inputs.userData).toBeUndefined();
  });

  it("sends gzip-compressed user data under EC2's 16 KB limit that names the build and holds no secret", () => {
    const gz = Buffer.from(String(instance().inputs.userDataBase64), "base64");
    expect(gz.length).toBeLessThan(16_384);
    const text = gunzipSync(gz).toString("utf8");
    expect(text.startsWith("#cloud-config")).toBe(true);
    expect(text).toContain(String(run.outputs.artifactSha256));
    expect(text).not.toContain(OWNER_PASSWORD);
    expect(text).not.toMatch(/generated-expense-tracker/);
  });

  it("its role reads only this release and this stack's five secrets", () => {
    const policy = JSON.parse(String(run.one("aws:iam/rolePolicy:RolePolicy").inputs.policy)) as {
      Statement: { Action: string; Resource: string | string[] }[];
    };
    const sha = String(run.outputs.artifactSha256);
    expect(policy.Statement).toEqual([
      expect.objectContaining({
        Action: "s3:GetObject",
        Resource: `arn:aws:s3:::expense-tracker-bucket-bucket123/releases/expense-tracker-${sha}.mjs`,
      }),
      expect.objectContaining({ Action: "secretsmanager:GetSecretValue" }),
    ]);
    const secretArns = policy.Statement[1]?.Resource as string[];
    expect(secretArns).toHaveLength(5);
    expect(secretArns).toContain(
      "arn:aws:secretsmanager:eu-central-1:123456789012:secret:rds!db-1234",
    );
    expect(secretArns).toContain(
      "arn:aws:secretsmanager:eu-central-1:123456789012:secret:expense-tracker-db-app-password-AbCdEf",
    );
    expect(secretArns.every((a) => a.startsWith("arn:aws:secretsmanager:"))).toBe(true);
    const managed = run
      .all("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
      .map((a) => a.inputs.policyArn);
    expect(managed.sort()).toEqual([
      "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
      "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy",
    ]);
  });
});

describe("CloudFront", () => {
  const dist = () => run.one("aws:cloudfront/distribution:Distribution");

  it("redirects viewer HTTP to HTTPS and never caches pages or forms", () => {
    expect(dist().inputs.defaultCacheBehavior).toMatchObject({
      viewerProtocolPolicy: "redirect-to-https",
      cachePolicyId: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
      originRequestPolicyId: "33f36d7e-f396-46d9-90e0-52428a34d9dc",
    });
    expect(
      (dist().inputs.defaultCacheBehavior as { allowedMethods: string[] }).allowedMethods,
    ).toContain("POST");
  });

  it("caches the content-hashed assets", () => {
    expect(dist().inputs.orderedCacheBehaviors).toEqual([
      expect.objectContaining({
        pathPattern: "/assets/*",
        cachePolicyId: "658327ea-f89d-4fab-a63d-7e88639e58f6",
        viewerProtocolPolicy: "redirect-to-https",
      }),
    ]);
  });

  it("reaches the instance over HTTP with the secret origin header, kept secret in state", () => {
    expect(dist().secretInputs).toEqual(["origins"]);
    const [origin] = dist().inputs.origins as {
      domainName: string;
      customOriginConfig: Record<string, unknown>;
      customHeaders: { name: string; value: string }[];
    }[];
    // The Elastic IP's name: it survives a stop/start and moves to a replacement instance.
    expect(origin?.domainName).toBe("ec2-198-51-100-20.eu-central-1.compute.amazonaws.com");
    expect(origin?.customOriginConfig).toMatchObject({
      originProtocolPolicy: "http-only",
      httpPort: 80,
    });
    expect(origin?.customHeaders).toEqual([
      {
        name: "X-Origin-Verify",
        value: expect.stringMatching(/^generated-expense-tracker-origin-key/),
      },
    ]);
  });
});

describe("creation order", () => {
  it("the instance is created only after the build it fetches at boot is uploaded", () => {
    const release = run.one("aws:s3/bucketObjectv2:BucketObjectv2").name;
    expect(run.one("aws:ec2/instance:Instance").dependsOn).toContain(release);
  });

  it("generates the app database role's password into a secret of its own, kept secret in state, named by ARN only", () => {
    const secret = run
      .all("aws:secretsmanager/secret:Secret")
      .find((r) => r.name === "expense-tracker-db-app-password");
    expect(secret?.inputs.namePrefix).toBe("expense-tracker/test/db-app-password-");
    const version = run
      .all("aws:secretsmanager/secretVersion:SecretVersion")
      .find((r) => r.name === "expense-tracker-db-app-password");
    expect(version?.secretInputs).toContain("secretString");
    expect(String(version?.inputs.secretString)).toMatch(
      /^generated-expense-tracker-db-app-password-x{40}$/,
    );
    const password = run
      .all("random:index/randomPassword:RandomPassword")
      .find((r) => r.name === "expense-tracker-db-app-password");
    expect(password?.inputs).toMatchObject({ length: 40, special: false });
    const text = gunzipSync(
      Buffer.from(String(run.one("aws:ec2/instance:Instance").inputs.userDataBase64), "base64"),
    ).toString("utf8");
    expect(text).not.toContain(String(version?.inputs.secretString));
    expect(text).toContain(
      "arn:aws:secretsmanager:eu-central-1:123456789012:secret:expense-tracker-db-app-password-AbCdEf",
    );
    expect(text).toContain("DATABASE_URL=postgres://expense_app@");
    expect(JSON.stringify(run.outputs)).not.toContain("generated-");
  });

  it("the instance waits for the secrets' values and its role's grants", () => {
    const deps = run.one("aws:ec2/instance:Instance").dependsOn;
    for (const v of run.all("aws:secretsmanager/secretVersion:SecretVersion"))
      expect(deps).toContain(v.name);
    expect(deps).toContain(run.one("aws:iam/rolePolicy:RolePolicy").name);
  });
});
