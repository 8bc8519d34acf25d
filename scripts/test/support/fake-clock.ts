import type { Clock } from "../../ops/clock.ts";

export interface FakeClock extends Clock {
  /** Milliseconds since the fake start. */
  readonly elapsed: number;
  /** Number of sleeps so far: a runaway loop shows up as a huge count. */
  readonly sleeps: number;
}

/**
 * A clock whose sleep only moves time forward, so a 20-minute scenario runs in milliseconds.
 * `onSleep` runs after each step, e.g. to press Ctrl-C at a chosen time. Throws after
 * `maxSleeps` so a loop that never ends fails the test instead of hanging it.
 */
export function fakeClock(
  options: { start?: number; onSleep?: (elapsed: number) => void; maxSleeps?: number } = {},
): FakeClock {
  const start = options.start ?? Date.UTC(2025, 4, 1, 12, 0, 0);
  const maxSleeps = options.maxSleeps ?? 10_000;
  let now = start;
  let sleeps = 0;
  return {
    now: () => now,
    async sleep(ms, signal) {
      if (signal?.aborted) return;
      if (++sleeps > maxSleeps) throw new Error(`fake clock: more than ${maxSleeps} sleeps`);
      now += ms;
      options.onSleep?.(now - start);
    },
    get elapsed() {
      return now - start;
    },
    get sleeps() {
      return sleeps;
    },
  };
}
