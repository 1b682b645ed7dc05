/**
 * Interactive work in flight (API calls, map tiles being drawn), counted in memory the clip threads share:
 * a clip reads it before each tile it starts and keeps fewer tiles in flight while someone waits for an
 * answer (see `clipConcurrency`), so map tiles and API calls do not queue behind clip codecs on the two
 * cores. No message crosses threads: one atomic add when work starts and one when it ends.
 */
export class InteractiveLoad {
  /** One Int32: requests and renders in flight now */
  readonly shared = new SharedArrayBuffer(4);
  private readonly count = new Int32Array(this.shared);

  /** Run `work`, counted as interactive while it runs. */
  async during<T>(work: () => Promise<T>): Promise<T> {
    Atomics.add(this.count, 0, 1);
    try {
      return await work();
    } finally {
      Atomics.sub(this.count, 0, 1);
    }
  }

  /** Interactive work in flight now. */
  inFlight(): number {
    return Atomics.load(this.count, 0);
  }
}
