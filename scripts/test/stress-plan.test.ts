// The stress test's defaults follow the CPU alarm's period: 5-minute basic metrics arrive late.
import { SendCommandCommand } from "@aws-sdk/client-ssm";
import { describe, expect, it } from "vitest";
import { stressPlan } from "../ops/stress-plan.ts";
import { alarmBetween, loadFor, MIN, simulate } from "./support/stress-sim.ts";

const BASIC = { Period: 300, EvaluationPeriods: 1 };

describe("stressPlan", () => {
  it("keeps 8 minutes of load and 10-minute steps for three one-minute periods", () => {
    expect(stressPlan({ Period: 60, EvaluationPeriods: 3 })).toEqual({
      minutes: 8,
      alarmMs: 10 * MIN,
      okMs: 10 * MIN,
    });
  });

  it("loads 18 minutes and waits 28 for ALARM, 20 for OK, with one five-minute period", () => {
    expect(stressPlan(BASIC)).toEqual({ minutes: 18, alarmMs: 28 * MIN, okMs: 20 * MIN });
  });
});

describe("runStress with detailedMonitoring=false (one 5-minute period)", () => {
  // Basic metrics: the breaching 5-minute point lands about 10 minutes after the load starts,
  // and the OK one about 10 minutes after it stops.
  const scenario = {
    status: loadFor(18),
    alarm: alarmBetween(15 * MIN, 28 * MIN),
    period: BASIC,
  };

  it("by default loads long enough and waits long enough to see ALARM and then OK", async () => {
    const sim = simulate(scenario);
    const result = await sim.run({ minutes: undefined });
    expect(result.outcome).toBe("passed");
    const script =
      sim.ssm.commandCalls(SendCommandCommand)[0]?.args[0].input.Parameters?.commands?.join("\n") ??
      "";
    expect(script).toContain("--timeout 1080s");
  });
});
