// How long `npm run stress` loads the CPU and waits, derived from the CPU alarm itself: with
// 5-minute basic metrics (detailedMonitoring=false) the data points arrive late, and defaults
// sized for one-minute metrics would end the load before the alarm could fire.
import type { MetricAlarm } from "@aws-sdk/client-cloudwatch";

export interface StressPlan {
  /** How long stress-ng runs. */
  minutes: number;
  /** From the load starting until the alarm must be in ALARM. */
  alarmMs: number;
  /** From the load stopping until the alarm must be back in OK. */
  okMs: number;
}

/**
 * The alarm's window (period x evaluation periods) plus two periods for the metric's delay, and a
 * margin: 8 min of load and 10-minute steps for 3 x 60 s; 18 min, 28 and 20 for 1 x 300 s.
 */
export function stressPlan(alarm: Pick<MetricAlarm, "Period" | "EvaluationPeriods">): StressPlan {
  const period = alarm.Period ?? 60;
  const windowS = period * (alarm.EvaluationPeriods ?? 1);
  const minutes = Math.ceil((windowS + 2 * period) / 60) + 3;
  return {
    minutes,
    alarmMs: (minutes * 60 + 2 * period) * 1000,
    okMs: (windowS + 2 * period + 300) * 1000,
  };
}
