/**
 * Gauges read when Prometheus scrapes a node, never on a request path: jobs by state, the queue's depth
 * and the age of its oldest job, running jobs past their lease (shared by every node of a database, so
 * every node reports the same values), this node's running jobs and render threads, its database pool,
 * the S3 requests it made, and which node it is. A database that does not answer is `geopera_database_up 0`
 * (the job gauges are then absent rather than stale).
 */
import { Gauge, type Registry } from 'prom-client';
import type { JobStatus } from '../storage/job.store.js';
import type { Storage } from '../storage/storage.js';

/** What the gauges read. */
export interface GaugeSources {
  storage: Storage;
  nodeId: string;
  /** `local` or `s3` */
  files: string;
  version: string;
  /** Jobs this node runs now */
  runningHere(): number;
  /** Tile render threads running now */
  tileThreads(): number;
  /** S3 requests this process made so far, by command (none on local disk) */
  s3Calls?(): Record<string, number>;
}

export class ScrapeGauges {
  private readonly up: Gauge;
  private readonly jobs: Gauge<'state'>;
  private readonly depth: Gauge;
  private readonly oldest: Gauge;
  private readonly expired: Gauge;
  private readonly pool: Gauge<'state'>;
  private readonly poolMax: Gauge;
  private readonly running: Gauge;
  private readonly threads: Gauge;
  private readonly s3: Gauge<'command'>;

  constructor(registry: Registry, private readonly sources: GaugeSources) {
    const registers = [registry];
    const info = new Gauge({ name: 'geopera_node_info', help: 'Which node answers: its GEOPERA_NODE_ID, version, database engine and file store (always 1)', labelNames: ['node_id', 'version', 'database', 'files'], registers });
    info.set({ node_id: sources.nodeId, version: sources.version, database: sources.storage.backend, files: sources.files }, 1);
    this.up = new Gauge({ name: 'geopera_database_up', help: '1 when the database answered this scrape\'s queries, else 0', registers });
    this.jobs = new Gauge({ name: 'geopera_jobs', help: 'Jobs (not deleted) by state, in the whole database', labelNames: ['state'], registers });
    this.depth = new Gauge({ name: 'geopera_queue_depth', help: 'Jobs waiting to be claimed (queued), in the whole database', registers });
    this.oldest = new Gauge({ name: 'geopera_queue_oldest_age_seconds', help: 'Age of the oldest queued job by the database\'s clock (0 when none waits)', registers });
    this.expired = new Gauge({ name: 'geopera_jobs_lease_expired', help: 'Running jobs whose lease ran out (their node died or stalled; another node takes them over)', registers });
    this.running = new Gauge({ name: 'geopera_jobs_running_here', help: 'Jobs this node runs now', registers });
    this.threads = new Gauge({ name: 'geopera_tile_threads', help: 'Tile render threads this node runs now (one started with the server, more by tiles; ended when idle)', registers });
    this.pool = new Gauge({ name: 'geopera_database_connections', help: 'This node\'s database connections by state: total (open), idle, waiting (callers waiting for one); SQLite has one', labelNames: ['state'], registers });
    this.poolMax = new Gauge({ name: 'geopera_database_connections_max', help: 'Most database connections this node opens (GEOPERA_DATABASE_POOL; 1 for SQLite)', registers });
    this.s3 = new Gauge({ name: 'geopera_s3_requests', help: 'S3 requests this node\'s server thread made since it started, by command (clip and tile threads count their own)', labelNames: ['command'], registers });
  }

  /** Read everything once, for one scrape. */
  async refresh(): Promise<void> {
    const s = this.sources;
    const pool = s.storage.poolStats();
    this.poolMax.set(pool.max);
    for (const state of ['total', 'idle', 'waiting'] as const) this.pool.set({ state }, pool[state]);
    this.running.set(s.runningHere());
    this.threads.set(s.tileThreads());
    for (const [command, n] of Object.entries(s.s3Calls?.() ?? {})) this.s3.set({ command }, n);
    try {
      const stats = await s.storage.jobs.stats();
      for (const [state, n] of Object.entries(stats.byStatus) as [JobStatus, number][]) this.jobs.set({ state }, n);
      this.depth.set(stats.byStatus.queued);
      this.oldest.set(stats.oldestQueuedMs / 1000);
      this.expired.set(stats.leaseExpired);
      this.up.set(1);
    } catch {
      for (const g of [this.jobs, this.depth, this.oldest, this.expired]) g.reset();
      this.up.set(0);
    }
  }
}
