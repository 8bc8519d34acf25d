// npm run logs: tails the service's CloudWatch log group (the service's and nginx's logs).
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { awsClientConfig } from "./ops/aws.ts";
import { parseOptions, runCommand, STACK_OPTIONS } from "./ops/cli.ts";
import { parseDuration } from "./ops/clock.ts";
import { OperatorError } from "./ops/errors.ts";
import { tailLogs } from "./ops/log-tail.ts";
import { loadStackOutputs, requireOutputs, stackRegion } from "./ops/stack.ts";

const USAGE =
  "npm run logs -- [--since 10m] [--no-follow] [--filter <pattern>] [--stack <name>] [--outputs <file.json>]";

/** What --help prints. */
const HELP = `${USAGE}

Prints the service's and nginx's log events from the stack's CloudWatch log group, then follows
new ones every 2 s until Ctrl-C.

  --since <time>      how far back to start: 30s, 10m, 2h, 1d (default 10m)
  --no-follow         print what is there and stop
  --filter <pattern>  a CloudWatch Logs filter pattern, e.g. '"sign-in failed"' or '{ $.status >= 500 }'
  --stack <name>      the Pulumi stack (default the selected one)
  --outputs <file>    read the stack's outputs from a file (pulumi stack output --json), or set STACK_OUTPUTS_JSON`;

await runCommand(async ({ signal }) => {
  const args = parseOptions(
    process.argv.slice(2),
    {
      ...STACK_OPTIONS,
      since: { type: "string", default: "10m" },
      follow: { type: "boolean", default: true },
      "no-follow": { type: "boolean" },
      filter: { type: "string" },
    },
    USAGE,
  );
  if (args.help) {
    console.log(HELP);
    return 0;
  }
  const sinceMs = parseDuration(args.since);
  if (sinceMs === undefined)
    throw new OperatorError(`--since ${args.since}: expected e.g. 30s, 10m, 2h or 1d`);
  const stack = await loadStackOutputs({ stack: args.stack, outputsFile: args.outputs });
  const { logGroupName } = requireOutputs(stack, ["logGroupName"]);
  const follow = args.follow && !args["no-follow"];
  await tailLogs({
    logs: new CloudWatchLogsClient(awsClientConfig(stackRegion(stack, args.stack))),
    logGroupName,
    sinceMs,
    follow,
    filterPattern: args.filter,
    print: (line) => console.log(line),
    // On stderr, so a pipe (| grep) gets only the events.
    onFollowing: () => console.error(`-- following ${logGroupName}, Ctrl-C to stop --`),
    signal,
  });
  return 0;
});
