/**
 * The retention sweeper every node runs: it claims completed jobs past their `expires_at` (leased, SKIP
 * LOCKED on PostgreSQL: one node sweeps a job; another takes over if it dies), deletes their files through
 * the file store, and then records `job.expired` (fenced by its claim). The job's row, outputs' records and
 * ledgers stay; its downloads, tiles and STAC Item answer 410 `job_expired` from then on.
 */
import type { FileStore } from '../files/file.store.js';
import type { Logger } from '../log.js';
import type { Storage } from '../storage/storage.js';
import type { Clock, TimerHandle } from './clock.js';

export interface SweeperOptions {
  nodeId: string;
  clock: Clock;
  /** How often to look for expired jobs, ms (default 60 000) */
  everyMs?: number;
  /** Jobs claimed a pass (default 20) */
  batch?: number;
}

/** A claim's lease: long enough to delete a job's files. */
const LeaseMs = 5 * 60_000;

export class RetentionSweeper {
  private timer: TimerHandle | undefined;
  private stopped = true;
  private running: Promise<number> | undefined;

  constructor(private readonly storage: Storage, private readonly files: FileStore, private readonly log: Logger, private readonly opts: SweeperOptions) {}

  start(): void {
    this.stopped = false;
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) this.opts.clock.clearTimeout(this.timer);
    await this.running?.catch(() => 0);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = this.opts.clock.setTimeout(() => {
      void this.sweep().catch((err: unknown) => this.log.warn({ err }, 'Retention:SweepFailed')).finally(() => this.schedule());
    }, this.opts.everyMs ?? 60_000);
  }

  /** Sweep what is expired now (by the clock); resolves to the jobs expired by this node. One pass at a time. */
  sweep(): Promise<number> {
    this.running ??= this.pass().finally(() => { this.running = undefined; });
    return this.running;
  }

  private async pass(): Promise<number> {
    let expired = 0;
    for (;;) {
      const jobs = await this.storage.jobs.claimExpired(this.opts.nodeId, this.opts.batch ?? 20, LeaseMs, this.opts.clock.now());
      if (jobs.length === 0) return expired;
      for (const job of jobs) {
        const removed = await this.files.deletePrefix(`jobs/${job.id}/`);
        if (await this.storage.jobs.markExpired(job.id, this.opts.nodeId, this.opts.clock.now())) {
          expired++;
          this.log.info({ jobId: job.id, orgId: job.org_id, filesRemoved: removed, expiresAt: job.expires_at }, 'Job:Expired');
        }
      }
    }
  }
}
