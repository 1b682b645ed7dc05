/**
 * When to retry a call and how long to wait: network errors, 429, 502/503/504 and a 409
 * `idempotency_key_in_flight` are retried with exponential backoff and jitter, honouring `Retry-After`.
 * Pure functions; the transport applies them.
 */

export interface RetryOptions {
  /** Retries after the first attempt (0 disables retrying) */
  retries: number;
  /** First backoff delay in ms; doubles per attempt */
  baseDelayMs: number;
  /** Longest backoff delay in ms */
  maxBackoffMs: number;
  /** Longest `Retry-After` in ms the client will wait; a longer one is thrown to the caller instead */
  maxRetryAfterMs: number;
  /** How to wait between attempts (default `sleep`: a timer) */
  sleep?: Sleep;
}

/** Waits `ms`, or rejects with the signal's reason when it aborts first. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const DefaultRetry: RetryOptions = { retries: 3, baseDelayMs: 500, maxBackoffMs: 8000, maxRetryAfterMs: 60_000 };

/** Statuses worth another attempt (the request did not take effect, or replays safely). */
export function isRetryableStatus(status: number, code: string | undefined): boolean {
  if (status === 429) return code !== 'egress_quota_exceeded';
  if (status === 409) return code === 'idempotency_key_in_flight';
  return status === 502 || status === 503 || status === 504;
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date; undefined when absent or unparsable. */
export function parseRetryAfter(header: string | null | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const text = header.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Backoff before retry number `attempt` (0-based): base·2^attempt capped, with "equal jitter" (half fixed, half random). */
export function backoffMs(attempt: number, opts: RetryOptions, random: () => number = Math.random): number {
  const ceiling = Math.min(opts.maxBackoffMs, opts.baseDelayMs * 2 ** attempt);
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

/**
 * The delay before the next attempt, or undefined when not to retry: attempts used up, or a
 * `Retry-After` beyond `maxRetryAfterMs` (e.g. an egress quota that resets in an hour).
 */
export function nextDelayMs(attempt: number, retryAfterMs: number | undefined, opts: RetryOptions, random: () => number = Math.random): number | undefined {
  if (attempt >= opts.retries) return undefined;
  if (retryAfterMs !== undefined) return retryAfterMs > opts.maxRetryAfterMs ? undefined : retryAfterMs;
  return backoffMs(attempt, opts, random);
}

/** Wait `ms` on a timer, or reject with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
