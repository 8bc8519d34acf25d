import {
  CancelCommandCommand,
  GetCommandInvocationCommand,
  SendCommandCommand,
  type SSMClient,
} from "@aws-sdk/client-ssm";
import { describeError } from "./errors.ts";

/** Invocation states after which nothing runs on the instance any more. */
export const FINISHED = new Set(["Success", "Cancelled", "TimedOut", "Failed"]);
/** Finished states that mean the load did not run as asked. */
export const BROKEN = new Set(["Cancelled", "TimedOut", "Failed"]);

/** Head room for installing stress-ng before the load itself starts. */
const INSTALL_SECONDS = 600;

/**
 * The shell script the instance runs: install stress-ng if missing, then load every CPU for
 * exactly `minutes`. stress-ng stops by itself, so the load ends even if the operator's machine
 * dies mid-test; SSM's execution timeout is a second bound.
 */
export function loadScript(minutes: number): string[] {
  const apt = "apt-get -o DPkg::Lock::Timeout=120 -q";
  return [
    "set -eu",
    "export DEBIAN_FRONTEND=noninteractive",
    // unattended-upgrades may hold the dpkg lock right after boot: wait for it instead of failing.
    `command -v stress-ng >/dev/null || (${apt} update && ${apt} install -y stress-ng)`,
    `stress-ng --cpu 0 --cpu-load 100 --timeout ${Math.round(minutes * 60)}s --metrics-brief`,
  ];
}

/** Sends the bounded load to the instance and resolves with the command id. */
export async function startLoad(
  ssm: SSMClient,
  instanceId: string,
  minutes: number,
): Promise<string> {
  const seconds = Math.round(minutes * 60);
  const sent = await ssm.send(
    new SendCommandCommand({
      DocumentName: "AWS-RunShellScript",
      InstanceIds: [instanceId],
      Comment: `npm run stress: ${minutes} min CPU load to test the CPU alarm`.slice(0, 100),
      // Delivery: if the agent has not picked the command up within 2 minutes, it never runs.
      TimeoutSeconds: 120,
      Parameters: {
        commands: loadScript(minutes),
        executionTimeout: [String(seconds + INSTALL_SECONDS)],
      },
    }),
  );
  const id = sent.Command?.CommandId;
  if (!id) throw new Error("SSM SendCommand returned no command id");
  return id;
}

export interface LoadStatus {
  /** Pending, InProgress, Delayed, Success, Cancelled, TimedOut, Failed or Cancelling. */
  status: string;
  /** The last line of the script's stderr, when there is one. */
  detail?: string;
}

/** The invocation's state; "Pending" while SSM has not registered it yet. */
export async function loadStatus(
  ssm: SSMClient,
  commandId: string,
  instanceId: string,
): Promise<LoadStatus> {
  try {
    const inv = await ssm.send(
      new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: instanceId }),
    );
    const detail = inv.StandardErrorContent?.trim().split("\n").at(-1);
    return { status: inv.Status ?? "Pending", ...(detail ? { detail } : {}) };
  } catch (err) {
    // Right after SendCommand the invocation may not exist yet.
    if ((err as Error).name === "InvocationDoesNotExist") return { status: "Pending" };
    throw err;
  }
}

export type LoadStop =
  | { action: "already finished"; status: string }
  | { action: "cancelled" }
  | { action: "cancel failed"; reason: string };

/**
 * Makes sure the load is not running: asks for its status and sends CancelCommand unless it has
 * already finished. An unknown status (the status call failed) counts as running.
 */
export async function stopLoad(
  ssm: SSMClient,
  commandId: string,
  instanceId: string,
): Promise<LoadStop> {
  const status = await loadStatus(ssm, commandId, instanceId).then(
    (s) => s.status,
    () => undefined,
  );
  if (status && FINISHED.has(status)) return { action: "already finished", status };
  try {
    await ssm.send(new CancelCommandCommand({ CommandId: commandId, InstanceIds: [instanceId] }));
    return { action: "cancelled" };
  } catch (err) {
    // The command may have finished between the two calls: then there is nothing to cancel.
    const now = await loadStatus(ssm, commandId, instanceId).then(
      (s) => s.status,
      () => undefined,
    );
    if (now && FINISHED.has(now)) return { action: "already finished", status: now };
    return { action: "cancel failed", reason: describeError(err) };
  }
}
