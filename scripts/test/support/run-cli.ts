import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `scripts/<name>.ts` as `npm run <name>` would (node + tsx), in an environment with no
 * pulumi on PATH and no AWS credentials anywhere (no env keys, no files, no instance metadata),
 * plus `env`. Killed after `timeoutMs` so a hanging command fails its test instead of the suite.
 */
export async function runCli(
  name: string,
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 20_000,
): Promise<CliRun> {
  const home = mkdtempSync(join(tmpdir(), "ops-cli-"));
  const child = spawn(process.execPath, ["--import", "tsx", `scripts/${name}.ts`, ...args], {
    cwd: REPO_ROOT,
    env: {
      PATH: dirname(process.execPath),
      HOME: home,
      AWS_CONFIG_FILE: join(home, "no-config"),
      AWS_SHARED_CREDENTIALS_FILE: join(home, "no-credentials"),
      AWS_EC2_METADATA_DISABLED: "true",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => {
    stdout += c;
  });
  child.stderr.on("data", (c: Buffer) => {
    stderr += c;
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  const [code] = (await once(child, "close")) as [number | null];
  clearTimeout(timer);
  rmSync(home, { recursive: true, force: true });
  return { code, stdout, stderr };
}
