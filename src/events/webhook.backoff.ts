/**
 * When a failed webhook delivery is tried again: exponential backoff from 5 s, doubling per attempt up to an
 * hour, with "equal jitter" (half the delay fixed, half random) so that many deliveries failing together do
 * not come back together; tried for a day (DeliveryWindowMs), then given up.
 */

/** First retry delay, ms */
export const FirstRetryMs = 5_000;
/** Longest retry delay, ms */
export const MaxRetryMs = 3_600_000;

/**
 * The time of the next try after the `attempt`-th (1-based) failed at `now`, or null when it would fall past
 * `giveUpAt`. `random` answers in [0, 1).
 */
export function nextAttemptAt(attempt: number, now: number, giveUpAt: number, random: () => number): number | null {
  const ceiling = Math.min(MaxRetryMs, FirstRetryMs * 2 ** Math.max(0, attempt - 1));
  const delay = Math.round(ceiling / 2 + random() * (ceiling / 2));
  const at = now + delay;
  return at > giveUpAt ? null : at;
}
