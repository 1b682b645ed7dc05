/**
 * The free-space floor (`GEOPERA_MIN_FREE_MB`): the data directory (where clips are written, or staged before
 * their upload to S3) must keep this much free. Below it, creates answer 507 `insufficient_storage` with
 * `Retry-After` before anything is written, queued jobs wait instead of starting to write, and `/healthz`
 * says so.
 */
import { statfs } from 'node:fs/promises';
import { AppError } from '../errors/app.error.js';

/** How long a measurement is reused, ms (a burst of creates measures once). */
const FreshMs = 1000;
/** What a refused create is told to wait, s */
const RetryAfterS = 300;

export interface DiskState {
  /** Free bytes for this process's user, or null when the directory could not be measured */
  freeBytes: number | null;
  minFreeBytes: number;
  /** True when measured below the floor */
  low: boolean;
}

export class DiskFloor {
  private last: { at: number; state: DiskState } | undefined;

  constructor(private readonly dir: string, private readonly minFreeBytes: number, private readonly measure: (dir: string) => Promise<number> = freeBytesOf) {}

  /** The free space now (measured at most once a second). */
  async state(): Promise<DiskState> {
    const now = Date.now();
    if (this.last && now - this.last.at < FreshMs) return this.last.state;
    let freeBytes: number | null = null;
    try {
      freeBytes = await this.measure(this.dir);
    } catch {
      freeBytes = null;
    }
    const state = { freeBytes, minFreeBytes: this.minFreeBytes, low: freeBytes !== null && freeBytes < this.minFreeBytes };
    this.last = { at: now, state };
    return state;
  }

  /** Throw 507 `insufficient_storage` (with `Retry-After`) when below the floor. */
  async check(): Promise<void> {
    const s = await this.state();
    if (!s.low) return;
    const mb = (b: number): number => Math.floor(b / (1024 * 1024));
    throw new AppError('insufficient_storage', `The server has ${mb(s.freeBytes!)} MB free, below its floor of ${mb(s.minFreeBytes)} MB: no job can be created until space is freed`, {
      headers: { 'Retry-After': String(RetryAfterS) }, extra: { free_mb: mb(s.freeBytes!), min_free_mb: mb(s.minFreeBytes) },
    });
  }
}

/** Bytes available to unprivileged users on the file system holding `dir` (the nearest existing parent). */
export async function freeBytesOf(dir: string): Promise<number> {
  const s = await statfs(dir);
  return s.bavail * s.bsize;
}
