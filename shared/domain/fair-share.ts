/**
 * Fair limits per tenant: one token bucket per key (a council), refilled at `perSecond` up to
 * `burst`. A request that finds its council's bucket empty is refused with the seconds until a
 * token is back, so one council's load cannot take every other council's share of a container.
 * The buckets live in one container's memory: each running instance has its own, so the
 * deployment-wide limit is the per-instance one times the instances running (a deliberate
 * trade: a shared counter in the table would cost a write on every request).
 */
export class FairShare {
  private readonly buckets = new Map<string, { tokens: number; last: number }>();

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
    /** Buckets kept at most; the oldest go first (a full bucket is what a new one would be anyway). */
    private readonly maxKeys = 5000,
  ) {}

  /** Takes a token for `key`: 0 when the request may go, else the whole seconds to wait. */
  take(key: string): number {
    const now = this.now();
    const b = this.buckets.get(key) ?? { tokens: this.burst, last: now };
    this.buckets.delete(key);
    b.tokens = Math.min(this.burst, b.tokens + ((now - b.last) / 1000) * this.perSecond);
    b.last = now;
    this.buckets.set(key, b);
    if (this.buckets.size > this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / this.perSecond));
  }
}
