/** Poll a job until it is `completed`, `failed` or `canceled`, backing off while nothing changes. */
import type { Job } from './client.types.js';
import { sleep } from './retry.policy.js';

/** Statuses after which a job never changes again. */
export const FinalStatuses: readonly string[] = ['completed', 'failed', 'canceled'];

export interface WaitOptions {
  /** Called with every job state read (including the first and the last) */
  onProgress?: (job: Job) => void;
  signal?: AbortSignal;
  /** First poll interval in ms (default 500) */
  intervalMs?: number;
  /** Longest poll interval in ms (default 5000) */
  maxIntervalMs?: number;
  /** Give up after this many ms with an error (default: wait for ever, or until `signal` aborts) */
  timeoutMs?: number;
  /** Follow the job on the server's event stream when it offers one (default true; false: always poll) */
  events?: boolean;
  /**
   * Told how the wait follows the job: `events` (the stream) or `polling`, with why (`no event stream: HTTP 404 …`,
   * `event stream refused: HTTP 429 too_many_streams`, `event stream unreachable: …`, or the stream ended early)
   */
  onMode?: (mode: 'events' | 'polling', why?: string) => void;
}

/** The next poll interval: unchanged while the job moves, 1.5x longer while it does not. */
export function nextInterval(current: number, moved: boolean, max: number): number {
  return moved ? current : Math.min(max, Math.round(current * 1.5));
}

/** Resolve the final job (whatever its final status; check `job.status`). */
export async function waitForJob(getJob: (signal?: AbortSignal) => Promise<Job>, opts: WaitOptions = {}): Promise<Job> {
  const max = opts.maxIntervalMs ?? 5000;
  let interval = Math.min(opts.intervalMs ?? 500, max);
  const deadline = opts.timeoutMs === undefined ? Infinity : Date.now() + opts.timeoutMs;
  let last = '';
  for (;;) {
    const job = await getJob(opts.signal);
    opts.onProgress?.(job);
    if (FinalStatuses.includes(job.status)) return job;
    const state = `${job.status}|${job.progress}|${job.stage ?? ''}`;
    interval = nextInterval(interval, last === '' || state !== last, max);
    last = state;
    if (Date.now() + interval > deadline) throw new Error(`Job ${job.id} is still ${job.status} after ${opts.timeoutMs} ms`);
    await sleep(interval, opts.signal);
  }
}
