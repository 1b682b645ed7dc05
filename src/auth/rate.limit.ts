/**
 * Fixed one-minute windows counted in memory (one process). `take` answers the seconds to wait when
 * a bucket is full.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  /** @param windowMs window length in ms (60 000) */
  constructor(private readonly windowMs = 60_000) {}

  /** Count one call against `bucket` with `limit` per window; returns 0 when allowed, else seconds to wait. 0 limit = unlimited. */
  take(bucket: string, limit: number, now = Date.now()): number {
    if (limit <= 0) return 0;
    let w = this.windows.get(bucket);
    if (!w || now - w.start >= this.windowMs) {
      w = { start: now, count: 0 };
      this.windows.set(bucket, w);
      if (this.windows.size > 100_000) this.prune(now);
    }
    if (w.count >= limit) return Math.max(1, Math.ceil((w.start + this.windowMs - now) / 1000));
    w.count++;
    return 0;
  }

  /** Seconds to wait before `bucket` takes another call (0 when it would be allowed), without counting one. */
  wait(bucket: string, limit: number, now = Date.now()): number {
    if (limit <= 0) return 0;
    const w = this.windows.get(bucket);
    if (!w || now - w.start >= this.windowMs || w.count < limit) return 0;
    return Math.max(1, Math.ceil((w.start + this.windowMs - now) / 1000));
  }

  private prune(now: number): void {
    for (const [k, w] of this.windows) if (now - w.start >= this.windowMs) this.windows.delete(k);
  }
}
