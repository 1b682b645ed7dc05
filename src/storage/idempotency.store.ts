import { randomUUID } from 'node:crypto';
import type { SqlDb, SqlRunner } from './sql.js';

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
  /** Unix ms */
  created_at: number;
  /** Unix ms */
  expires_at: number;
  /** Who holds the reservation (a request on some node) */
  token: string | null;
}

/** A key reserved by one request: only that request may complete or release it. */
export interface IdempotencyReservation {
  orgId: string;
  key: string;
  token: string;
}

/** Thrown when a reservation was taken over before its request could store its answer. */
export class IdempotencyLost extends Error {
  constructor(key: string) {
    super(`the reservation of Idempotency-Key "${key}" was taken over`);
  }
}

const Columns = 'org_id, key, operation, fingerprint, state, status, content_type, body, created_at, expires_at, token';

export class IdempotencyStore {
  constructor(private readonly db: SqlDb) {}

  /** A live record (expired ones are treated as absent and removed). */
  async get(orgId: string, key: string, now = this.db.now()): Promise<IdempotencyRow | undefined> {
    const row = await this.db.get<IdempotencyRow>(`SELECT ${Columns} FROM idempotency_records WHERE org_id = ? AND key = ?`, [orgId, key]);
    if (row && row.expires_at <= now) {
      await this.db.run('DELETE FROM idempotency_records WHERE org_id = ? AND key = ? AND expires_at <= ?', [orgId, key, now]);
      return undefined;
    }
    return row;
  }

  /**
   * Reserve a key for a request in flight: one statement that inserts it, or takes over a record that
   * expired or a reservation older than `staleMs` (its server died before answering). The primary key
   * makes concurrent reservations on any number of nodes end with exactly one holder. Undefined when a
   * live record stays.
   */
  async reserve(row: { org_id: string; key: string; operation: string; fingerprint: string }, ttlMs: number, staleMs: number, now = this.db.now()): Promise<IdempotencyReservation | undefined> {
    const token = randomUUID();
    const got = await this.db.get<{ token: string }>(`INSERT INTO idempotency_records (org_id, key, operation, fingerprint, state, token, created_at, expires_at)
      VALUES (?, ?, ?, ?, 'in_flight', ?, ?, ?)
      ON CONFLICT (org_id, key) DO UPDATE SET operation = excluded.operation, fingerprint = excluded.fingerprint, state = 'in_flight', token = excluded.token,
        status = NULL, content_type = NULL, body = NULL, created_at = excluded.created_at, expires_at = excluded.expires_at
      WHERE idempotency_records.expires_at <= ? OR (idempotency_records.state = 'in_flight' AND idempotency_records.created_at <= ?)
      RETURNING token`, [row.org_id, row.key, row.operation, row.fingerprint, token, now, now + ttlMs, now, now - staleMs]);
    return got?.token === token ? { orgId: row.org_id, key: row.key, token } : undefined;
  }

  /** Store the final response of a reservation (throws IdempotencyLost when it is no longer this request's). */
  async complete(r: IdempotencyReservation, status: number, contentType: string, body: Buffer, q: SqlRunner = this.db): Promise<void> {
    const changed = await q.run(`UPDATE idempotency_records SET state = 'done', status = ?, content_type = ?, body = ? WHERE org_id = ? AND key = ? AND token = ? AND state = 'in_flight'`,
      [status, contentType, body, r.orgId, r.key, r.token]);
    if (changed === 0) throw new IdempotencyLost(r.key);
  }

  /** Forget a reservation (the request failed before anything durable happened). */
  async release(r: IdempotencyReservation): Promise<void> {
    await this.db.run(`DELETE FROM idempotency_records WHERE org_id = ? AND key = ? AND token = ? AND state = 'in_flight'`, [r.orgId, r.key, r.token]);
  }

  /** Remove expired records. */
  sweep(now = this.db.now()): Promise<number> {
    return this.db.run('DELETE FROM idempotency_records WHERE expires_at <= ?', [now]);
  }
}
