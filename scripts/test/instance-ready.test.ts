import { GetCommandInvocationCommand, SendCommandCommand, SSMClient } from "@aws-sdk/client-ssm";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import {
  InstanceNotReadyError,
  READINESS_SCRIPT,
  waitForInstanceReady,
} from "../ops/instance-ready.ts";
import { fakeClock } from "./support/fake-clock.ts";

const ssm = mockClient(SSMClient);
const named = (name: string) => Object.assign(new Error(name), { name });

describe("waitForInstanceReady", () => {
  beforeEach(() => ssm.reset());

  it("waits for the SSM agent, then for cloud-init and /readyz, and resolves on success", async () => {
    const clock = fakeClock();
    ssm
      .on(SendCommandCommand)
      .rejectsOnce(named("InvalidInstanceId"))
      .rejectsOnce(named("InvalidInstanceId"))
      .resolves({ Command: { CommandId: "cmd-1" } });
    ssm
      .on(GetCommandInvocationCommand)
      .rejectsOnce(named("InvocationDoesNotExist"))
      .resolvesOnce({ Status: "InProgress" })
      .resolves({ Status: "Success" });
    const lines: string[] = [];
    await waitForInstanceReady({
      ssm: new SSMClient({}),
      instanceId: "i-new",
      clock,
      print: (l) => lines.push(l),
    });
    const sent = ssm.commandCalls(SendCommandCommand)[2]?.args[0].input;
    expect(sent).toMatchObject({
      InstanceIds: ["i-new"],
      DocumentName: "AWS-RunShellScript",
      Parameters: { commands: READINESS_SCRIPT },
    });
    expect(READINESS_SCRIPT.join("\n")).toContain("cloud-init status --wait");
    expect(lines.at(-1)).toMatch(/i-new: ready$/);
    expect(clock.elapsed).toBe(5 * 10_000);
  });

  it("fails with the end of the instance's output when cloud-init failed", async () => {
    ssm.on(SendCommandCommand).resolves({ Command: { CommandId: "cmd-1" } });
    ssm.on(GetCommandInvocationCommand).resolves({
      Status: "Failed",
      StandardOutputContent: "status: error\nexpense-tracker-boot: FAILED: not ready within 180 s",
      StandardErrorContent: "",
    });
    const error = await waitForInstanceReady({
      ssm: new SSMClient({}),
      instanceId: "i-bad",
      clock: fakeClock(),
      print: () => {},
    }).catch((e) => e);
    expect(error).toBeInstanceOf(InstanceNotReadyError);
    expect(error.message).toContain("i-bad did not become ready (Failed)");
    expect(error.message).toContain("FAILED: not ready within 180 s");
  });

  it("gives up after the timeout", async () => {
    ssm.on(SendCommandCommand).rejects(named("InvalidInstanceId"));
    const clock = fakeClock();
    const error = await waitForInstanceReady({
      ssm: new SSMClient({}),
      instanceId: "i-slow",
      clock,
      print: () => {},
      timeoutMs: 60_000,
    }).catch((e) => e);
    expect(error).toBeInstanceOf(InstanceNotReadyError);
    expect(error.message).toBe("i-slow was not ready after 1m00s");
  });

  it("passes other AWS errors through (missing credentials, access denied)", async () => {
    ssm.on(SendCommandCommand).rejects(named("AccessDeniedException"));
    await expect(
      waitForInstanceReady({
        ssm: new SSMClient({}),
        instanceId: "i-x",
        clock: fakeClock(),
        print: () => {},
      }),
    ).rejects.toThrow("AccessDeniedException");
  });
});
