/**
 * `GET /v1/events`: Server-Sent Events of an org's job events, read from the durable event table after a
 * cursor (the `Last-Event-ID` a client resumes from, else the org's last sequence number when it connects).
 *
 * Memory: a connection reads the next batch of events from the database only once the socket took the
 * previous one (`write` answered true, or `drain` came): what a slow reader has not taken stays in the
 * database, so a connection holds at most its socket's buffer plus one batch. A reader that takes nothing for
 * `stallMs` is closed; it resumes where it stopped with `Last-Event-ID`. Streams are bounded per org on each
 * node (429 `too_many_streams`).
 */
import type { ServerResponse } from 'node:http';
import { AppError } from '../errors/app.error.js';
import type { Logger } from '../log.js';
import { AnyOrg } from '../storage/event.signals.js';
import type { JobEventRow } from '../storage/event.store.js';
import type { Storage } from '../storage/storage.js';
import type { Clock, TimerHandle } from './clock.js';
import { eventPayload } from './event.payload.js';

export interface StreamOptions {
  /** Open streams per org on this node */
  perOrg: number;
  /** Keep-alive comment and credential check interval, ms (default 15 000) */
  pingMs?: number;
  /** A reader that takes nothing this long is closed, ms (default 60 000) */
  stallMs?: number;
  /** Events read from the database at a time (default 50) */
  batch?: number;
}

/** What one stream follows. */
export interface StreamRequest {
  orgId: string;
  /** Resume after this sequence number (`Last-Event-ID`); undefined: from now */
  after: number | undefined;
  /** Only this job's events */
  jobId?: string;
  /** Whether the stream's credential still holds (checked at each ping; a revoked key or expired token ends the stream) */
  stillValid: () => Promise<boolean>;
}

/** One SSE frame. */
export function sseFrame(event: string, data: unknown, id?: number): string {
  return `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** One open stream. */
class Connection {
  cursor = 0;
  /** Database reads made (tests watch them stop while the reader is stalled) */
  reads = 0;
  private wanted = true;
  private pumping = false;
  /** Set by `begin`: nothing is read or written before */
  private live = false;
  private blocked = false;
  closed = false;
  private stall: TimerHandle | undefined;
  private ping: TimerHandle | undefined;

  constructor(readonly req: StreamRequest, readonly res: ServerResponse, private readonly owner: EventStreams) {}

  /** Bytes written but not yet taken by the socket */
  get buffered(): number {
    return this.res.writableLength;
  }

  wake(): void {
    this.wanted = true;
    void this.pump();
  }

  /**
   * Begin sending events after `cursor`, once the head and the `ready` frame are written. A wake before that (an
   * event of the org while the stream was opening) only leaves it wanted: a write then would send the head
   * with the wrong status, and events from before the cursor.
   */
  begin(cursor: number): void {
    if (this.closed) return;
    this.cursor = cursor;
    this.live = true;
    this.schedulePing();
    this.wake();
  }

  async pump(): Promise<void> {
    if (this.pumping || !this.live) return;
    this.pumping = true;
    try {
      while (this.wanted && !this.blocked && !this.closed) {
        this.wanted = false;
        const rows = await this.owner.read(this.req, this.cursor);
        this.reads++;
        for (const row of rows) {
          if (this.closed) return;
          this.cursor = row.sequence;
          // The rest of the batch is written (at most one batch beyond the socket's buffer); no more is read until `drain`.
          if (!this.res.write(sseFrame(row.type, { ...eventPayload(row), sequence: row.sequence }, row.sequence)) && !this.blocked) this.block();
        }
        if (rows.length === this.owner.batch) this.wanted = true;
      }
    } catch (err) {
      this.owner.log.warn({ err, orgId: this.req.orgId }, 'Events:ReadFailed');
      this.close();
    } finally {
      this.pumping = false;
    }
  }

  private block(): void {
    this.blocked = true;
    const clock = this.owner.clock;
    this.stall = clock.setTimeout(() => {
      this.owner.log.info({ orgId: this.req.orgId, cursor: this.cursor, buffered: this.buffered }, 'Events:SlowReaderClosed');
      this.close();
    }, this.owner.stallMs);
    this.res.once('drain', () => {
      clock.clearTimeout(this.stall);
      this.blocked = false;
      this.wake();
    });
  }

  schedulePing(): void {
    this.ping = this.owner.clock.setTimeout(() => {
      void (async () => {
        if (this.closed) return;
        if (!(await this.req.stillValid().catch(() => false))) {
          this.close();
          return;
        }
        if (!this.blocked) this.res.write(': ping\n\n');
        this.schedulePing();
      })();
    }, this.owner.pingMs);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.owner.clock.clearTimeout(this.stall);
    this.owner.clock.clearTimeout(this.ping);
    this.res.destroy();
  }
}

export class EventStreams {
  private readonly byOrg = new Map<string, Set<Connection>>();
  private unsubscribe: (() => void) | undefined;
  readonly batch: number;
  readonly pingMs: number;
  readonly stallMs: number;

  constructor(private readonly storage: Storage, readonly clock: Clock, readonly log: Logger, private readonly opts: StreamOptions) {
    this.batch = opts.batch ?? 50;
    this.pingMs = opts.pingMs ?? 15_000;
    this.stallMs = opts.stallMs ?? 60_000;
  }

  /** Hear new events (of this node and the others). */
  start(): void {
    this.unsubscribe = this.storage.signals.subscribe((orgId) => {
      const conns = orgId === AnyOrg ? [...this.byOrg.values()].flatMap((s) => [...s]) : [...(this.byOrg.get(orgId) ?? [])];
      for (const c of conns) c.wake();
    });
  }

  /** Refuse (429 `too_many_streams`) when the org has its limit of streams open on this node. */
  admit(orgId: string): void {
    const open = this.byOrg.get(orgId)?.size ?? 0;
    if (open >= this.opts.perOrg) {
      throw new AppError('too_many_streams', `This organization has ${open} event streams open on this server (the limit); close one or retry later`, { headers: { 'Retry-After': '10' } });
    }
  }

  read(req: StreamRequest, after: number): Promise<JobEventRow[]> {
    return this.storage.events.after(req.orgId, after, this.batch, req.jobId);
  }

  /** Serve one stream on `res` (headers not yet sent); resolves when it ends. */
  async serve(req: StreamRequest, res: ServerResponse): Promise<void> {
    this.admit(req.orgId);
    const conn = new Connection(req, res, this);
    const set = this.byOrg.get(req.orgId) ?? new Set<Connection>();
    set.add(conn);
    this.byOrg.set(req.orgId, set);
    const ended = new Promise<void>((resolve) => res.once('close', resolve));
    try {
      const last = await this.storage.events.last(req.orgId);
      const after = req.after === undefined || req.after > last ? last : req.after;
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
      res.write(`retry: 2000\n\n${sseFrame('ready', { organization_id: req.orgId, last_event_id: String(after) }, after)}`);
      if (req.after !== undefined && req.after < last) {
        const first = await this.storage.events.first(req.orgId);
        // Events between the client's cursor and the oldest one kept were pruned: it should read the jobs again.
        if (first === undefined || first > req.after + 1) res.write(sseFrame('gap', { from: req.after + 1, to: (first ?? last + 1) - 1 }));
      }
      conn.begin(after);
      await ended;
    } finally {
      conn.close();
      set.delete(conn);
      if (set.size === 0) this.byOrg.delete(req.orgId);
    }
  }

  /** Open streams and what each holds (for tests and logs). */
  stats(): { orgId: string; cursor: number; buffered: number; reads: number }[] {
    return [...this.byOrg.values()].flatMap((s) => [...s].map((c) => ({ orgId: c.req.orgId, cursor: c.cursor, buffered: c.buffered, reads: c.reads })));
  }

  /** Close every stream. */
  stop(): void {
    this.unsubscribe?.();
    for (const set of this.byOrg.values()) for (const c of set) c.close();
  }
}
