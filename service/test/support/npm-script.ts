// Runs the project's npm scripts as a user would (`npm run <script> -- args`), for the tests of
// what a person sees in a terminal. Node.js is the one running the tests unless `node` says
// otherwise, put first on PATH as `. scripts/node24.sh` does.
import { type ChildProcess, spawn } from "node:child_process";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

export interface NpmOptions {
  /** Environment on top of PATH and HOME; nothing else leaks in from the test's shell. */
  env?: Record<string, string>;
  /** Written to standard input, which is then closed. Default: closed at once. */
  input?: string;
  /** Path of the `node` binary to put first on PATH. Default the one running the tests. */
  node?: string;
  /** Killed after this long. Default 60 s. */
  timeoutMs?: number;
}

export interface NpmResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function npmEnv(options: Pick<NpmOptions, "env" | "node"> = {}): Record<string, string> {
  return {
    PATH: `${dirname(options.node ?? process.execPath)}:${process.env.PATH ?? ""}`,
    HOME: process.env.HOME ?? "",
    ...options.env,
  };
}

/** Starts `npm run --silent <script> -- ...args` in the project root. */
export function spawnNpm(script: string, args: string[], options: NpmOptions = {}): ChildProcess {
  const child = spawn("npm", ["run", "--silent", script, ...(args.length ? ["--", ...args] : [])], {
    cwd: REPO_ROOT,
    env: npmEnv(options),
    stdio: ["pipe", "pipe", "pipe"],
  });
  child.stdin?.end(options.input ?? "");
  return child;
}

/** Runs an npm script to its end and collects what it printed. */
export function runNpm(script: string, args: string[], options: NpmOptions = {}) {
  const child = spawnNpm(script, args, options);
  return collect(child, options.timeoutMs ?? 60_000);
}

export function collect(child: ChildProcess, timeoutMs: number): Promise<NpmResult> {
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (s: string) => {
    stdout += s;
  });
  child.stderr?.setEncoding("utf8").on("data", (s: string) => {
    stderr += s;
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  return new Promise<NpmResult>((resolve) => {
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
