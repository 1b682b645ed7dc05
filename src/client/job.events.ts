/**
 * Waiting for a job on the server's event stream (`GET /v1/events?job_id=…`, Server-Sent Events) instead of
 * polling: one request carries every state change and progress step as it happens. A server without the
 * stream (the hosted API, an older geopera: any answer but a `text/event-stream` 2xx), a refused stream
 * (429 when the org has its limit open) or a stream that ends early falls back to polling `clip.job.get`.
 */
import type { Job } from './client.types.js';
import { FinalStatuses, waitForJob, type WaitOptions } from './job.wait.js';
import { GeoperaError } from './geopera.error.js';
import { NoEventStream, type SseFrame } from './sse.frames.js';

export interface EventWaitPorts {
  /** Read the job (`clip.job.get`) */
  getJob: (signal?: AbortSignal) => Promise<Job>;
  /** Open the job's event stream (its frames); rejects when the server has none or refuses it */
  openEvents: (signal: AbortSignal) => Promise<AsyncIterable<SseFrame>>;
}

/** Job events whose `data` is the job resource at that time (`job.deleted`/`job.expired` end nothing for a waiter: it reads the job again). */
const JobEvents = new Set(['job.queued', 'job.running', 'job.progress', 'job.completed', 'job.failed', 'job.canceled']);

/** Why a wait polls instead of following the stream: the server's answer, else what failed on the way. */
function whyNoStream(err: unknown): string {
  if (err instanceof GeoperaError) return `${err.status === 404 ? 'no event stream' : 'event stream refused'}: HTTP ${err.status}${err.code ? ` ${err.code}` : ''}`;
  if (err instanceof NoEventStream) return `no event stream: ${err.message}`;
  return `event stream unreachable: ${err instanceof Error ? err.message : String(err)}`;
}

/** Open the stream: its frames, else why not (the caller polls). */
async function openStream(ports: EventWaitPorts, signal: AbortSignal): Promise<{ frames: AsyncIterable<SseFrame> } | { why: string }> {
  try {
    return { frames: await ports.openEvents(signal) };
  } catch (err) {
    if (signal.aborted) throw err;
    return { why: whyNoStream(err) };
  }
}

/**
 * Follow the job on its event stream, else poll; resolves the final job as `clip.job.get` answers it.
 * `onMode` says which way was taken, and why it polls (also when a stream that ended early gave way to polling).
 */
export async function waitForJobEvents(ports: EventWaitPorts, opts: WaitOptions = {}): Promise<Job> {
  const ctl = new AbortController();
  const abort = (): void => ctl.abort(opts.signal?.reason);
  opts.signal?.addEventListener('abort', abort, { once: true });
  const timer = opts.timeoutMs === undefined ? undefined : setTimeout(() => ctl.abort(new Error(`Job still not final after ${opts.timeoutMs} ms`)), opts.timeoutMs);
  const poll = (why: string): Promise<Job> => {
    opts.onMode?.('polling', why);
    return waitForJob(ports.getJob, { ...opts, signal: ctl.signal, timeoutMs: undefined });
  };
  try {
    const opened = await openStream(ports, ctl.signal);
    if ('why' in opened) return await poll(opened.why);
    opts.onMode?.('events');
    for await (const frame of opened.frames) {
      // `ready`: the stream is open from now on; what happened before it is read once. `gap`: events were pruned.
      const job = frame.event === 'ready' || frame.event === 'gap' ? await ports.getJob(ctl.signal) : JobEvents.has(frame.event) ? (frame.data as { data: Job }).data : undefined;
      if (!job) continue;
      opts.onProgress?.(job);
      if (FinalStatuses.includes(job.status)) return frame.event === 'ready' || frame.event === 'gap' ? job : await ports.getJob(ctl.signal);
    }
    // The stream ended before the job did (a restart, a proxy's timeout): poll from here.
    if (ctl.signal.aborted) throw ctl.signal.reason as Error;
    return await poll('the event stream ended before the job');
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', abort);
    ctl.abort();
  }
}
