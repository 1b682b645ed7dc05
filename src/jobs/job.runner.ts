/**
 * The durable queue runner: claims jobs oldest first with a lease, runs each output's clip in the
 * piscina pool, records progress, outputs (size, sha256) and the outcome, and settles credits.
 * Crash-safe: leases expire and unfinished jobs run again (on any node); outputs appear only when
 * complete (stored whole through the file store: written on disk, or uploaded to S3) and are recorded only
 * after that. Every write of a running job carries its claim (this node and the attempt number, a fencing
 * token): a node that lost its lease can neither record progress nor complete the job, and its files sit
 * under its own attempt's prefix, never over the winner's.
 */
import { MessageChannel, type Worker } from 'node:worker_threads';
import type { Piscina } from 'piscina';
import type { AreaCatalog } from '../catalog/area.catalog.js';
import type { StacItems } from '../catalog/stac.items.js';
import { CogMediaType } from '../downloads/download.service.js';
import { AppError } from '../errors/app.error.js';
import { asAppError } from '../errors/as.app.error.js';
import { statusOf } from '../errors/error.codes.js';
import type { FileStore } from '../files/file.store.js';
import type { Logger } from '../log.js';
import type { JobMetrics } from '../metrics/metrics.ports.js';
import type { JobNotice } from '../storage/job.notices.js';
import type { JobLease, JobRow } from '../storage/job.store.js';
import type { Storage } from '../storage/storage.js';
import type { ClipTask, ClipTaskResult } from './clip.task.js';
import type { DiskFloor } from './disk.floor.js';
import type { JobRunnerHooks } from './job.service.js';
import { stageSums } from '../raster/clip/stage.clock.js';
import { SingleFlight } from './single.flight.js';
import { endedThreadsExited } from './thread.exits.js';
import { workerFailure } from './worker.failure.js';

export interface RunnerOptions {
  /** Jobs run at once */
  concurrency: number;
  /** Lease length in ms; renewed every `leaseMs / 3` (at most every second) */
  leaseMs: number;
  /** This node's name in leases and logs (`GEOPERA_NODE_ID`) */
  nodeId: string;
  /** Days a completed job's files are kept when its org sets nothing (`GEOPERA_RETENTION_DAYS`; 0: for ever) */
  retentionDays?: number;
  /** The free-space floor: no job starts writing below it */
  disk?: DiskFloor;
  /** Where each attempt's duration and outcome is counted */
  metrics?: JobMetrics;
}

/** Progress moves this much (or the stage changes) before a `job.progress` event is recorded. */
const ProgressEventStep = 0.02;

/** Why a running job stopped before its end. */
type StopReason = 'deleted' | 'lease_lost' | 'shutdown';

/** A file-name-safe stem. */
function safeStem(text: string): string {
  return text.replace(/[^\w.-]+/g, '_').replace(/^[._]+/, '').slice(0, 80) || 'clip';
}

/**
 * FENCING — the one place an attempt names its files: `jobs/<job>/attempt-<n>/`. `attempt` is the claim's
 * number (`lease.attempt`), so a runner that lost its lease (and whose job was claimed again) writes beside
 * the new attempt's files, never over them; only the attempt whose completion the database accepts is recorded.
 */
export function attemptPrefix(jobId: string, attempt: number): string {
  return `jobs/${jobId}/attempt-${attempt}/`;
}

export class JobRunner implements JobRunnerHooks {
  private readonly running = new Map<string, { abort: AbortController; reason?: StopReason; done: Promise<void> }>();
  private stopping = false;
  private timer: NodeJS.Timeout | undefined;
  /** The claim loop, one pass at a time */
  private readonly claims = new SingleFlight(() => this.claimLoop(), { onError: (err) => this.log.error({ err }, 'Jobs:ClaimFailed') });
  private unsubscribe: (() => void) | undefined;
  /** Below the free-space floor at the last claim */
  private diskLow = false;

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

  /** Jobs this node runs now */
  get runningCount(): number {
    return this.running.size;
  }

  /** This node's name in leases */
  get owner(): string {
    return this.opts.nodeId;
  }

  /**
   * Recover after a crash (queue again the jobs this node was running, sweep the temp files of jobs no other
   * node runs now), hear other nodes' notices, then start claiming.
   */
  async start(): Promise<void> {
    const requeued = await this.storage.jobs.recover(this.owner);
    const swept = await this.files.sweepStaging(async (jobId) => {
      const job = await this.storage.jobs.get(jobId);
      return !(job?.status === 'running' && job.lease_owner !== this.owner);
    });
    if (requeued || swept) this.log.warn({ requeued, swept, nodeId: this.owner }, 'Jobs:Recovered');
    this.unsubscribe = this.storage.notices.subscribe((n) => this.hear(n));
    this.timer = setInterval(() => this.wake(), 2000);
    this.timer.unref();
    this.wake();
  }

  private hear(n: JobNotice): void {
    if (n.kind === 'queued') this.wake();
    else if (n.kind === 'canceled') this.stopJob(n.jobId, 'deleted');
  }

  /** Claim jobs while slots are free (one claim loop at a time; a wake during it asks for another pass). */
  wake(): void {
    this.claims.wake();
  }

  private async claimLoop(): Promise<void> {
    if (this.opts.disk && this.running.size < this.opts.concurrency) {
      const disk = await this.opts.disk.state();
      if (disk.low) {
        // Queued jobs wait (the 2 s poll looks again); creates are refused meanwhile.
        if (!this.diskLow) this.log.warn({ freeBytes: disk.freeBytes, minFreeBytes: disk.minFreeBytes }, 'Jobs:DiskLow');
        this.diskLow = true;
        return;
      }
      this.diskLow = false;
    }
    while (!this.stopping && this.running.size < this.opts.concurrency) {
      const job = await this.storage.jobs.claim(this.owner, this.opts.leaseMs);
      if (!job) return;
      if (this.stopping) {
        await this.storage.jobs.requeue(job.id, { owner: this.owner, attempt: job.attempts });
        return;
      }
      const abort = new AbortController();
      const entry: { abort: AbortController; reason?: StopReason; done: Promise<void> } = { abort, done: Promise.resolve() };
      this.running.set(job.id, entry);
      entry.done = this.run(job, abort.signal, () => entry.reason).finally(() => {
        this.running.delete(job.id);
        this.wake();
      });
    }
  }

  /** Abort a job this node runs (its run then ends as the reason says). */
  private stopJob(jobId: string, reason: StopReason): void {
    const r = this.running.get(jobId);
    if (!r) return;
    r.reason ??= reason;
    r.abort.abort();
  }

  async cancel(jobId: string): Promise<void> {
    this.stopJob(jobId, 'deleted');
    await this.running.get(jobId)?.done;
  }

  /** Stop claiming; let running jobs finish within the grace period, then abort and requeue them. */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    this.unsubscribe?.();
    if (this.timer) clearInterval(this.timer);
    const all = Promise.all([...this.running.values()].map((r) => r.done));
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), graceMs).unref());
    if ((await Promise.race([all, timeout])) === 'timeout') {
      for (const id of this.running.keys()) this.stopJob(id, 'shutdown');
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

  /**
   * Run one claimed job. `lease.attempt` (the claim's number) fences every write; it is also what makes
   * an attempt's output names its own.
   */
  private async run(job: JobRow, signal: AbortSignal, reason: () => StopReason | undefined): Promise<void> {
    const lease: JobLease = { owner: this.owner, attempt: job.attempts };
    const log = this.log.child({ jobId: job.id, orgId: job.org_id, nodeId: this.owner, attempt: lease.attempt });
    const started = performance.now();
    const prefix = attemptPrefix(job.id, lease.attempt);
    const progress = new Map<string, { done: number; total: number }>();
    let stage = 'clipping';
    let told = { progress: 0, stage: 'starting' };
    /**
     * The pool's threads while this attempt's tasks ran (seen at each task's start, progress message and
     * heartbeat): an aborted task's thread must have exited before the attempt's staging is removed.
     */
    const threads = new Set<Worker>();
    const seeThreads = (): void => {
      for (const w of this.pool.threads) threads.add(w);
    };
    const beat = async (): Promise<void> => {
      seeThreads();
      let done = 0;
      let total = 0;
      for (const p of progress.values()) { done += p.done; total += p.total; }
      const keysCount = Math.max(1, (JSON.parse(job.outputs_requested) as string[]).length);
      const frac = Math.min(0.99, total > 0 ? (done / total) * (progress.size / keysCount) : 0);
      // A progress event when it moved enough (the event stream shows it; its steps are few per job).
      const event = frac - told.progress >= ProgressEventStep || stage !== told.stage;
      try {
        const kept = await this.storage.jobs.heartbeat(job.id, lease, frac, stage, this.opts.leaseMs, undefined, event);
        if (kept && event) told = { progress: frac, stage };
        if (!kept) {
          // Deleted (on any node: this is how a node without notices hears of it) or claimed again.
          this.stopJob(job.id, (await this.storage.jobs.get(job.id))?.deleted_at ? 'deleted' : 'lease_lost');
        }
      } catch (err) {
        // The database is unreachable: keep working; if the lease runs out meanwhile, the fence refuses our writes.
        log.warn({ err }, 'Job:HeartbeatFailed');
      }
    };
    let beating: Promise<void> = Promise.resolve();
    const heartbeat = setInterval(() => { beating = beating.then(beat); }, Math.max(200, Math.min(1000, this.opts.leaseMs / 3)));
    try {
      log.info('Job:Started');
      const sources = await this.sources(job);
      const results: { key: string; fileName: string; rel: string; r: ClipTaskResult }[] = [];
      const stem = safeStem(job.output_name ?? job.aoi_name ?? job.id);
      for (const src of sources) {
        const out = `${prefix}${safeStem(src.key)}.tif`;
        const channel = new MessageChannel();
        channel.port1.on('message', (m: { done: number; total: number }) => {
          progress.set(src.key, m);
          seeThreads();
        });
        const task: ClipTask = { source: src.file, aoi: JSON.parse(job.aoi) as unknown, output: out, progress: channel.port2 };
        try {
          const running = this.pool.run(task, { transferList: [channel.port2], signal });
          seeThreads();
          const answer = (await running.catch((err: unknown) => {
            throw signal.aborted ? err : workerFailure(err);
          })) as ClipTaskResult | { error: { code: string; message: string } };
          if ('error' in answer) throw asAppError(answer.error);
          results.push({ key: src.key, fileName: `${stem}_${safeStem(src.key)}.tif`, rel: out, r: answer });
        } finally {
          channel.port1.close();
        }
      }
      stage = 'finishing';
      const renders = Object.fromEntries(results.map((x) => [x.key, x.r.renderDefaults]));
      const outputs = results.map((x) => ({ output_key: x.key, file_name: x.fileName, rel_path: x.rel, size_bytes: x.r.size, sha256: x.r.sha256, media_type: CogMediaType, info: JSON.stringify({ ...x.r.info, ...(x.r.stac ? { stac: x.r.stac } : {}) }) }));
      clearInterval(heartbeat);
      await beating;
      if (await this.storage.jobs.complete(job.id, lease, outputs, JSON.stringify(renders), undefined, { defaultDays: this.opts.retentionDays ?? 0 })) {
        this.opts.metrics?.clipFinished('completed', (performance.now() - started) / 1000);
        log.info({ durationMs: Math.round(performance.now() - started), outputs: results.length, stagesMs: stageSums(results.map((x) => x.r.stages)) }, 'Job:Completed');
        await this.dropOtherAttempts(job.id, prefix);
      } else {
        this.opts.metrics?.clipFinished('aborted', (performance.now() - started) / 1000);
        log.warn('Job:LeaseLost');
        await this.afterLoss(job.id, prefix);
      }
    } catch (err) {
      clearInterval(heartbeat);
      await beating;
      if (signal.aborted) {
        const why = reason() ?? 'shutdown';
        this.opts.metrics?.clipFinished('aborted', (performance.now() - started) / 1000);
        log.info({ reason: why }, 'Job:Aborted');
        if (why === 'shutdown') await this.storage.jobs.requeue(job.id, lease).catch((e: unknown) => log.warn({ err: e }, 'Job:RequeueFailed'));
        else await this.afterLoss(job.id, prefix);
        return;
      }
      const e = asAppError(err);
      this.opts.metrics?.clipFinished('failed', (performance.now() - started) / 1000);
      const message = e.code === 'internal_error' ? 'The clip failed unexpectedly' : e.message;
      if (statusOf(e.code) >= 500) log.error({ err, code: e.code }, 'Job:Crashed');
      else log.warn({ code: e.code, message }, 'Job:Failed');
      if (await this.storage.jobs.fail(job.id, lease, { code: e.code, message })) {
        await this.removeAttempt(prefix);
        // A thread that died mid-clip may have left file operations in flight on libuv's pool, landing after
        // that removal (a spool opened): once a new thread answers (slower to start than a file operation to
        // finish), remove once more.
        if (e.code === 'worker_out_of_memory' || e.code === 'worker_crashed') {
          await this.pool.run({ ping: true }).catch(() => undefined);
          await this.removeAttempt(prefix);
        }
      } else await this.afterLoss(job.id, prefix);
    } finally {
      clearInterval(heartbeat);
      if (signal.aborted) await endedThreadsExited(this.pool, threads);
      await this.files.discardStaged(prefix).catch((err: unknown) => log.warn({ err }, 'Job:CleanupFailed'));
    }
  }

  private async removeAttempt(prefix: string): Promise<void> {
    await this.files.deletePrefix(prefix).catch((err: unknown) => this.log.warn({ err, prefix }, 'Job:CleanupFailed'));
  }

  /**
   * This node's claim ended before the job did: when the job was deleted (on any node), remove what this
   * attempt wrote (the deleting node may have removed the job's files before the last one landed); when
   * another claim took over, its completion removes this attempt's files with the other stale ones.
   */
  private async afterLoss(jobId: string, prefix: string): Promise<void> {
    const now = await this.storage.jobs.get(jobId).catch(() => undefined);
    if (now?.deleted_at) await this.removeAttempt(prefix);
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
