// npm run stress: tests the CPU alarm end to end with a bounded load on the instance (or, with
// --notify-only, just the alarm -> SNS -> e-mail path). The logic lives in ops/cpu-stress.ts.
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { SSMClient } from "@aws-sdk/client-ssm";
import { awsClientConfig } from "./ops/aws.ts";
import {
  EXIT_INTERRUPTED,
  parseOptions,
  positiveNumber,
  runCommand,
  STACK_OPTIONS,
} from "./ops/cli.ts";
import { runNotifyOnly } from "./ops/cpu-alarm.ts";
import { runStress } from "./ops/cpu-stress.ts";
import { loadStackOutputs, requireOutputs, stackRegion } from "./ops/stack.ts";
import { terminalOutput } from "./ops/terminal.ts";

const USAGE =
  "npm run stress -- [--minutes <n>] [--timeout <n>] [--notify-only] [--stack <name>] [--outputs <file.json>]";

/** What --help prints. */
const HELP = `${USAGE}

Loads every CPU of the instance through SSM Run Command (stress-ng, installed if missing) and
watches the CPU alarm go to ALARM, then back to OK after the load stops. Ctrl-C, a timeout or an
error cancels the load; stress-ng also stops by itself after --minutes.

  --minutes <n>     how long the load runs (default from the alarm: 8 for 3 one-minute periods,
                    18 for one 5-minute period with detailedMonitoring=false)
  --timeout <n>     minutes each step may take: ALARM after the load starts, OK after it stops
                    (default from the alarm: 10 for one-minute periods, 28 and 20 for 5-minute ones)
  --notify-only     no load: set the alarm to ALARM by hand to test the alarm -> SNS -> e-mail path
  --stack <name>    the Pulumi stack (default the selected one)
  --outputs <file>  read the stack's outputs from a file (pulumi stack output --json), or set STACK_OUTPUTS_JSON`;

await runCommand(
  async ({ signal }) => {
    const args = parseOptions(
      process.argv.slice(2),
      {
        ...STACK_OPTIONS,
        minutes: { type: "string" },
        timeout: { type: "string" },
        "notify-only": { type: "boolean" },
      },
      USAGE,
    );
    if (args.help) {
      console.log(HELP);
      return 0;
    }
    // Unset, both follow the alarm's period (see ops/stress-plan.ts).
    const minutes =
      args.minutes === undefined ? undefined : positiveNumber(args.minutes, "--minutes", 0);
    const stepMs =
      args.timeout === undefined
        ? undefined
        : positiveNumber(args.timeout, "--timeout", 0) * 60_000;
    const stack = await loadStackOutputs({ stack: args.stack, outputsFile: args.outputs });
    const region = stackRegion(stack, args.stack);
    const cloudwatch = new CloudWatchClient(awsClientConfig(region));
    const out = terminalOutput();

    if (args["notify-only"]) {
      const outputs = requireOutputs(stack, ["cpuAlarmName", "alertTopicArn"]);
      return (await runNotifyOnly({ cloudwatch, outputs, out })).ok ? 0 : 1;
    }
    const outputs = requireOutputs(stack, ["instanceId", "cpuAlarmName"]);
    const result = await runStress({
      ssm: new SSMClient(awsClientConfig(region)),
      cloudwatch,
      outputs,
      minutes,
      timeouts: stepMs === undefined ? {} : { alarmMs: stepMs, okMs: stepMs },
      out,
      signal,
    });
    if (result.outcome === "passed") return 0;
    return result.outcome === "cancelled" ? EXIT_INTERRUPTED : 1;
  },
  {
    onForcedQuit: () =>
      "quitting without cancelling the load: stress-ng stops by itself when its --timeout runs out",
  },
);
