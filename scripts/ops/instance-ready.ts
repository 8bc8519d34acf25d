// Waits until a freshly created instance has finished cloud-init and its service answers /readyz,
// asking the instance itself through SSM Run Command (its port 80 is open to CloudFront only).
import {
  GetCommandInvocationCommand,
  SendCommandCommand,
  type SSMClient,
} from "@aws-sdk/client-ssm";
import { type Clock, formatDuration } from "./clock.ts";

/** The CloudWatch agent's unit: without it no log ships and the 5xx alarm never leaves OK. */
export const CLOUDWATCH_AGENT_UNIT = "amazon-cloudwatch-agent.service";

/**
 * Run on the instance by AWS-RunShellScript, whose result is the script's exit code (no `set -e`,
 * so each check exits on its own). Ready means: cloud-init finished without an error (exit 0, or
 * 2 for recoverable warnings such as a deprecated key; 1 is a failed boot), the CloudWatch agent
 * runs, and /readyz answers.
 */
export const READINESS_SCRIPT = [
  "cloud-init status --wait --long; rc=$?",
  'if [ "$rc" -ne 0 ] && [ "$rc" -ne 2 ]; then echo "not ready: cloud-init failed (exit $rc)" >&2; exit 1; fi',
  `if ! systemctl is-active --quiet ${CLOUDWATCH_AGENT_UNIT}; then echo "not ready: ${CLOUDWATCH_AGENT_UNIT} is not running (no logs, no 5xx alarm)" >&2; systemctl status --no-pager ${CLOUDWATCH_AGENT_UNIT} >&2; exit 1; fi`,
  "curl --fail --silent --show-error --max-time 5 http://127.0.0.1:3000/readyz",
];

const FINISHED = new Set(["Success", "Cancelled", "TimedOut", "Failed"]);

export interface WaitOptions {
  ssm: SSMClient;
  instanceId: string;
  clock: Clock;
  print: (line: string) => void;
  /** Give up after this long. Default 15 minutes (a boot takes 1-2). */
  timeoutMs?: number;
  /** Pause between polls. Default 10 s. */
  pollMs?: number;
}

export class InstanceNotReadyError extends Error {}

const errorName = (err: unknown) => (err as { name?: string } | undefined)?.name ?? "";

/** Resolves once the instance is ready; throws InstanceNotReadyError with the reason otherwise. */
export async function waitForInstanceReady(o: WaitOptions): Promise<void> {
  const started = o.clock.now();
  const deadline = started + (o.timeoutMs ?? 15 * 60_000);
  const pollMs = o.pollMs ?? 10_000;
  const since = () => formatDuration(o.clock.now() - started);
  let commandId: string | undefined;

  while (o.clock.now() < deadline) {
    if (!commandId) {
      try {
        const sent = await o.ssm.send(
          new SendCommandCommand({
            InstanceIds: [o.instanceId],
            DocumentName: "AWS-RunShellScript",
            Comment: "expense-tracker: wait for the new instance to be ready",
            Parameters: { commands: READINESS_SCRIPT },
            TimeoutSeconds: Math.ceil((deadline - o.clock.now()) / 1000),
          }),
        );
        commandId = sent.Command?.CommandId;
        o.print(`${since()} ${o.instanceId}: asked cloud-init to report when done`);
      } catch (err) {
        // Until its SSM agent has registered, the instance is an "invalid" target.
        if (errorName(err) !== "InvalidInstanceId") throw err;
        o.print(`${since()} ${o.instanceId}: waiting for its SSM agent to register`);
      }
    } else {
      try {
        const inv = await o.ssm.send(
          new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: o.instanceId }),
        );
        const status = inv.Status ?? "Pending";
        if (status === "Success") {
          o.print(`${since()} ${o.instanceId}: ready`);
          return;
        }
        if (FINISHED.has(status)) {
          const detail = `${inv.StandardOutputContent ?? ""}\n${inv.StandardErrorContent ?? ""}`
            .trim()
            .split("\n")
            .slice(-15)
            .join("\n");
          throw new InstanceNotReadyError(
            `${o.instanceId} did not become ready (${status}):\n${detail}`,
          );
        }
      } catch (err) {
        if (errorName(err) !== "InvocationDoesNotExist") throw err;
      }
    }
    await o.clock.sleep(pollMs);
  }
  throw new InstanceNotReadyError(`${o.instanceId} was not ready after ${since()}`);
}
