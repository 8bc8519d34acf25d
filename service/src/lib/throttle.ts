/**
 * Counts failed attempts per key in a sliding window. A caller records an attempt *before* the
 * slow check it guards (so parallel requests cannot all slip through) and forgives it when the
 * check succeeds. In memory: one process serves the site, and a restart only forgets recent
 * failures.
 */
export class FailureThrottle {
  private readonly attempts = new Map<string, number[]>();
  private nextPrune = 0;

  constructor(
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds to wait before trying again, or 0 when no key has reached its limit. */
  waitSeconds(limits: Record<string, number>): number {
    let wait = 0;
    for (const [key, limit] of Object.entries(limits)) {
      const recent = this.recent(key);
      if (recent.length >= limit) {
        const freeAt = (recent[recent.length - limit] ?? 0) + this.windowMs;
        wait = Math.max(wait, Math.ceil((freeAt - this.now()) / 1000), 1);
      }
    }
    return wait;
  }

  record(keys: string[]): void {
    this.prune();
    for (const key of keys) this.attempts.set(key, [...this.recent(key), this.now()]);
  }

  /** Takes back the latest attempt of each key (it turned out to be a success). */
  forgive(keys: string[]): void {
    for (const key of keys) {
      const list = this.recent(key);
      list.pop();
      if (list.length > 0) this.attempts.set(key, list);
      else this.attempts.delete(key);
    }
  }

  private recent(key: string): number[] {
    const cutoff = this.now() - this.windowMs;
    return (this.attempts.get(key) ?? []).filter((t) => t > cutoff);
  }

  /** Drops expired keys at most once a window, so the map cannot grow without bound. */
  private prune(): void {
    if (this.now() < this.nextPrune) return;
    this.nextPrune = this.now() + this.windowMs;
    for (const key of [...this.attempts.keys()]) {
      if (this.recent(key).length === 0) this.attempts.delete(key);
    }
  }
}
