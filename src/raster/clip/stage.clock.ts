/**
 * Where a clip's time goes, stage by stage, for profiles (`npm run bench:clip`). Each stage sums the
 * milliseconds of every call of it and counts the calls; calls of one stage may overlap (tiles run
 * several at once), so a stage's sum can pass the clip's wall time. Run a clip with `concurrency: 1`
 * to read the sums as a serial breakdown. A clip without a clock pays nothing.
 */

/** The stages of a clip, in the order they first happen (`summary`: decoding written tiles for the STAC statistics and thumbnail, summary.gather.ts; overlaps the other stages). */
export const ClipStages = ['open', 'plan', 'read', 'decode', 'mask', 'encode', 'overviews', 'stats', 'write', 'assemble', 'fsync', 'summary', 'store'] as const;
export type ClipStage = (typeof ClipStages)[number];

/** Milliseconds and calls per stage. */
export type StageTimes = Partial<Record<ClipStage, { ms: number; calls: number }>>;

export class StageClock {
  readonly times: StageTimes = {};

  /** Add `ms` to `stage`. */
  add(stage: ClipStage, ms: number): void {
    const t = (this.times[stage] ??= { ms: 0, calls: 0 });
    t.ms += ms;
    t.calls++;
  }

  /** Time a synchronous step. */
  sync<T>(stage: ClipStage, fn: () => T): T {
    const t0 = performance.now();
    try {
      return fn();
    } finally {
      this.add(stage, performance.now() - t0);
    }
  }

  /** Time an asynchronous step (from its call to its settling). */
  async time<T>(stage: ClipStage, fn: () => Promise<T>): Promise<T> {
    const t0 = performance.now();
    try {
      return await fn();
    } finally {
      this.add(stage, performance.now() - t0);
    }
  }
}

/** Time `fn` on `clock` when there is one, else just run it. */
export function timed<T>(clock: StageClock | undefined, stage: ClipStage, fn: () => Promise<T>): Promise<T> {
  return clock ? clock.time(stage, fn) : fn();
}

/** Synchronous `timed`. */
export function timedSync<T>(clock: StageClock | undefined, stage: ClipStage, fn: () => T): T {
  return clock ? clock.sync(stage, fn) : fn();
}

/** The stage times of several clips (a job's outputs) added up, ms rounded per stage: for a log line. */
export function stageSums(all: (StageTimes | undefined)[]): Partial<Record<ClipStage, number>> {
  const out: Partial<Record<ClipStage, number>> = {};
  for (const times of all) for (const [k, v] of Object.entries(times ?? {})) out[k as ClipStage] = (out[k as ClipStage] ?? 0) + v.ms;
  for (const k of Object.keys(out) as ClipStage[]) out[k] = Math.round(out[k]!);
  return out;
}
