// npm run smoke: after `pulumi up`, checks the deployed site as its owner would use it and prints
// a pass/fail table. The checks live in ops/smoke-checks.ts.
import {
  EXIT_INTERRUPTED,
  parseOptions,
  positiveNumber,
  runCommand,
  STACK_OPTIONS,
} from "./ops/cli.ts";
import { OperatorError } from "./ops/errors.ts";
import { ownerLogin } from "./ops/owner-login.ts";
import { runSmoke } from "./ops/smoke-run.ts";
import { loadStackOutputs, requireOutputs } from "./ops/stack.ts";
import { terminalOutput } from "./ops/terminal.ts";

const USAGE =
  "npm run smoke -- [--timeout 10] [--url <site>] [--stack <name>] [--outputs <file.json>]";

/** What --help prints. */
const HELP = `${USAGE}

Waits for /readyz to answer 200, then checks the security headers, the HTTP -> HTTPS redirect, and
signs in as the owner to add and delete a transaction. Prints a pass/fail table; exits 1 on a failure.
The owner's sign-in comes from SMOKE_EMAIL / SMOKE_PASSWORD, else pulumi config get ownerEmail / ownerPassword.

  --timeout <n>     minutes to wait for /readyz (default 10)
  --url <site>      check this site instead of the stack's url output
  --stack <name>    the Pulumi stack (default the selected one)
  --outputs <file>  read the stack's outputs from a file (pulumi stack output --json), or set STACK_OUTPUTS_JSON`;

await runCommand(async ({ signal }) => {
  const args = parseOptions(
    process.argv.slice(2),
    { ...STACK_OPTIONS, url: { type: "string" }, timeout: { type: "string" } },
    USAGE,
  );
  if (args.help) {
    console.log(HELP);
    return 0;
  }
  const readyTimeoutMs = positiveNumber(args.timeout, "--timeout", 10) * 60_000;
  const url =
    args.url ??
    requireOutputs(await loadStackOutputs({ stack: args.stack, outputsFile: args.outputs }), [
      "url",
    ]).url;
  if (!URL.canParse(url)) throw new OperatorError(`${url}: not a URL (expected https://host)`);
  const credentials = await ownerLogin(process.env, args.stack);
  const result = await runSmoke({
    url,
    credentials,
    readyTimeoutMs,
    out: terminalOutput(),
    signal,
  });
  if (signal.aborted) return EXIT_INTERRUPTED;
  return result.passed ? 0 : 1;
});
