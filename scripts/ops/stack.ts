import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { OperatorError } from "./errors.ts";

/** The stack's outputs as `pulumi stack output --json` prints them. */
export type StackOutputs = Record<string, unknown>;

/** Runs the pulumi CLI with `args` and resolves with its stdout. */
export type PulumiRunner = (args: string[]) => Promise<string>;

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** A pulumi failure, with the reason the CLI gave (or "not installed"). */
export class PulumiError extends Error {
  readonly notInstalled: boolean;
  constructor(message: string, notInstalled: boolean) {
    super(message);
    this.name = "PulumiError";
    this.notInstalled = notInstalled;
  }
}

/** The real pulumi CLI, run in the repository root (where Pulumi.yaml is). */
export const runPulumi: PulumiRunner = (args) =>
  new Promise((resolve, reject) => {
    execFile(
      "pulumi",
      args,
      { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (!err) return resolve(stdout);
        const notInstalled = (err as NodeJS.ErrnoException).code === "ENOENT";
        const reason = stderr.split("\n").find((l) => l.trim()) ?? err.message;
        reject(
          new PulumiError(
            notInstalled ? "the pulumi CLI is not installed" : reason.trim(),
            notInstalled,
          ),
        );
      },
    );
  });

export interface OutputSource {
  /** `--stack`: the Pulumi stack; default the selected one. */
  stack?: string;
  /** `--outputs`: a JSON file holding `pulumi stack output --json`; wins over everything else. */
  outputsFile?: string;
  /** Reads `STACK_OUTPUTS_JSON`. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Default the real CLI. */
  pulumi?: PulumiRunner;
}

const stackArgs = (stack?: string) => (stack ? ["--stack", stack] : []);

function parseOutputs(text: string, where: string): StackOutputs {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new OperatorError(
      `${where} is not valid JSON: expected the output of pulumi stack output --json`,
    );
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    throw new OperatorError(
      `${where} is not a JSON object: expected the output of pulumi stack output --json`,
    );
  }
  return value as StackOutputs;
}

/**
 * The stack's outputs, from `--outputs <file>`, else `STACK_OUTPUTS_JSON`, else
 * `pulumi stack output --json`, so the commands also work where the Pulumi CLI is not installed.
 */
export async function loadStackOutputs(source: OutputSource = {}): Promise<StackOutputs> {
  if (source.outputsFile) {
    let text: string;
    try {
      text = readFileSync(source.outputsFile, "utf8");
    } catch (err) {
      throw new OperatorError(
        `cannot read --outputs ${source.outputsFile}: ${(err as NodeJS.ErrnoException).code ?? err}`,
      );
    }
    return parseOutputs(text, source.outputsFile);
  }
  const fromEnv = (source.env ?? process.env).STACK_OUTPUTS_JSON;
  if (fromEnv) return parseOutputs(fromEnv, "STACK_OUTPUTS_JSON");
  const pulumi = source.pulumi ?? runPulumi;
  try {
    return parseOutputs(
      await pulumi(["stack", "output", "--json", ...stackArgs(source.stack)]),
      "pulumi stack output --json",
    );
  } catch (err) {
    if (!(err instanceof PulumiError)) throw err;
    if (err.notInstalled) {
      throw new OperatorError(
        "no stack outputs: the pulumi CLI is not installed; pass --outputs <file.json> or set STACK_OUTPUTS_JSON",
      );
    }
    throw new OperatorError(
      `no stack outputs: pulumi stack output failed (${err.message}); pass --stack <name> or run pulumi login`,
    );
  }
}

/** The named outputs as strings; the first missing one stops the command with how to get it. */
export function requireOutputs<K extends string>(
  outputs: StackOutputs,
  names: readonly K[],
): Record<K, string> {
  const found = {} as Record<K, string>;
  for (const name of names) {
    const value = outputs[name];
    if (typeof value !== "string" || value === "") {
      throw new OperatorError(`stack output ${name} is missing: run pulumi up (or pass --stack)`);
    }
    found[name] = value;
  }
  return found;
}

/**
 * The stack's region: from the alert topic's ARN (arn:aws:sns:<region>:...), else `aws:region` in
 * Pulumi.<stack>.yaml; undefined leaves it to the SDK (AWS_REGION, the profile).
 */
export function stackRegion(
  outputs: StackOutputs,
  stack?: string,
  root = REPO_ROOT,
): string | undefined {
  const arn = outputs.alertTopicArn;
  const fromArn = typeof arn === "string" ? arn.split(":")[3] : undefined;
  if (fromArn) return fromArn;
  if (!stack) return undefined;
  try {
    const yaml = readFileSync(join(root, `Pulumi.${stack}.yaml`), "utf8");
    return /^\s*aws:region:\s*["']?([a-z0-9-]+)/m.exec(yaml)?.[1];
  } catch {
    return undefined;
  }
}

/**
 * One config value of the stack (`pulumi config get`, which decrypts secrets), or undefined when
 * the CLI is missing or the key is unset.
 */
export async function stackConfig(
  key: string,
  stack?: string,
  pulumi: PulumiRunner = runPulumi,
): Promise<string | undefined> {
  try {
    const value = (await pulumi(["config", "get", key, ...stackArgs(stack)])).replace(/\r?\n$/, "");
    return value === "" ? undefined : value;
  } catch (err) {
    if (err instanceof PulumiError) return undefined;
    throw err;
  }
}
