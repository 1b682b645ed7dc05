/**
 * Rate limits: fixed one-minute windows per bucket (`org:<id>`, `spend:<id>`, `ip:<address>`), counted
 * by the storage's counters (shared by every node on PostgreSQL, in memory on one SQLite node). `take`
 * answers the seconds to wait when a bucket is full.
 */
import { RateWindowMs, type RateCounter } from '../storage/rate.counter.js';

export class RateLimiter {
  constructor(private readonly counter: RateCounter, private readonly windowMs = RateWindowMs) {}

  /** Count one call against `bucket` with `limit` per window; resolves 0 when allowed, else seconds to wait. 0 limit = unlimited. */
  take(bucket: string, limit: number, now?: number): Promise<number> {
    return limit <= 0 ? Promise.resolve(0) : this.counter.take(bucket, limit, this.windowMs, now);
  }

  /** Seconds to wait before `bucket` takes another call (0 when it would be allowed), without counting one. */
  wait(bucket: string, limit: number, now?: number): Promise<number> {
    return limit <= 0 ? Promise.resolve(0) : this.counter.wait(bucket, limit, this.windowMs, now);
  }
}
