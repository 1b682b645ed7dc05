/**
 * The durable queue runner: claims jobs oldest first with a lease, runs each output's clip in the
 * piscina pool, records progress, outputs (size, sha256) and the outcome, and settles credits.
 * Crash-safe: leases expire and unfinished jobs run again; outputs appear only when complete (stored
 * whole through the file store: written on disk, or uploaded to S3) and are recorded only after that.
 */
import { randomUUID } from 'node:crypto';
import { MessageChannel } from 'node:worker_threads';
import type { Piscina } from 'piscina';
import type { AreaCatalog } from '../catalog/area.catalog.js';
import type { StacItems } from '../catalog/stac.items.js';
import { CogMediaType } from '../downloads/download.service.js';
import { AppError } from '../errors/app.error.js';
import { asAppError } from '../errors/as.app.error.js';
import { statusOf } from '../errors/error.codes.js';
import type { FileStore } from '../files/file.store.js';
import type { Logger } from '../log.js';
import type { JobRow } from '../storage/job.store.js';
import type { Storage } from '../storage/storage.js';
import type { ClipTask, ClipTaskResult } from './clip.task.js';
import { settleCredits } from './credits.js';
import { workerFailure } from './worker.failure.js';
import type { JobRunnerHooks } from './job.service.js';

export interface RunnerOptions {
  /** Jobs run at once */
  concurrency: number;
  /** Lease length in ms; renewed every `leaseMs / 3` */
  leaseMs: number;
}

/** A file-name-safe stem. */
function safeStem(text: string): string {
  return text.replace(/[^\w.-]+/g, '_').replace(/^[._]+/, '').slice(0, 80) || 'clip';
}

/**
 * FENCING — the one place an attempt names its files: `jobs/<job>/attempt-<n>/`. `attempt` is the job's
 * `attempts` count from the claim that started this run, so a runner that lost its lease (and whose job was
 * claimed again) writes beside the new attempt's files, never over them; only the attempt whose completion
 * the database accepts is recorded.
 */
export function attemptPrefix(jobId: string, attempt: number): string {
  return `jobs/${jobId}/attempt-${attempt}/`;
}

export class JobRunner implements JobRunnerHooks {
  readonly owner = `runner_${randomUUID()}`;
  private readonly running = new Map<string, { abort: AbortController; done: Promise<void> }>();
  private stopping = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly storage: Storage,
    private readonly catalog: AreaCatalog,
    private readonly items: StacItems,
    private readonly files: FileStore,
    private readonly pool: Piscina,
    private readonly log: Logger,
    private readonly opts: RunnerOptions,
  ) {}

  /** Whether any job is running now */
  get busy(): boolean {
    return this.running.size > 0;
  }

  /** Recover after a crash (requeue jobs of dead runners, sweep temp files), then start claiming. */
  async start(): Promise<void> {
    const requeued = this.storage.db.prepare(`UPDATE jobs SET status = 'queued', stage = NULL, progress = 0, lease_owner = NULL, lease_expires_at = NULL
      WHERE status = 'running' AND deleted_at IS NULL`).run().changes;
    const swept = await this.files.sweepStaging();
    if (requeued || swept) this.log.warn({ requeued, swept }, 'Jobs:Recovered');
    this.timer = setInterval(() => this.wake(), 2000);
    this.timer.unref();
    this.wake();
  }

  wake(): void {
    while (!this.stopping && this.running.size < this.opts.concurrency) {
      const job = this.storage.jobs.claim(this.owner, this.opts.leaseMs);
      if (!job) return;
      const abort = new AbortController();
      const done = this.run(job, abort.signal).finally(() => {
        this.running.delete(job.id);
        this.wake();
      });
      this.running.set(job.id, { abort, done });
    }
  }

  async cancel(jobId: string): Promise<void> {
    const r = this.running.get(jobId);
    if (!r) return;
    r.abort.abort();
    await r.done;
  }

  /** Stop claiming; let running jobs finish within the grace period, then abort and requeue them. */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    const all = Promise.all([...this.running.values()].map((r) => r.done));
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), graceMs).unref());
    if ((await Promise.race([all, timeout])) === 'timeout') {
      for (const [id, r] of this.running) {
        r.abort.abort();
        this.storage.jobs.requeue(id, this.owner);
      }
      await all;
    }
  }

  /** Each output's source: its key in the file store. */
  private async sources(job: JobRow): Promise<{ key: string; file: string }[]> {
    const keys = JSON.parse(job.outputs_requested) as string[];
    if (job.kind === 'area') return Promise.all(keys.map(async (k) => ({ key: k, file: (await this.catalog.mosaic(job.area!, k)).file.key })));
    const item = await this.items.get(job.source_item_id!);
    return keys.map((k) => {
      const a = item.assets.find((x) => x.key === k);
      if (!a) throw new Error(`asset ${k} vanished from item ${item.id}`);
      if (!a.file) throw new AppError('asset_outside_data_dir', `Asset "${k}" of item "${item.id}" now points outside the data directory`);
      return { key: k, file: a.file };
    });
  }

  private async run(job: JobRow, signal: AbortSignal): Promise<void> {
    const log = this.log.child({ jobId: job.id, orgId: job.org_id });
    const started = performance.now();
    const prefix = attemptPrefix(job.id, job.attempts);
    const progress = new Map<string, { done: number; total: number }>();
    let stage = 'clipping';
    const beat = (): boolean => {
      let done = 0;
      let total = 0;
      for (const p of progress.values()) { done += p.done; total += p.total; }
      const keysCount = Math.max(1, (JSON.parse(job.outputs_requested) as string[]).length);
      const frac = total > 0 ? (done / total) * (progress.size / keysCount) : 0;
      return this.storage.jobs.heartbeat(job.id, this.owner, Math.min(0.99, frac), stage, this.opts.leaseMs);
    };
    const heartbeat = setInterval(() => { if (!beat()) this.running.get(job.id)?.abort.abort(); }, Math.max(200, Math.min(1000, this.opts.leaseMs / 3)));
    try {
      log.info({ attempt: job.attempts }, 'Job:Started');
      const sources = await this.sources(job);
      const results: { key: string; fileName: string; rel: string; r: ClipTaskResult }[] = [];
      const stem = safeStem(job.output_name ?? job.aoi_name ?? job.id);
      for (const src of sources) {
        const out = `${prefix}${safeStem(src.key)}.tif`;
        const channel = new MessageChannel();
        channel.port1.on('message', (m: { done: number; total: number }) => progress.set(src.key, m));
        const task: ClipTask = { source: src.file, aoi: JSON.parse(job.aoi) as unknown, output: out, progress: channel.port2 };
        try {
          const answer = (await this.pool.run(task, { transferList: [channel.port2], signal }).catch((err: unknown) => {
            throw signal.aborted ? err : workerFailure(err);
          })) as ClipTaskResult | { error: { code: string; message: string } };
          if ('error' in answer) throw asAppError(answer.error);
          const r = answer;
          results.push({ key: src.key, fileName: `${stem}_${safeStem(src.key)}.tif`, rel: out, r });
        } finally {
          channel.port1.close();
        }
      }
      stage = 'finishing';
      const ok = this.storage.transaction(() => {
        const renders: Record<string, unknown> = {};
        for (const x of results) {
          this.storage.jobs.insertOutput({ job_id: job.id, output_key: x.key, file_name: x.fileName, rel_path: x.rel, size_bytes: x.r.size, sha256: x.r.sha256, media_type: CogMediaType, info: JSON.stringify(x.r.info) });
          renders[x.key] = x.r.renderDefaults;
        }
        const finished = this.storage.jobs.finish(job.id, this.owner, { status: 'completed', renderDefaults: JSON.stringify(renders) });
        if (!finished) throw new Error('lease lost');
        settleCredits(this.storage, job.org_id, job.id, 'capture');
        return true;
      });
      if (ok) {
        log.info({ durationMs: Math.round(performance.now() - started), outputs: results.length }, 'Job:Completed');
        await this.dropOtherAttempts(job.id, prefix);
      }
    } catch (err) {
      if (signal.aborted) {
        log.info('Job:Aborted');
        return; // deleted (files removed by delete) or shut down (requeued)
      }
      const e = asAppError(err);
      const message = e.code === 'internal_error' ? 'The clip failed unexpectedly' : e.message;
      if (statusOf(e.code) >= 500) log.error({ err, code: e.code }, 'Job:Crashed');
      else log.warn({ code: e.code, message }, 'Job:Failed');
      this.storage.transaction(() => {
        if (this.storage.jobs.finish(job.id, this.owner, { status: 'failed', errorCode: e.code, errorMessage: message })) settleCredits(this.storage, job.org_id, job.id, 'release');
      });
      await this.files.deletePrefix(prefix).catch((err: unknown) => log.warn({ err }, 'Job:CleanupFailed'));
    } finally {
      clearInterval(heartbeat);
      await this.files.discardStaged(prefix).catch((err: unknown) => log.warn({ err }, 'Job:CleanupFailed'));
    }
  }

  /** Files of earlier attempts of a completed job (a crash or a lost lease left them): never recorded, so garbage. */
  private async dropOtherAttempts(jobId: string, keep: string): Promise<void> {
    try {
      const stale = (await this.files.list(`jobs/${jobId}/`, 2)).filter((f) => !f.key.startsWith(keep));
      const attempts = new Set(stale.map((f) => f.key.split('/').slice(0, 3).join('/') + '/'));
      for (const p of attempts) await this.files.deletePrefix(p);
    } catch (err) {
      this.log.warn({ err, jobId }, 'Job:CleanupFailed');
    }
  }
}
