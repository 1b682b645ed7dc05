/**
 * Where job updates come from: the lifecycle event stream (`EventJobFeed`, job.events.feed.ts) when the server
 * has one, else polling `clip.jobs.list` while any job is queued or running (1 s, slowing to 5 s while nothing
 * moves). Both push job reads into `onJobs`.
 */
import { mergeJobs, nextPollMs, type JobView } from '../state/job.states.js';

export interface JobFeed {
  /** Read the whole list now (after an order, a delete, or sign-in) */
  refresh(): Promise<void>;
  stop(): void;
}

export interface PollingFeedOptions {
  /** Read the org's jobs (newest first) */
  list: () => Promise<JobView[]>;
  /** Called with the merged list and the ids whose status changed */
  onJobs: (jobs: JobView[], statusChanged: string[]) => void;
  onError: (err: unknown) => void;
  /** The jobs held now */
  current: () => JobView[];
}

export class PollingJobFeed implements JobFeed {
  #timer: ReturnType<typeof setTimeout> | undefined;
  #unchanged = 0;
  #stopped = false;
  #inFlight: Promise<void> | undefined;

  constructor(private readonly opts: PollingFeedOptions) {}

  refresh(): Promise<void> {
    this.#unchanged = 0;
    return this.run();
  }

  private run(): Promise<void> {
    this.#inFlight ??= this.poll().finally(() => { this.#inFlight = undefined; });
    return this.#inFlight;
  }

  private async poll(): Promise<void> {
    clearTimeout(this.#timer);
    if (this.#stopped) return;
    try {
      const read = await this.opts.list();
      if (this.#stopped) return;
      const merged = mergeJobs(this.opts.current(), read, true);
      this.#unchanged = merged.changed ? 0 : this.#unchanged + 1;
      if (merged.changed) this.opts.onJobs(merged.jobs, merged.statusChanged);
    } catch (err) {
      this.#unchanged++;
      this.opts.onError(err);
    }
    const active = this.opts.current().filter((j) => j.status === 'queued' || j.status === 'running').length;
    const delay = nextPollMs(active, this.#unchanged);
    if (delay !== undefined && !this.#stopped) this.#timer = setTimeout(() => { void this.run(); }, delay);
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }
}
