import { DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import {
  CancelCommandCommand,
  GetCommandInvocationCommand,
  SendCommandCommand,
} from "@aws-sdk/client-ssm";
import { describe, expect, it } from "vitest";
import { describeError } from "../ops/errors.ts";
import { alarmBetween, alarmIn, loadFor, MIN, outputs, simulate } from "./support/stress-sim.ts";

describe("runStress", () => {
  it("passes when the alarm goes OK -> ALARM under load and back to OK after it, printing each change with its time", async () => {
    const sim = simulate({ status: loadFor(8), alarm: alarmBetween(4 * MIN, 10 * MIN) });
    const result = await sim.run();
    expect(result).toMatchObject({
      outcome: "passed",
      alarmAfterMs: 3 * MIN + 45_000,
      okAfterMs: 105_000,
    });
    expect(sim.out.lines).toEqual([
      `CPU alarm ${outputs.cpuAlarmName}: OK (CPUUtilization > 70 for 3 x 60 s)`,
      `+0m00s  sent the load: command cmd-1, stress-ng on every CPU of ${outputs.instanceId} for 8 min`,
      "+0m15s  load Pending -> InProgress",
      "+4m00s  OK -> ALARM",
      "+8m15s  load InProgress -> Success",
      "+10m00s  ALARM -> OK",
      "+10m00s  load finished (Success): nothing left running",
      "PASS: ALARM 3m45s after the load started, OK 1m45s after it stopped",
    ]);
    expect(sim.out.progressLines).toContain(
      "+2m00s  alarm OK, load InProgress 1m45s of 8m; waiting for ALARM reached: 8m15s left",
    );
    // The load had finished by itself, as GetCommandInvocation said: nothing to cancel.
    expect(sim.cancels()).toBe(0);
    expect(sim.loadRunning()).toBe(false);
  });

  it("sends a bounded stress-ng run through AWS-RunShellScript, installing it when missing", async () => {
    const sim = simulate({ status: loadFor(8), alarm: alarmBetween(4 * MIN, 10 * MIN) });
    await sim.run({ minutes: 5 });
    const input = sim.ssm.commandCalls(SendCommandCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      DocumentName: "AWS-RunShellScript",
      InstanceIds: [outputs.instanceId],
      TimeoutSeconds: 120,
    });
    expect(input?.Comment).toMatch(/^npm run stress/);
    const script = input?.Parameters?.commands?.join("\n") ?? "";
    expect(script).toContain("command -v stress-ng >/dev/null || (apt-get");
    expect(script).toContain("install -y stress-ng");
    expect(script).toContain("stress-ng --cpu 0 --cpu-load 100 --timeout 300s");
    expect(input?.Parameters?.executionTimeout).toEqual(["900"]);
  });

  it("times out on 'ALARM reached' when the alarm never fires, and cancels the load still running", async () => {
    const sim = simulate({ status: loadFor(20), alarm: () => "OK" });
    const result = await sim.run({ minutes: 20 });
    expect(result).toMatchObject({
      outcome: "timeout",
      step: "ALARM reached",
      load: { action: "cancelled" },
    });
    expect(sim.out.lines.at(-2)).toBe("+10m15s  cancelled the load (command cmd-1)");
    expect(sim.out.lines.at(-1)).toBe(
      'FAIL: step "ALARM reached" did not happen within 10m00s (alarm OK)',
    );
    expect(sim.cancels()).toBe(1);
    expect(sim.loadRunning()).toBe(false);
  });

  it("times out on 'ALARM reached' after a short load without cancelling what already finished", async () => {
    const sim = simulate({ status: loadFor(8), alarm: () => "INSUFFICIENT_DATA" });
    const result = await sim.run();
    expect(result).toMatchObject({
      outcome: "timeout",
      step: "ALARM reached",
      load: { action: "already finished", status: "Success" },
    });
    expect(sim.cancels()).toBe(0);
    expect(sim.loadRunning()).toBe(false);
  });

  it("times out on 'load started' when SSM never runs the command, and cancels it", async () => {
    const sim = simulate({ status: () => "Pending", alarm: () => "OK" });
    const result = await sim.run();
    expect(result).toMatchObject({ outcome: "timeout", step: "load started" });
    expect(sim.clock.elapsed).toBe(3 * MIN);
    expect(sim.cancels()).toBe(1);
    expect(sim.loadRunning()).toBe(false);
  });

  it("times out on 'OK after the load stopped' when the alarm stays in ALARM", async () => {
    const sim = simulate({
      status: loadFor(8),
      alarm: alarmBetween(4 * MIN, Number.POSITIVE_INFINITY),
    });
    const result = await sim.run({ timeouts: { okMs: 5 * MIN } });
    expect(result).toMatchObject({
      outcome: "timeout",
      step: "OK after the load stopped",
      alarmState: "ALARM",
    });
    // Load stopped at 8m15s, plus the 5-minute step.
    expect(sim.clock.elapsed).toBe(13 * MIN + 15_000);
    expect(sim.loadRunning()).toBe(false);
  });

  it("stops at Ctrl-C and cancels the load", async () => {
    const sim = simulate({
      status: loadFor(8),
      alarm: alarmBetween(4 * MIN, 10 * MIN),
      interruptAt: 2 * MIN,
    });
    const result = await sim.run();
    expect(result).toMatchObject({ outcome: "cancelled", load: { action: "cancelled" } });
    expect(sim.out.lines.at(-1)).toBe("CANCELLED: stopped by Ctrl-C");
    expect(sim.cancels()).toBe(1);
    expect(sim.loadRunning()).toBe(false);
  });

  it("sends no load at all when Ctrl-C comes before it is sent", async () => {
    const sim = simulate({ status: loadFor(8), alarm: () => "OK" });
    const controller = new AbortController();
    controller.abort();
    const result = await sim.run({ signal: controller.signal });
    expect(result).toEqual({ outcome: "cancelled", load: { action: "not started" } });
    expect(sim.ssm.commandCalls(SendCommandCommand)).toHaveLength(0);
  });

  it("cancels the load when polling fails, then reports the error", async () => {
    const sim = simulate({ status: loadFor(8), alarm: () => "OK" });
    sim.cw.on(DescribeAlarmsCommand).callsFake(async () => {
      if (sim.clock.elapsed >= MIN)
        throw Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" });
      return { MetricAlarms: [alarmIn("OK")] };
    });
    await expect(sim.run()).rejects.toThrow("Rate exceeded");
    expect(sim.cancels()).toBe(1);
    expect(sim.loadRunning()).toBe(false);
  });

  it("still sends CancelCommand when the final status cannot be read", async () => {
    const sim = simulate({ status: loadFor(8), alarm: () => "OK", interruptAt: MIN });
    sim.ssm.on(GetCommandInvocationCommand).callsFake(async () => {
      if (sim.clock.elapsed >= MIN) throw new Error("socket hang up");
      return { Status: "InProgress" };
    });
    const result = await sim.run();
    expect(result).toMatchObject({ outcome: "cancelled", load: { action: "cancelled" } });
    expect(sim.cancels()).toBe(1);
  });

  it("reports a load command that fails before the alarm fires, with the script's last error line", async () => {
    const sim = simulate({
      status: (t) => (t < 30_000 ? "InProgress" : "Failed"),
      alarm: () => "OK",
    });
    sim.ssm.on(GetCommandInvocationCommand).callsFake(async () => {
      const failed = sim.clock.elapsed >= 30_000;
      return {
        Status: failed ? "Failed" : "InProgress",
        StandardErrorContent: failed ? "E: Unable to locate package stress-ng\n" : "",
      };
    });
    const result = await sim.run();
    expect(result).toMatchObject({
      outcome: "load failed",
      status: "Failed",
      detail: "E: Unable to locate package stress-ng",
    });
    expect(sim.cancels()).toBe(0);
  });

  it("says how to cancel by hand when CancelCommand fails and the load still runs", async () => {
    const sim = simulate({ status: loadFor(8), alarm: () => "OK", interruptAt: MIN });
    sim.ssm
      .on(CancelCommandCommand)
      .rejects(Object.assign(new Error("denied"), { name: "AccessDeniedException" }));
    const result = await sim.run();
    expect(result.load).toEqual({
      action: "cancel failed",
      reason: "AWS denied the request: denied",
    });
    expect(sim.out.text()).toContain("aws ssm cancel-command --command-id cmd-1");
  });

  it("does not start a load when the alarm is already in ALARM", async () => {
    const sim = simulate({ status: loadFor(8), alarm: () => "ALARM" });
    const result = await sim.run();
    expect(result).toMatchObject({ outcome: "refused", load: { action: "not started" } });
    expect(sim.ssm.commandCalls(SendCommandCommand)).toHaveLength(0);
  });

  it("without AWS credentials fails before sending anything, with one line saying so", async () => {
    const sim = simulate({ status: loadFor(8), alarm: () => "OK" });
    sim.cw.on(DescribeAlarmsCommand).rejects(
      Object.assign(new Error("Could not load credentials from any providers"), {
        name: "CredentialsProviderError",
      }),
    );
    const err = await sim.run().catch((e: unknown) => e);
    expect(describeError(err)).toBe("no AWS credentials: run aws configure or set AWS_PROFILE");
    expect(sim.ssm.commandCalls(SendCommandCommand)).toHaveLength(0);
  });
});
