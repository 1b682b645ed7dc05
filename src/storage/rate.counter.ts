/**
 * Rate-limit counters: fixed windows that start with a bucket's first call. In a table (shared by every
 * node on one database: an org's 600 calls a minute are 600 across all of them), or in memory (one
 * SQLite node, where nothing else could share them).
 */
import type { SqlDb } from './sql.js';

/** Rate windows are a minute long, ms. */
export const RateWindowMs = 60_000;

export interface RateCounter {
  /**
   * Count one call against `bucket` with `limit` calls per `windowMs`: 0 when allowed, else the whole
   * seconds until the window ends. A limit of 0 is unlimited.
   */
  take(bucket: string, limit: number, windowMs: number, now?: number): Promise<number>;
  /** The seconds to wait before `bucket` takes another call (0 when it would be allowed), without counting one. */
  wait(bucket: string, limit: number, windowMs: number, now?: number): Promise<number>;
  /** Forget windows that ended before `now - windowMs`. */
  sweep(windowMs: number, now?: number): Promise<number>;
}

function waitSeconds(start: number, windowMs: number, now: number): number {
  return Math.max(1, Math.ceil((start + windowMs - now) / 1000));
}

/** Counters in the `rate_counters` table: one upsert a call. */
export class TableRateCounter implements RateCounter {
  constructor(private readonly db: SqlDb) {}

  async take(bucket: string, limit: number, windowMs: number, now = this.db.now()): Promise<number> {
    if (limit <= 0) return 0;
    // A window that ended restarts at this call; otherwise one more call in it.
    const w = (await this.db.get<{ window_start: number; count: number }>(`INSERT INTO rate_counters (bucket, window_start, count) VALUES (?1, ?2, 1)
      ON CONFLICT (bucket) DO UPDATE SET
        count = CASE WHEN rate_counters.window_start <= ?3 THEN 1 ELSE rate_counters.count + 1 END,
        window_start = CASE WHEN rate_counters.window_start <= ?3 THEN ?2 ELSE rate_counters.window_start END
      RETURNING window_start, count`, [bucket, now, now - windowMs]))!;
    return w.count > limit ? waitSeconds(w.window_start, windowMs, now) : 0;
  }

  async wait(bucket: string, limit: number, windowMs: number, now = this.db.now()): Promise<number> {
    if (limit <= 0) return 0;
    const w = await this.db.get<{ window_start: number; count: number }>('SELECT window_start, count FROM rate_counters WHERE bucket = ?', [bucket]);
    return w && w.window_start > now - windowMs && w.count >= limit ? waitSeconds(w.window_start, windowMs, now) : 0;
  }

  sweep(windowMs: number, now = this.db.now()): Promise<number> {
    return this.db.run('DELETE FROM rate_counters WHERE window_start <= ?', [now - windowMs]);
  }
}

/** Counters in this process's memory: the fast path of a single SQLite node. */
export class MemoryRateCounter implements RateCounter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  async take(bucket: string, limit: number, windowMs: number, now = Date.now()): Promise<number> {
    if (limit <= 0) return 0;
    let w = this.windows.get(bucket);
    if (!w || now - w.start >= windowMs) {
      w = { start: now, count: 0 };
      this.windows.set(bucket, w);
      if (this.windows.size > 100_000) await this.sweep(windowMs, now);
    }
    if (w.count >= limit) return waitSeconds(w.start, windowMs, now);
    w.count++;
    return 0;
  }

  async wait(bucket: string, limit: number, windowMs: number, now = Date.now()): Promise<number> {
    if (limit <= 0) return 0;
    const w = this.windows.get(bucket);
    return w && now - w.start < windowMs && w.count >= limit ? waitSeconds(w.start, windowMs, now) : 0;
  }

  async sweep(windowMs: number, now = Date.now()): Promise<number> {
    let n = 0;
    for (const [k, w] of this.windows) if (now - w.start >= windowMs) { this.windows.delete(k); n++; }
    return n;
  }
}
