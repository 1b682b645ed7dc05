/**
 * A clock tests move by hand (the lifecycle loops take it instead of the system's): `now()` answers what the
 * test set, and timers fire only when `advance` passes their time, in order.
 */
import type { Clock, TimerHandle } from '../../src/events/clock.js';

export class FakeClock implements Clock {
  private timers: { at: number; id: number; fn: () => void }[] = [];
  private nextId = 1;

  constructor(private t: number) {}

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    this.timers.push({ at: this.t + ms, id, fn });
    return id;
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers = this.timers.filter((x) => x.id !== handle);
  }

  /** Timers waiting */
  get pending(): number {
    return this.timers.length;
  }

  /** Move time forward by `ms`, firing the timers due on the way (each at its own time), then let their work run. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      const due = this.timers.filter((x) => x.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.timers = this.timers.filter((x) => x !== due);
      this.t = Math.max(this.t, due.at);
      due.fn();
      await settle();
    }
    this.t = end;
    await settle();
  }
}

/** Let pending promise callbacks and I/O callbacks run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
