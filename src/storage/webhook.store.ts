/**
 * Webhook endpoints (per org, managed by the admin CLI) and their deliveries: the outbox rows the event
 * store queues, claimed with a lease by whichever node's dispatcher gets them first (SKIP LOCKED on
 * PostgreSQL), attempted, and settled fenced by that lease. A delivery waits while an earlier delivery of the
 * same endpoint and job is pending: per endpoint, a job's events arrive in order.
 */
import { nowIso, type SqlDb } from './sql.js';
import type { JobEventType } from './event.store.js';

/** A webhook_endpoints row. */
export interface EndpointRow {
  id: string;
  org_id: string;
  url: string;
  /** Space-separated event types */
  events: string;
  /** `whsec_…` (base64 key after the prefix) */
  secret: string;
  created_at: string;
  removed_at: string | null;
}

/** A webhook_deliveries row. */
export interface DeliveryRow {
  id: number;
  endpoint_id: string;
  event_id: string;
  org_id: string;
  job_id: string;
  event_sequence: number;
  state: 'pending' | 'delivered' | 'failed';
  attempts: number;
  /** Unix ms */
  next_attempt_at: number;
  /** Unix ms */
  give_up_at: number;
  lease_owner: string | null;
  lease_expires_at: number | null;
  last_status: number | null;
  last_error: string | null;
  created_at: string;
  finished_at: string | null;
}

/** A claimed delivery with what sending it needs. */
export interface ClaimedDelivery extends DeliveryRow {
  url: string;
  secret: string;
  type: JobEventType;
  /** JSON of the job row at the event (without its AOI) */
  job: string;
  /** The job's AOI as given (JSON) */
  aoi: string;
  event_created_at: string;
}

/** One try of a delivery (the log `geopera admin webhook deliveries` shows). */
export interface AttemptRow {
  delivery_id: number;
  attempt: number;
  node_id: string | null;
  status: number | null;
  error: string | null;
  duration_ms: number | null;
  at: string;
}

/** How one try ended: delivered, to be retried at `retryAt`, or given up. */
export type AttemptOutcome = { status: number | null; error: string | null; durationMs: number } & ({ ok: true } | { ok: false; retryAt: number | null });

const EndpointColumns = 'id, org_id, url, events, secret, created_at, removed_at';
const DeliveryColumns = 'id, endpoint_id, event_id, org_id, job_id, event_sequence, state, attempts, next_attempt_at, give_up_at, lease_owner, lease_expires_at, last_status, last_error, created_at, finished_at';

export class WebhookStore {
  constructor(private readonly db: SqlDb) {}

  async addEndpoint(e: Pick<EndpointRow, 'id' | 'org_id' | 'url' | 'events' | 'secret'>): Promise<EndpointRow> {
    const row: EndpointRow = { ...e, created_at: nowIso(this.db.now()), removed_at: null };
    await this.db.run(`INSERT INTO webhook_endpoints (${EndpointColumns}) VALUES (?, ?, ?, ?, ?, ?, ?)`, [row.id, row.org_id, row.url, row.events, row.secret, row.created_at, null]);
    return row;
  }

  /** Live endpoints (of one org, or all). */
  endpoints(orgId?: string): Promise<EndpointRow[]> {
    return orgId
      ? this.db.all<EndpointRow>(`SELECT ${EndpointColumns} FROM webhook_endpoints WHERE org_id = ? AND removed_at IS NULL ORDER BY created_at, id`, [orgId])
      : this.db.all<EndpointRow>(`SELECT ${EndpointColumns} FROM webhook_endpoints WHERE removed_at IS NULL ORDER BY org_id, created_at, id`);
  }

  /** Remove an endpoint (its log is kept; its pending deliveries end as failed). False when no live endpoint has that id. */
  removeEndpoint(id: string): Promise<boolean> {
    const at = nowIso(this.db.now());
    return this.db.tx(async (q) => {
      if ((await q.run('UPDATE webhook_endpoints SET removed_at = ? WHERE id = ? AND removed_at IS NULL', [at, id])) === 0) return false;
      await q.run(`UPDATE webhook_deliveries SET state = 'failed', last_error = 'endpoint removed', finished_at = ?, lease_owner = NULL, lease_expires_at = NULL
        WHERE endpoint_id = ? AND state = 'pending'`, [at, id]);
      return true;
    });
  }

  /**
   * Claim up to `limit` due deliveries for `owner` until `now + leaseMs`: pending, due, not leased (or the
   * lease ran out: its node died mid-send), and with no earlier pending delivery of the same endpoint and job.
   * Each claim counts an attempt. Atomic on every engine: two nodes never hold one delivery.
   */
  async claim(owner: string, limit: number, leaseMs: number, now: number): Promise<ClaimedDelivery[]> {
    const ids = await this.db.all<{ id: number }>(`UPDATE webhook_deliveries SET lease_owner = ?, lease_expires_at = ?, attempts = attempts + 1
      WHERE id IN (SELECT d.id FROM webhook_deliveries d
        WHERE d.state = 'pending' AND d.next_attempt_at <= ? AND (d.lease_expires_at IS NULL OR d.lease_expires_at < ?)
          AND NOT EXISTS (SELECT 1 FROM webhook_deliveries e WHERE e.endpoint_id = d.endpoint_id AND e.job_id = d.job_id AND e.state = 'pending' AND e.event_sequence < d.event_sequence)
        ORDER BY d.next_attempt_at, d.id LIMIT ?${this.db.dialect.skipLocked})
      RETURNING id`, [owner, now + leaseMs, now, now, limit]);
    if (ids.length === 0) return [];
    const marks = ids.map(() => '?').join(', ');
    return this.db.all<ClaimedDelivery>(`SELECT ${DeliveryColumns.split(', ').map((c) => `d.${c}`).join(', ')}, w.url, w.secret, e.type, e.job, e.created_at AS event_created_at, j.aoi
      FROM webhook_deliveries d JOIN webhook_endpoints w ON w.id = d.endpoint_id JOIN job_events e ON e.id = d.event_id JOIN jobs j ON j.id = d.job_id
      WHERE d.id IN (${marks}) ORDER BY d.next_attempt_at, d.id`, ids.map((r) => r.id));
  }

  /**
   * Record a try and settle the delivery (delivered, retried later, or given up), fenced by the claim: false
   * (and nothing but the try's log written) when another node took the delivery over meanwhile.
   */
  settle(d: Pick<DeliveryRow, 'id' | 'attempts'>, owner: string, outcome: AttemptOutcome, now: number): Promise<boolean> {
    const at = nowIso(now);
    return this.db.tx(async (q) => {
      await q.run('INSERT INTO webhook_attempts (delivery_id, attempt, node_id, status, error, duration_ms, at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        [d.id, d.attempts, owner, outcome.status, outcome.error, Math.round(outcome.durationMs), at]);
      const fence = 'WHERE id = ? AND lease_owner = ? AND attempts = ? AND state = \'pending\'';
      if (outcome.ok) {
        return (await q.run(`UPDATE webhook_deliveries SET state = 'delivered', last_status = ?, last_error = NULL, finished_at = ?, lease_owner = NULL, lease_expires_at = NULL ${fence}`,
          [outcome.status, at, d.id, owner, d.attempts])) > 0;
      }
      if (outcome.retryAt === null) {
        return (await q.run(`UPDATE webhook_deliveries SET state = 'failed', last_status = ?, last_error = ?, finished_at = ?, lease_owner = NULL, lease_expires_at = NULL ${fence}`,
          [outcome.status, outcome.error, at, d.id, owner, d.attempts])) > 0;
      }
      return (await q.run(`UPDATE webhook_deliveries SET next_attempt_at = ?, last_status = ?, last_error = ?, lease_owner = NULL, lease_expires_at = NULL ${fence}`,
        [outcome.retryAt, outcome.status, outcome.error, d.id, owner, d.attempts])) > 0;
    });
  }

  /** The newest deliveries (of an org or an endpoint), with their events' types. */
  deliveries(filter: { orgId?: string; endpointId?: string; limit: number }): Promise<(DeliveryRow & { type: string })[]> {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (filter.orgId) { where.push('d.org_id = ?'); args.push(filter.orgId); }
    if (filter.endpointId) { where.push('d.endpoint_id = ?'); args.push(filter.endpointId); }
    return this.db.all(`SELECT ${DeliveryColumns.split(', ').map((c) => `d.${c}`).join(', ')}, e.type FROM webhook_deliveries d JOIN job_events e ON e.id = d.event_id
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY d.id DESC LIMIT ?`, [...args, filter.limit]);
  }

  /** The tries of some deliveries, oldest first. */
  attempts(deliveryIds: number[]): Promise<AttemptRow[]> {
    if (deliveryIds.length === 0) return Promise.resolve([]);
    return this.db.all<AttemptRow>(`SELECT delivery_id, attempt, node_id, status, error, duration_ms, at FROM webhook_attempts WHERE delivery_id IN (${deliveryIds.map(() => '?').join(', ')}) ORDER BY delivery_id, attempt`, deliveryIds);
  }
}
