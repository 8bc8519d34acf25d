import { type ParseArgsConfig, parseArgs } from "node:util";
import { describeError, exitCodeFor, OperatorError } from "./errors.ts";

/** Exit code after Ctrl-C, as a shell reports a SIGINT death. */
export const EXIT_INTERRUPTED = 130;

export interface CommandContext {
  /** Aborts on the first Ctrl-C (SIGINT) or SIGTERM. */
  signal: AbortSignal;
}

export interface RunCommandOptions {
  /** What the second Ctrl-C says before quitting at once; default nothing. */
  onForcedQuit?: () => string | undefined;
  /** Default `console.error`. */
  printError?: (line: string) => void;
}

/**
 * Runs an operator command: the first Ctrl-C aborts its signal so it can clean up (cancel the
 * load, stop polling), a second one quits at once. Errors become one line on stderr and a
 * non-zero exit code; the command's own result sets the code otherwise.
 */
export async function runCommand(
  main: (ctx: CommandContext) => Promise<number>,
  options: RunCommandOptions = {},
): Promise<void> {
  const printError = options.printError ?? ((line: string) => console.error(line));
  const controller = new AbortController();
  const onSignal = () => {
    if (!controller.signal.aborted) {
      controller.abort();
      return;
    }
    const last = options.onForcedQuit?.();
    if (last) printError(last);
    process.exit(EXIT_INTERRUPTED);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    process.exitCode = await main({ signal: controller.signal });
  } catch (err) {
    printError(describeError(err));
    process.exitCode = exitCodeFor(err);
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

/** The options every stack-reading command takes. */
export const STACK_OPTIONS = {
  stack: { type: "string" },
  outputs: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const satisfies NonNullable<ParseArgsConfig["options"]>;

/** `parseArgs` whose mistakes (unknown flag, missing value) are one line with the usage. */
export function parseOptions<const O extends NonNullable<ParseArgsConfig["options"]>>(
  argv: string[],
  options: O,
  usage: string,
) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: false, strict: true }).values;
  } catch (err) {
    const reason = ((err as Error).message.split("\n")[0] ?? "").replace(/\.$/, "");
    throw new OperatorError(`${reason}; usage: ${usage}`);
  }
}

/** A positive number from a flag, or one line saying what the flag accepts. */
export function positiveNumber(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new OperatorError(`${flag} ${value}: expected a positive number`);
  return n;
}
