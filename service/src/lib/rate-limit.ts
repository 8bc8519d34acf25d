/**
 * Requests allowed per key (an API token) and minute, as a token bucket: a client may spend the
 * whole minute's allowance at once, and regains it steadily. In memory: one process serves the
 * site, and a restart only forgives recent use.
 */
export class RequestRateLimit {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private nextPrune = 0;

  /**
   * @param perMinute requests allowed per key and minute (the bucket's size).
   * @param now clock in milliseconds. Default `Date.now`.
   */
  constructor(
    readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {
    if (!(perMinute >= 1)) throw new RangeError("perMinute must be at least 1");
  }

  /** Takes one request from the key's allowance: 0 when allowed, else the seconds to wait. */
  take(key: string): number {
    const t = this.now();
    this.prune(t);
    const rate = this.perMinute / 60_000;
    const bucket = this.buckets.get(key) ?? { tokens: this.perMinute, at: t };
    const tokens = Math.min(this.perMinute, bucket.tokens + (t - bucket.at) * rate);
    if (tokens < 1) {
      this.buckets.set(key, { tokens, at: t });
      return Math.max(1, Math.ceil((1 - tokens) / rate / 1000));
    }
    this.buckets.set(key, { tokens: tokens - 1, at: t });
    return 0;
  }

  /** Requests the key may still make right now. */
  remaining(key: string): number {
    const bucket = this.buckets.get(key);
    if (!bucket) return this.perMinute;
    const refilled = bucket.tokens + ((this.now() - bucket.at) * this.perMinute) / 60_000;
    return Math.floor(Math.min(this.perMinute, refilled));
  }

  /** Forgets full buckets at most once a minute, so the map cannot grow without bound. */
  private prune(t: number): void {
    if (t < this.nextPrune) return;
    this.nextPrune = t + 60_000;
    for (const [key, b] of this.buckets) {
      if (b.tokens + ((t - b.at) * this.perMinute) / 60_000 >= this.perMinute) {
        this.buckets.delete(key);
      }
    }
  }
}
