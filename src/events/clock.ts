/**
 * Time as the lifecycle loops see it (webhook dispatch, retention sweeps, event streams): the database's
 * clock for what is stored and compared across nodes, and timers; tests hand in a clock they move by hand.
 */

/** A timer handle (whatever `setTimeout` answered). */
export type TimerHandle = unknown;

export interface Clock {
  /** Milliseconds since the epoch */
  now(): number;
  /** Call `fn` after `ms` (an unref'd timer: it never keeps the process alive) */
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** The system's timers with a given notion of now (the database's clock). */
export function systemClock(now: () => number = Date.now): Clock {
  return {
    now,
    setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
    clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
  };
}

/** Resolve after `ms` on `clock`. */
export function sleepOn(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.setTimeout(resolve, ms));
}
