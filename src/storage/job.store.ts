import { nowIso, type Db } from './db.js';

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
  attempts: number;
  lease_owner: string | null;
  lease_expires_at: number | null;
  render_defaults: string | null;
  created_at: string;
  updated_at: string;
  started_at: string | null;
  finished_at: string | null;
  deleted_at: string | null;
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

export class JobStore {
  constructor(private readonly db: Db) {}

  insert(job: NewJob, now = Date.now()): JobRow {
    const at = nowIso(now);
    this.db.prepare(`INSERT INTO jobs (id, org_id, key_id, kind, area, source_item_id, outputs_requested, aoi, aoi_name, project_id, output_name, status, progress, cost_km2, created_at, updated_at)
      VALUES (@id, @org_id, @key_id, @kind, @area, @source_item_id, @outputs_requested, @aoi, @aoi_name, @project_id, @output_name, 'queued', 0, @cost_km2, @at, @at)`).run({ ...job, at });
    return this.get(job.id)!;
  }

  /** A live (not deleted) job of an org; another org's job is indistinguishable from a missing one. */
  getForOrg(orgId: string, id: string): JobRow | undefined {
    return this.db.prepare('SELECT * FROM jobs WHERE id = ? AND org_id = ? AND deleted_at IS NULL').get(id, orgId) as JobRow | undefined;
  }

  get(id: string): JobRow | undefined {
    return this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
  }

  /** Newest first. */
  list(orgId: string, opts: { status?: string | null; limit: number; offset: number }): { rows: JobRow[]; total: number } {
    const where = opts.status ? 'org_id = ? AND deleted_at IS NULL AND status = ?' : 'org_id = ? AND deleted_at IS NULL';
    const args: unknown[] = opts.status ? [orgId, opts.status] : [orgId];
    const total = (this.db.prepare(`SELECT count(*) AS n FROM jobs WHERE ${where}`).get(...args) as { n: number }).n;
    const rows = this.db.prepare(`SELECT * FROM jobs WHERE ${where} ORDER BY created_at DESC, rowid DESC LIMIT ? OFFSET ?`).all(...args, opts.limit, opts.offset) as JobRow[];
    return { rows, total };
  }

  /**
   * Claim the oldest runnable job with a lease: a queued one, or a running one whose lease expired
   * (its worker died). Atomic: two claimers never get the same job.
   */
  claim(owner: string, leaseMs: number, now = Date.now()): JobRow | undefined {
    return this.db.transaction(() => {
      const row = this.db.prepare(`SELECT id FROM jobs WHERE deleted_at IS NULL AND (status = 'queued' OR (status = 'running' AND lease_expires_at < ?))
        ORDER BY created_at, rowid LIMIT 1`).get(now) as { id: string } | undefined;
      if (!row) return undefined;
      const at = nowIso(now);
      this.db.prepare(`UPDATE jobs SET status = 'running', stage = 'starting', progress = 0, attempts = attempts + 1, lease_owner = ?, lease_expires_at = ?,
        started_at = ?, updated_at = ? WHERE id = ?`).run(owner, now + leaseMs, at, at, row.id);
      return this.get(row.id);
    })();
  }

  /** Extend a lease and record progress; false when the job is no longer ours (deleted or re-claimed). */
  heartbeat(id: string, owner: string, progress: number, stage: string, leaseMs: number, now = Date.now()): boolean {
    return this.db.prepare(`UPDATE jobs SET progress = ?, stage = ?, lease_expires_at = ?, updated_at = ?
      WHERE id = ? AND lease_owner = ? AND status = 'running' AND deleted_at IS NULL`).run(progress, stage, now + leaseMs, nowIso(now), id, owner).changes > 0;
  }

  /** Put a running job back in the queue (graceful shutdown). */
  requeue(id: string, owner: string): void {
    this.db.prepare(`UPDATE jobs SET status = 'queued', stage = NULL, progress = 0, lease_owner = NULL, lease_expires_at = NULL, updated_at = ?
      WHERE id = ? AND lease_owner = ? AND status = 'running'`).run(nowIso(), id, owner);
  }

  /** Mark finished. Returns false when the job is not ours any more. */
  finish(id: string, owner: string, outcome: { status: 'completed' | 'failed'; errorCode?: string; errorMessage?: string; renderDefaults?: string }, now = Date.now()): boolean {
    const at = nowIso(now);
    return this.db.prepare(`UPDATE jobs SET status = @status, progress = CASE WHEN @status = 'completed' THEN 1 ELSE progress END, stage = @status,
      error_code = @code, error_message = @message, render_defaults = @render, lease_owner = NULL, lease_expires_at = NULL, finished_at = @at, updated_at = @at
      WHERE id = @id AND lease_owner = @owner AND status = 'running' AND deleted_at IS NULL`).run({
      id, owner, at, status: outcome.status, code: outcome.errorCode ?? null, message: outcome.errorMessage ?? null, render: outcome.renderDefaults ?? null,
    }).changes > 0;
  }

  /** Delete: cancel when not finished, mark deleted. */
  markDeleted(id: string, now = Date.now()): void {
    const at = nowIso(now);
    this.db.prepare(`UPDATE jobs SET status = CASE WHEN status IN ('queued', 'running') THEN 'canceled' ELSE status END,
      lease_owner = NULL, lease_expires_at = NULL, deleted_at = ?, updated_at = ? WHERE id = ?`).run(at, at, id);
  }

  insertOutput(row: Omit<OutputRow, 'created_at'>): void {
    this.db.prepare(`INSERT OR REPLACE INTO job_outputs (job_id, output_key, file_name, rel_path, size_bytes, sha256, media_type, info, created_at)
      VALUES (@job_id, @output_key, @file_name, @rel_path, @size_bytes, @sha256, @media_type, @info, @created_at)`).run({ ...row, created_at: nowIso() });
  }

  outputs(jobId: string): OutputRow[] {
    return this.db.prepare('SELECT * FROM job_outputs WHERE job_id = ? ORDER BY output_key').all(jobId) as OutputRow[];
  }

  deleteOutputs(jobId: string): void {
    this.db.prepare('DELETE FROM job_outputs WHERE job_id = ?').run(jobId);
  }

  /** Run several store calls atomically. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }
}
