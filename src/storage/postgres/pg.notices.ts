/**
 * Job notices between nodes over LISTEN/NOTIFY: one connection of each node listens on `geopera_jobs`;
 * a notice is `queued:<job id>`, `canceled:<job id>` or `event:<org id>`. A lost listening connection is opened again
 * (and its listeners woken, for what they may have missed: heartbeats and the claim poll cover the gap).
 */
import pg from 'pg';
import type { Logger } from '../../log.js';
import type { JobNotice, JobNotices } from '../job.notices.js';

const Channel = 'geopera_jobs';
/** Wait before opening a lost listening connection again, ms */
const ReconnectMs = 1000;

export class PgNotices implements JobNotices {
  private readonly listeners = new Set<(n: JobNotice) => void>();
  private client: pg.Client | undefined;
  private closed = false;
  private retry: NodeJS.Timeout | undefined;

  constructor(private readonly url: string, private readonly pool: pg.Pool, private readonly log?: Logger) {}

  async publish(n: JobNotice): Promise<void> {
    await this.pool.query('SELECT pg_notify($1, $2)', [Channel, `${n.kind}:${n.kind === 'event' ? n.orgId : n.jobId}`]);
  }

  subscribe(listener: (n: JobNotice) => void): () => void {
    this.listeners.add(listener);
    if (!this.client && !this.retry) void this.listen();
    return () => this.listeners.delete(listener);
  }

  private emit(n: JobNotice): void {
    for (const l of this.listeners) l(n);
  }

  private async listen(): Promise<void> {
    this.retry = undefined;
    if (this.closed || this.listeners.size === 0) return;
    const c = new pg.Client({ connectionString: this.url });
    const lost = (err?: Error): void => {
      if (this.client !== c) return;
      this.client = undefined;
      c.removeAllListeners();
      void c.end().catch(() => {});
      if (this.closed) return;
      this.log?.warn({ err }, 'Notices:ConnectionLost');
      this.retry = setTimeout(() => void this.listen(), ReconnectMs);
      this.retry.unref();
    };
    this.client = c;
    c.on('error', lost);
    c.on('end', () => lost());
    c.on('notification', (m) => {
      const [kind, jobId] = (m.payload ?? '').split(':', 2);
      if ((kind === 'queued' || kind === 'canceled') && jobId) this.emit({ kind, jobId });
      else if (kind === 'event' && jobId) this.emit({ kind, orgId: jobId });
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${Channel}`);
      this.emit({ kind: 'queued', jobId: '' });
    } catch (err) {
      lost(err as Error);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    const c = this.client;
    this.client = undefined;
    if (c) {
      c.removeAllListeners();
      c.on('error', () => {});
      await c.end().catch(() => {});
    }
  }
}
