import { spawnSync } from "node:child_process";

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion without a shell; never throws on a non-zero exit. */
export function run(command: string, args: string[], input?: string): RunResult {
  const r = spawnSync(command, args, { encoding: "utf8", input, timeout: 30_000 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Absolute path of a command on PATH (or in /usr/sbin, where nginx lives), or undefined. */
export function findTool(name: string): string | undefined {
  const r = spawnSync("sh", ["-c", `command -v ${name} || ls /usr/sbin/${name} 2>/dev/null`], {
    encoding: "utf8",
  });
  const found = r.stdout.trim().split("\n")[0];
  return found ? found : undefined;
}

/**
 * Whether a suite that needs a system tool should run. On a laptop without the tool it is
 * skipped with a message; under CI=true a missing tool is a failure, never a silent skip.
 */
export function requireTool(name: string, why: string): boolean {
  if (findTool(name)) return true;
  const message = `${name} is not installed (apt-get install ${why})`;
  if (process.env.CI) throw new Error(`${message}; CI requires it`);
  console.warn(`skipping: ${message}`);
  return false;
}
