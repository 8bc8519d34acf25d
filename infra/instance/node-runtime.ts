// The Node.js that runs the service and et-fetch on the instance: an official release tarball,
// pinned by version and sha256 (https://nodejs.org/dist/v24.11.1/SHASUMS256.txt).

export type Arch = "x86_64" | "arm64";

export const NODE_VERSION = "v24.11.1";

const RELEASES: Record<Arch, { platform: string; sha256: string }> = {
  x86_64: {
    platform: "linux-x64",
    sha256: "60e3b0a8500819514aca603487c254298cd776de0698d3cd08f11dba5b8289a8",
  },
  arm64: {
    platform: "linux-arm64",
    sha256: "6b0863fb9f627bf4a6c5948dce1de4398174a2e05dbe717503d828e211ca01f0",
  },
};

export interface NodeTarball {
  /** File name as published, e.g. `node-v24.11.1-linux-x64.tar.xz`. */
  file: string;
  url: string;
  sha256: string;
}

/** The pinned release for an EC2 architecture. */
export function nodeTarball(arch: Arch): NodeTarball {
  const release = RELEASES[arch];
  if (!release) throw new Error(`arch=${JSON.stringify(arch)}: expected x86_64 or arm64`);
  const file = `node-${NODE_VERSION}-${release.platform}.tar.xz`;
  return { file, url: `https://nodejs.org/dist/${NODE_VERSION}/${file}`, sha256: release.sha256 };
}
