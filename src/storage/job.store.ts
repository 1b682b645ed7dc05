import type { EventSignals } from './event.signals.js';
import type { EventStore, JobEventType } from './event.store.js';
import { IdempotencyLost, type IdempotencyReservation, type IdempotencyStore } from './idempotency.store.js';
import type { CreditTotals, LedgerStore } from './ledger.store.js';
import type { OrgRow, OrgStore } from './org.store.js';
import { nowIso, type SqlDb, type SqlRunner } from './sql.js';

export type JobStatus = 'queued' | 'running' | 'completed' | 'failed' | 'canceled';

/** A jobs table row. */
export interface JobRow {
  id: string;
  org_id: string;
  key_id: string | null;
  kind: 'area' | 'item';
  area: string | null;
  source_item_id: string | null;
  /** JSON array of mosaic types (area jobs) or asset keys (item jobs) */
  outputs_requested: string;
  /** JSON of the AOI geometry as given */
  aoi: string;
  aoi_name: string | null;
  project_id: string | null;
  output_name: string | null;
  status: JobStatus;
  stage: string | null;
  progress: number;
  cost_km2: number;
  error_code: string | null;
  error_message: string | null;
  /** Claims so far; the current claim's number is its fencing token */
  attempts: number;
  /** Node holding the lease while running */
  lease_owner: string | null;
  /** Unix ms */
  lease_expires_at: number | null;
  render_defaults: string | null;
  created_at: string;
  updated_at: string;
  started_at: string | null;
  finished_at: string | null;
  deleted_at: string | null;
  /** When a completed job's files end (ISO 8601; null: kept for ever) */
  expires_at: string | null;
  /** When the retention sweeper removed them */
  expired_at: string | null;
}

/** A job output row. */
export interface OutputRow {
  job_id: string;
  output_key: string;
  file_name: string;
  rel_path: string;
  size_bytes: number;
  sha256: string;
  media_type: string;
  info: string | null;
  created_at: string;
}

export type NewJob = Pick<JobRow, 'id' | 'org_id' | 'key_id' | 'kind' | 'area' | 'source_item_id' | 'outputs_requested' | 'aoi' | 'aoi_name' | 'project_id' | 'output_name' | 'cost_km2'>;

/** A claim of a job by a node: the lease owner and the attempt (the fencing token every later write carries). */
export interface JobLease {
  owner: string;
  attempt: number;
}

/** What makes a job: its row, its credit hold (with the caller's balance rule), and an idempotent answer. */
export interface JobCreate {
  job: NewJob;
  /** Throws to refuse the hold (e.g. 402 insufficient credits); sees the org and its totals under the org's lock */
  checkHold: (org: OrgRow | undefined, totals: CreditTotals) => void;
  /** Store the answer under this Idempotency-Key reservation in the same transaction */
  idempotency?: { reservation: IdempotencyReservation; answer: (row: JobRow) => string };
}

/** The queue and the jobs by status, for metrics. */
export interface JobStats {
  /** Jobs not deleted, by status (every status present, 0 when none) */
  byStatus: Record<JobStatus, number>;
  /** Age of the oldest queued job in ms (by the database's clock), or 0 when none is queued */
  oldestQueuedMs: number;
  /** Running jobs whose lease ran out (their node died or stalled): another node will claim them */
  leaseExpired: number;
}

const Statuses: readonly JobStatus[] = ['queued', 'running', 'completed', 'failed', 'canceled'];

const Columns = `id, org_id, key_id, kind, area, source_item_id, outputs_requested, aoi, aoi_name, project_id, output_name, status, stage, progress, cost_km2,
  error_code, error_message, attempts, lease_owner, lease_expires_at, render_defaults, created_at, updated_at, started_at, finished_at, deleted_at, expires_at, expired_at`;
const OutputColumns = 'job_id, output_key, file_name, rel_path, size_bytes, sha256, media_type, info, created_at';
/** The lease and fence every write of a running job checks. */
const Fenced = `id = ? AND lease_owner = ? AND attempts = ? AND status = 'running' AND deleted_at IS NULL`;

/** A day in ms. */
const DayMs = 24 * 3600_000;

/**
 * The jobs table. Every state change records its job event (events.append) in the same transaction, and
 * says so to the event listeners once it committed.
 */
export class JobStore {
  constructor(
    private readonly db: SqlDb,
    private readonly orgs: OrgStore,
    private readonly ledger: LedgerStore,
    private readonly idempotency: IdempotencyStore,
    private readonly events: EventStore,
    private readonly signals: EventSignals,
  ) {}

  /** Run `fn` in a transaction; announce the org's new events once it committed. */
  private async changing<T>(fn: (q: SqlRunner, said: (orgId: string) => void) => Promise<T>): Promise<T> {
    const orgs = new Set<string>();
    const value = await this.db.tx((q) => fn(q, (orgId) => orgs.add(orgId)));
    for (const o of orgs) this.signals.announce(o);
    return value;
  }

  /** Record an event of a job inside `q`. */
  private async event(q: SqlRunner, said: (orgId: string) => void, type: JobEventType, row: JobRow, now: number): Promise<void> {
    await this.events.append(q, type, row, now);
    said(row.org_id);
  }

  /**
   * Make a job: under the org's lock, check and record its credit hold, insert the job and store the
   * idempotent answer, all in one transaction. Two nodes sending one Idempotency-Key make one job: the
   * key is unique per org on jobs and the reservation is completed only by its holder.
   */
  create(c: JobCreate, now = this.db.now()): Promise<JobRow> {
    const at = nowIso(now);
    const row: JobRow = {
      ...c.job, status: 'queued', stage: null, progress: 0, error_code: null, error_message: null, attempts: 0, lease_owner: null, lease_expires_at: null,
      render_defaults: null, created_at: at, updated_at: at, started_at: null, finished_at: null, deleted_at: null, expires_at: null, expired_at: null,
    };
    const key = c.idempotency?.reservation.key ?? null;
    return this.changing(async (q, said) => {
      const org = await this.orgs.lock(q, row.org_id);
      c.checkHold(org, await this.ledger.creditTotals(row.org_id, q));
      await this.ledger.hold(q, row.org_id, row.id, row.cost_km2);
      await q.run(`INSERT INTO jobs (id, org_id, key_id, kind, area, source_item_id, outputs_requested, aoi, aoi_name, project_id, output_name, status, progress, cost_km2, created_at, updated_at, idempotency_key)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', 0, ?, ?, ?, ?)`, [
        row.id, row.org_id, row.key_id, row.kind, row.area, row.source_item_id, row.outputs_requested, row.aoi, row.aoi_name, row.project_id, row.output_name,
        row.cost_km2, at, at, key,
      ]);
      if (c.idempotency) await this.idempotency.complete(c.idempotency.reservation, 200, 'application/json', Buffer.from(c.idempotency.answer(row)), q);
      await this.event(q, said, 'job.queued', row, now);
      return row;
    }).catch((err: unknown) => {
      // The org already has a job for this key: another request (on any node) made it first.
      throw key !== null && this.db.dialect.isUniqueViolation(err) ? new IdempotencyLost(key) : err;
    });
  }

  /** A live (not deleted) job of an org; another org's job is indistinguishable from a missing one. */
  getForOrg(orgId: string, id: string): Promise<JobRow | undefined> {
    return this.db.get<JobRow>(`SELECT ${Columns} FROM jobs WHERE id = ? AND org_id = ? AND deleted_at IS NULL`, [id, orgId]);
  }

  get(id: string, q: SqlRunner = this.db): Promise<JobRow | undefined> {
    return q.get<JobRow>(`SELECT ${Columns} FROM jobs WHERE id = ?`, [id]);
  }

  /** Newest first (`unexpired`: only jobs whose files were not swept). */
  async list(orgId: string, opts: { status?: string | null; limit: number; offset: number; unexpired?: boolean }): Promise<{ rows: JobRow[]; total: number }> {
    const base = opts.unexpired ? 'org_id = ? AND deleted_at IS NULL AND expired_at IS NULL' : 'org_id = ? AND deleted_at IS NULL';
    const where = opts.status ? `${base} AND status = ?` : base;
    const args = opts.status ? [orgId, opts.status] : [orgId];
    const total = (await this.db.get<{ n: number }>(`SELECT count(*) AS n FROM jobs WHERE ${where}`, args))!.n;
    const rows = await this.db.all<JobRow>(`SELECT ${Columns} FROM jobs WHERE ${where} ORDER BY created_at DESC, ${this.db.dialect.seq} DESC LIMIT ? OFFSET ?`, [...args, opts.limit, opts.offset]);
    return { rows, total };
  }

  /**
   * Claim the oldest runnable job with a lease: a queued one, or a running one whose lease ran out (its
   * node died). Atomic on every engine: two claimers, on any nodes, never get the same claim.
   */
  claim(owner: string, leaseMs: number, now = this.db.now()): Promise<JobRow | undefined> {
    return this.changing(async (q, said) => {
      const got = await q.get<{ id: string }>(this.db.dialect.claimJob, [now, owner, now + leaseMs, nowIso(now)]);
      const row = got ? await this.get(got.id, q) : undefined;
      if (row) await this.event(q, said, 'job.running', row, now);
      return row;
    });
  }

  /**
   * Extend a lease and record progress (with a `job.progress` event when `event` is set); false when the job
   * is no longer this claim's (deleted, or claimed again).
   */
  async heartbeat(id: string, lease: JobLease, progress: number, stage: string, leaseMs: number, now = this.db.now(), event = false): Promise<boolean> {
    const sql = `UPDATE jobs SET progress = ?, stage = ?, lease_expires_at = ?, updated_at = ? WHERE ${Fenced}`;
    const args = [progress, stage, now + leaseMs, nowIso(now), id, lease.owner, lease.attempt];
    if (!event) return (await this.db.run(sql, args)) > 0;
    return this.changing(async (q, said) => {
      const row = await q.get<JobRow>(`${sql} RETURNING ${Columns}`, args);
      if (row) await this.event(q, said, 'job.progress', row, now);
      return row !== undefined;
    });
  }

  /** Put a running job back in the queue (graceful shutdown). */
  requeue(id: string, lease: JobLease, now = this.db.now()): Promise<boolean> {
    return this.changing(async (q, said) => {
      const row = await q.get<JobRow>(`UPDATE jobs SET status = 'queued', stage = NULL, progress = 0, lease_owner = NULL, lease_expires_at = NULL, updated_at = ? WHERE ${Fenced} RETURNING ${Columns}`,
        [nowIso(now), id, lease.owner, lease.attempt]);
      if (row) await this.event(q, said, 'job.queued', row, now);
      return row !== undefined;
    });
  }

  /**
   * At a node's start: queue again the jobs it was running when it stopped. With SQLite (one node) that is
   * every running job; with several nodes, those whose lease names this node (others' wait for their lease).
   */
  recover(owner: string, now = this.db.now()): Promise<number> {
    const mine = this.db.dialect.singleNode ? '' : ' AND lease_owner = ?';
    return this.changing(async (q, said) => {
      const rows = await q.all<JobRow>(`UPDATE jobs SET status = 'queued', stage = NULL, progress = 0, lease_owner = NULL, lease_expires_at = NULL, updated_at = ?
        WHERE status = 'running' AND deleted_at IS NULL${mine} RETURNING ${Columns}`, this.db.dialect.singleNode ? [nowIso(now)] : [nowIso(now), owner]);
      for (const row of rows) await this.event(q, said, 'job.queued', row, now);
      return rows.length;
    });
  }

  /**
   * Complete a job with its outputs and capture its credits, in one transaction fenced by the lease:
   * false (and nothing written) when the claim is no longer current. `retention.defaultDays`: the server's
   * retention (days; 0 keeps for ever) when the org sets none, from which `expires_at` is set.
   */
  complete(id: string, lease: JobLease, outputs: Omit<OutputRow, 'job_id' | 'created_at'>[], renderDefaults: string, now = this.db.now(), retention: { defaultDays: number } = { defaultDays: 0 }): Promise<boolean> {
    const at = nowIso(now);
    return this.changing(async (q, said) => {
      // The org's policy, else the server's default; 0 keeps the files for ever.
      const policy = await q.get<{ retention_days: number | null }>('SELECT o.retention_days FROM organizations o JOIN jobs j ON j.org_id = o.id WHERE j.id = ?', [id]);
      const days = policy?.retention_days ?? retention.defaultDays;
      const expires = days > 0 ? nowIso(now + days * DayMs) : null;
      const org = await q.get<JobRow>(`UPDATE jobs SET status = 'completed', progress = 1, stage = 'completed', error_code = NULL, error_message = NULL, render_defaults = ?,
        lease_owner = NULL, lease_expires_at = NULL, finished_at = ?, updated_at = ?, expires_at = ? WHERE ${Fenced} RETURNING ${Columns}`, [renderDefaults, at, at, expires, id, lease.owner, lease.attempt]);
      if (!org) return false;
      for (const o of outputs) {
        await q.run(`INSERT INTO job_outputs (${OutputColumns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
          ON CONFLICT (job_id, output_key) DO UPDATE SET file_name = excluded.file_name, rel_path = excluded.rel_path, size_bytes = excluded.size_bytes,
            sha256 = excluded.sha256, media_type = excluded.media_type, info = excluded.info, created_at = excluded.created_at`,
        [id, o.output_key, o.file_name, o.rel_path, o.size_bytes, o.sha256, o.media_type, o.info, at]);
      }
      await this.ledger.settle(q, org.org_id, id, 'capture');
      await this.event(q, said, 'job.completed', org, now);
      return true;
    });
  }

  /** Fail a job and release its credits, fenced by the lease; false when the claim is no longer current. */
  fail(id: string, lease: JobLease, error: { code: string; message: string }, now = this.db.now()): Promise<boolean> {
    const at = nowIso(now);
    return this.changing(async (q, said) => {
      const org = await q.get<JobRow>(`UPDATE jobs SET status = 'failed', stage = 'failed', error_code = ?, error_message = ?,
        lease_owner = NULL, lease_expires_at = NULL, finished_at = ?, updated_at = ? WHERE ${Fenced} RETURNING ${Columns}`, [error.code, error.message, at, at, id, lease.owner, lease.attempt]);
      if (!org) return false;
      await this.ledger.settle(q, org.org_id, id, 'release');
      await this.event(q, said, 'job.failed', org, now);
      return true;
    });
  }

  /**
   * Delete: cancel when not finished, mark deleted, release an unspent hold; one transaction. Answers the
   * row before and after, or undefined when the job was already deleted.
   */
  delete(id: string, now = this.db.now()): Promise<{ before: JobRow; after: JobRow } | undefined> {
    const at = nowIso(now);
    return this.changing(async (q, said) => {
      const before = await q.get<JobRow>(`SELECT ${Columns} FROM jobs WHERE id = ? AND deleted_at IS NULL${this.db.dialect.forUpdate}`, [id]);
      if (!before) return undefined;
      await q.run(`UPDATE jobs SET status = CASE WHEN status IN ('queued', 'running') THEN 'canceled' ELSE status END,
        lease_owner = NULL, lease_expires_at = NULL, deleted_at = ?, updated_at = ? WHERE id = ?`, [at, at, id]);
      if (before.status !== 'completed') await this.ledger.settle(q, before.org_id, id, 'release');
      const after = (await this.get(id, q))!;
      if (after.status === 'canceled' && before.status !== 'canceled') await this.event(q, said, 'job.canceled', after, now);
      await this.event(q, said, 'job.deleted', after, now);
      return { before, after };
    });
  }

  /**
   * Claim up to `limit` completed jobs whose files are past their `expires_at` for the retention sweeper of
   * `owner`, with a lease until `now + leaseMs` (a completed job's lease columns are free: only its sweeper
   * uses them). Atomic on every engine: one node sweeps a job, another takes it over when that node dies.
   */
  async claimExpired(owner: string, limit: number, leaseMs: number, now = this.db.now()): Promise<JobRow[]> {
    return this.db.all<JobRow>(`UPDATE jobs SET lease_owner = ?, lease_expires_at = ?
      WHERE id IN (SELECT id FROM jobs WHERE status = 'completed' AND deleted_at IS NULL AND expired_at IS NULL AND expires_at IS NOT NULL AND expires_at <= ?
        AND (lease_expires_at IS NULL OR lease_expires_at < ?) ORDER BY expires_at LIMIT ?${this.db.dialect.skipLocked})
      RETURNING ${Columns}`, [owner, now + leaseMs, nowIso(now), now, limit]);
  }

  /** Record that a claimed job's files are gone (`job.expired`), fenced by the sweeper's claim; false when it lost it. */
  markExpired(id: string, owner: string, now = this.db.now()): Promise<boolean> {
    const at = nowIso(now);
    return this.changing(async (q, said) => {
      const row = await q.get<JobRow>(`UPDATE jobs SET expired_at = ?, updated_at = ?, lease_owner = NULL, lease_expires_at = NULL
        WHERE id = ? AND lease_owner = ? AND status = 'completed' AND expired_at IS NULL AND deleted_at IS NULL RETURNING ${Columns}`, [at, at, id, owner]);
      if (row) await this.event(q, said, 'job.expired', row, now);
      return row !== undefined;
    });
  }

  /**
   * Counts for metrics, at scrape time: one grouped count over the jobs, the oldest queued job and the
   * running jobs past their lease (both through the `jobs_queue` index).
   */
  async stats(now = this.db.now()): Promise<JobStats> {
    const rows = await this.db.all<{ status: JobStatus; n: number }>('SELECT status, count(*) AS n FROM jobs WHERE deleted_at IS NULL GROUP BY status');
    const byStatus = Object.fromEntries(Statuses.map((s) => [s, 0])) as Record<JobStatus, number>;
    for (const r of rows) byStatus[r.status] = Number(r.n);
    const oldest = await this.db.get<{ at: string | null }>(`SELECT min(created_at) AS at FROM jobs WHERE status = 'queued' AND deleted_at IS NULL`);
    const expired = await this.db.get<{ n: number }>(`SELECT count(*) AS n FROM jobs WHERE status = 'running' AND deleted_at IS NULL AND lease_expires_at < ?`, [now]);
    return { byStatus, oldestQueuedMs: oldest?.at ? Math.max(0, now - Date.parse(oldest.at)) : 0, leaseExpired: Number(expired?.n ?? 0) };
  }

  /**
   * The outputs of every live completed job, a page at a time in (job, output) order after `after` (moving
   * an install's files: these are the files the database points at).
   */
  liveOutputs(limit: number, after?: { job_id: string; output_key: string }): Promise<OutputRow[]> {
    const cursor = after ? ' AND (o.job_id > ? OR (o.job_id = ? AND o.output_key > ?))' : '';
    return this.db.all<OutputRow>(`SELECT ${OutputColumns.split(', ').map((c) => `o.${c}`).join(', ')} FROM job_outputs o JOIN jobs j ON j.id = o.job_id
      WHERE j.status = 'completed' AND j.deleted_at IS NULL AND j.expired_at IS NULL${cursor} ORDER BY o.job_id, o.output_key LIMIT ?`,
    after ? [after.job_id, after.job_id, after.output_key, limit] : [limit]);
  }

  outputs(jobId: string): Promise<OutputRow[]> {
    return this.db.all<OutputRow>(`SELECT ${OutputColumns} FROM job_outputs WHERE job_id = ? ORDER BY output_key`, [jobId]);
  }
}
