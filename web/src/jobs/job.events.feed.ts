/**
 * Job updates pushed by the lifecycle event stream (`GET /v1/events`, read with fetch so that the Bearer token
 * goes in a header): the list is read once each time the stream is ready (and after a `gap`), then each job
 * event's job is merged as it comes; a deleted job leaves the list. A dropped stream is opened again after
 * its last event (`Last-Event-ID`), 2 s later, then 4 s, 6 s; a server without the stream (the hosted API, an
 * older geopera), or three failures in a row, hand over to polling (`PollingJobFeed`).
 */
import { NoEventStream, type SseFrame } from '../../../src/client/index.js';
import { mergeJobs, type JobView } from '../state/job.states.js';
import { PollingJobFeed, type JobFeed, type PollingFeedOptions } from './job.feed.js';

export interface EventFeedOptions extends PollingFeedOptions {
  /** Open the org's event stream after `lastEventId` (rejects, or throws `NoEventStream`, when there is none) */
  open: (lastEventId: string | undefined, signal: AbortSignal) => Promise<AsyncIterable<SseFrame>>;
  /** Wait before opening again, ms (tests pass a short one) */
  retryMs?: number;
  /** Told when the feed gives up the stream and polls */
  onPolling?: (why: unknown) => void;
}

/** Failed opens in a row before the feed polls instead. */
const MaxFailures = 3;

/** Whether an open failed because the server has no stream (not a passing failure). */
function noStream(err: unknown): boolean {
  const status = (err as { status?: number } | null)?.status;
  return err instanceof NoEventStream || status === 404 || status === 405 || status === 501;
}

export class EventJobFeed implements JobFeed {
  #stopped = false;
  #lastId: string | undefined;
  #polling: PollingJobFeed | undefined;
  readonly #ctl = new AbortController();
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Ends when the feed stops or hands over to polling */
  readonly done: Promise<void>;

  constructor(private readonly opts: EventFeedOptions) {
    this.done = this.follow();
  }

  refresh(): Promise<void> {
    if (this.#polling) return this.#polling.refresh();
    return this.readList();
  }

  private async readList(): Promise<void> {
    try {
      const read = await this.opts.list();
      if (this.#stopped) return;
      const merged = mergeJobs(this.opts.current(), read, true);
      if (merged.changed) this.opts.onJobs(merged.jobs, merged.statusChanged);
    } catch (err) {
      this.opts.onError(err);
    }
  }

  private apply(frame: SseFrame): Promise<void> | undefined {
    if (frame.event === 'ready' || frame.event === 'gap') return this.readList();
    if (!frame.event.startsWith('job.')) return undefined;
    const job = (frame.data as { data?: JobView }).data;
    if (!job?.id) return undefined;
    const held = this.opts.current();
    if (frame.event === 'job.deleted') {
      if (held.some((j) => j.id === job.id)) this.opts.onJobs(held.filter((j) => j.id !== job.id), []);
      return undefined;
    }
    const merged = mergeJobs(held, [job], false);
    if (merged.changed) this.opts.onJobs(merged.jobs, merged.statusChanged);
    return undefined;
  }

  private async follow(): Promise<void> {
    let failures = 0;
    while (!this.#stopped) {
      try {
        const frames = await this.opts.open(this.#lastId, this.#ctl.signal);
        for await (const frame of frames) {
          if (this.#stopped) return;
          if (frame.id !== undefined) this.#lastId = frame.id;
          if (frame.event === 'ready') failures = 0;
          await this.apply(frame);
        }
        failures++;
      } catch (err) {
        if (this.#stopped) return;
        failures++;
        if (noStream(err) || failures >= MaxFailures) return this.poll(err);
        this.opts.onError(err);
      }
      if (failures >= MaxFailures) return this.poll(new Error('the event stream keeps ending'));
      await new Promise<void>((resolve) => {
        this.#timer = setTimeout(resolve, (this.opts.retryMs ?? 2000) * failures);
        this.#ctl.signal.addEventListener('abort', () => resolve(), { once: true });
      });
    }
  }

  private poll(why: unknown): void {
    if (this.#stopped) return;
    this.opts.onPolling?.(why);
    this.#polling = new PollingJobFeed(this.opts);
    void this.#polling.refresh();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#ctl.abort();
    this.#polling?.stop();
  }
}
