/**
 * Job events: one row per state change (and per progress step) of a job, numbered by a durable sequence of
 * its org, written in the transaction that changed the job. They are the event stream's source (`GET
 * /v1/events`, resumed from a sequence number) and the webhook outbox: the same statement that records an
 * event queues one delivery per subscribed endpoint of the org.
 */
import { randomBytes } from 'node:crypto';
import type { JobRow } from './job.store.js';
import type { SqlDb, SqlRunner } from './sql.js';

/** What happened to a job. `job.progress` goes to the event stream only, never to webhooks. */
export type JobEventType = 'job.queued' | 'job.running' | 'job.progress' | 'job.completed' | 'job.failed' | 'job.canceled' | 'job.deleted' | 'job.expired';

/** The event types a webhook endpoint may subscribe to (every type but progress). */
export const WebhookEventTypes: readonly JobEventType[] = ['job.queued', 'job.running', 'job.completed', 'job.failed', 'job.canceled', 'job.deleted', 'job.expired'];

/** A job_events row. */
export interface JobEventRow {
  /** `evt_…`: stable, the `webhook-id` of every delivery of this event */
  id: string;
  org_id: string;
  /** Per org, gapless for committed events, increasing in commit order */
  sequence: number;
  type: JobEventType;
  job_id: string;
  /** JSON of the job row after the change, without its AOI */
  job: string;
  created_at: string;
}

/** How long events (and webhook delivery logs) are kept, ms: a stream can resume this far back. */
export const EventKeepMs = 7 * 24 * 3600_000;
/** How long a delivery is retried before it is given up, ms. */
export const DeliveryWindowMs = 24 * 3600_000;

const Columns = 'id, org_id, sequence, type, job_id, job, created_at';

export class EventStore {
  constructor(private readonly db: SqlDb) {}

  /**
   * Record an event of `job` (its row after the change) inside the transaction `q` that changed it, and
   * queue its webhook deliveries. The org's sequence row stays locked until that transaction ends, so events
   * of one org commit in sequence order on every engine (a reader never sees n+1 before n).
   */
  async append(q: SqlRunner, type: JobEventType, job: JobRow, now: number): Promise<JobEventRow> {
    const seq = await q.get<{ last_sequence: number }>(`INSERT INTO event_sequences (org_id, last_sequence) VALUES (?, 1)
      ON CONFLICT (org_id) DO UPDATE SET last_sequence = event_sequences.last_sequence + 1 RETURNING last_sequence`, [job.org_id]);
    const { aoi: _aoi, ...snapshot } = job;
    const row: JobEventRow = {
      id: `evt_${randomBytes(12).toString('base64url')}`, org_id: job.org_id, sequence: seq!.last_sequence, type, job_id: job.id,
      job: JSON.stringify(snapshot), created_at: new Date(now).toISOString(),
    };
    await q.run(`INSERT INTO job_events (${Columns}) VALUES (?, ?, ?, ?, ?, ?, ?)`, [row.id, row.org_id, row.sequence, row.type, row.job_id, row.job, row.created_at]);
    if (type !== 'job.progress') {
      await q.run(`INSERT INTO webhook_deliveries (endpoint_id, event_id, org_id, job_id, event_sequence, state, attempts, next_attempt_at, give_up_at, created_at)
        SELECT id, ?, org_id, ?, ?, 'pending', 0, ?, ?, ? FROM webhook_endpoints
        WHERE org_id = ? AND removed_at IS NULL AND (' ' || events || ' ') LIKE ?`,
      [row.id, row.job_id, row.sequence, now, now + DeliveryWindowMs, row.created_at, row.org_id, `% ${type} %`]);
    }
    return row;
  }

  /** An org's events after `sequence`, oldest first (only of `jobId` when given). */
  after(orgId: string, sequence: number, limit: number, jobId?: string): Promise<JobEventRow[]> {
    return jobId
      ? this.db.all<JobEventRow>(`SELECT ${Columns} FROM job_events WHERE org_id = ? AND sequence > ? AND job_id = ? ORDER BY sequence LIMIT ?`, [orgId, sequence, jobId, limit])
      : this.db.all<JobEventRow>(`SELECT ${Columns} FROM job_events WHERE org_id = ? AND sequence > ? ORDER BY sequence LIMIT ?`, [orgId, sequence, limit]);
  }

  /** The org's last sequence number (0 before its first event). */
  async last(orgId: string): Promise<number> {
    return (await this.db.get<{ last_sequence: number }>('SELECT last_sequence FROM event_sequences WHERE org_id = ?', [orgId]))?.last_sequence ?? 0;
  }

  /** The org's oldest kept sequence number, or undefined when none is kept. */
  async first(orgId: string): Promise<number | undefined> {
    return (await this.db.get<{ n: number | null }>('SELECT min(sequence) AS n FROM job_events WHERE org_id = ?', [orgId]))?.n ?? undefined;
  }

  /** Drop events and finished delivery logs older than `EventKeepMs` (pending deliveries keep their events). */
  async prune(now = this.db.now()): Promise<number> {
    const before = new Date(now - EventKeepMs).toISOString();
    const old = await this.db.all<{ id: number }>(`SELECT id FROM webhook_deliveries WHERE state <> 'pending' AND created_at < ?`, [before]);
    for (let i = 0; i < old.length; i += 500) {
      const ids = old.slice(i, i + 500).map((r) => r.id);
      const marks = ids.map(() => '?').join(', ');
      await this.db.run(`DELETE FROM webhook_attempts WHERE delivery_id IN (${marks})`, ids);
      await this.db.run(`DELETE FROM webhook_deliveries WHERE id IN (${marks})`, ids);
    }
    return this.db.run(`DELETE FROM job_events WHERE created_at < ? AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = job_events.id)`, [before]);
  }
}
