import type { Db } from './db.js';

/** A stored idempotent response (or a request still in flight). */
export interface IdempotencyRow {
  org_id: string;
  key: string;
  operation: string;
  fingerprint: string;
  state: 'in_flight' | 'done';
  status: number | null;
  content_type: string | null;
  body: Buffer | null;
  created_at: number;
  expires_at: number;
}

export class IdempotencyStore {
  constructor(private readonly db: Db) {}

  /** A live record (expired ones are treated as absent and removed). */
  get(orgId: string, key: string, now = Date.now()): IdempotencyRow | undefined {
    const row = this.db.prepare('SELECT * FROM idempotency_records WHERE org_id = ? AND key = ?').get(orgId, key) as IdempotencyRow | undefined;
    if (row && row.expires_at <= now) {
      this.db.prepare('DELETE FROM idempotency_records WHERE org_id = ? AND key = ?').run(orgId, key);
      return undefined;
    }
    return row;
  }

  /** Reserve a key for a request in flight; false when a live record already exists. */
  reserve(row: { org_id: string; key: string; operation: string; fingerprint: string }, ttlMs: number, now = Date.now()): boolean {
    if (this.get(row.org_id, row.key, now)) return false;
    return this.db.prepare(`INSERT OR IGNORE INTO idempotency_records (org_id, key, operation, fingerprint, state, created_at, expires_at)
      VALUES (@org_id, @key, @operation, @fingerprint, 'in_flight', @now, @exp)`).run({ ...row, now, exp: now + ttlMs }).changes > 0;
  }

  /** Store the final response of a reserved key. */
  complete(orgId: string, key: string, status: number, contentType: string, body: Buffer): void {
    this.db.prepare(`UPDATE idempotency_records SET state = 'done', status = ?, content_type = ?, body = ? WHERE org_id = ? AND key = ?`).run(status, contentType, body, orgId, key);
  }

  /** Forget a reservation (the request failed before anything durable happened). */
  release(orgId: string, key: string): void {
    this.db.prepare(`DELETE FROM idempotency_records WHERE org_id = ? AND key = ? AND state = 'in_flight'`).run(orgId, key);
  }

  /** Remove expired records. */
  sweep(now = Date.now()): number {
    return this.db.prepare('DELETE FROM idempotency_records WHERE expires_at <= ?').run(now).changes;
  }
}
