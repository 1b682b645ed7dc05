/**
 * One pass at a time: `wake()` starts a pass unless one is running, and then asks for exactly one more
 * pass after it, however many wakes came meanwhile (work that arrived during a pass is never missed, and a
 * burst of wakes costs one pass). The job runner's claim loop and the webhook dispatcher run this way.
 */
export interface SingleFlightOptions {
  /** Hears a pass that failed (the next wake runs again) */
  onError: (err: unknown) => void;
  /** Called when a pass ends and no other follows (to arm a timer) */
  idle?: () => void;
  /** True once no further pass should start */
  stopped?: () => boolean;
}

export class SingleFlight {
  private running = false;
  private again = false;

  constructor(private readonly pass: () => Promise<unknown>, private readonly opts: SingleFlightOptions) {}

  wake(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.pass().catch(this.opts.onError).finally(() => {
      this.running = false;
      if (this.again && !this.opts.stopped?.()) {
        this.again = false;
        this.wake();
      } else {
        this.opts.idle?.();
      }
    });
  }
}
