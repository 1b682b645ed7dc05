/**
 * A bound on the tiles a clip works on at once, shared by full-resolution tiles and overview tiles, so the
 * codecs (on libuv's thread pool) always have work queued and memory holds at most `limit()` tiles in
 * flight. The bound is read at each `acquire`, so it may change while a clip runs (fewer tiles at once
 * while map tiles are being drawn: see `ClipOptions.concurrency`).
 */
export class WorkLimit {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  /** Work started and not yet settled */
  private readonly inFlight = new Set<Promise<unknown>>();
  /** The first failure of work started with `spawn` */
  private failure: { error: unknown } | undefined;

  constructor(private readonly limit: () => number) {}

  /** Resolves once fewer than `limit()` pieces of work are running. */
  private acquire(): Promise<void> {
    if (this.active < Math.max(1, this.limit())) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(() => {
      this.active++;
      resolve();
    }));
  }

  private release(): void {
    this.active--;
    while (this.waiting.length > 0 && this.active < Math.max(1, this.limit())) this.waiting.shift()!();
  }

  /**
   * Wait for a free slot, then start `work` in it; resolves once it started, with its promise as `done`
   * (already handled: a failure is also kept for `drain`). Throws a failure of earlier work instead of
   * starting more.
   */
  async spawn<T>(work: () => Promise<T>): Promise<{ done: Promise<T> }> {
    await this.acquire();
    if (this.failure) {
      this.release();
      throw this.failure.error;
    }
    // An async wrapper turns a synchronous throw of `work` into a rejection.
    const p = (async () => work())().finally(() => {
      this.release();
      this.inFlight.delete(p);
    });
    this.inFlight.add(p);
    p.catch((error: unknown) => {
      this.failure ??= { error };
    });
    return { done: p };
  }

  /** Wait for all work started so far; throws the first failure. */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    if (this.failure) throw this.failure.error;
  }

  /** Wait for all work started so far, failed or not (before cleaning up after a failure). */
  async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }
}
