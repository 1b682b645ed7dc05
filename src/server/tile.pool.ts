/**
 * The tile render threads (piscina): each thread keeps its own caches of opened files and decoded COG
 * tiles (`tileBytes` each) and renders many map tiles at once. (Routing neighbouring map tiles to one
 * thread, so each COG tile is decoded once, was tried: on this 2-core machine it made no difference
 * the benchmark could see.)
 */
import { Piscina } from 'piscina';
import type { FileStoreSpec } from '../files/file.store.js';
import type { TileTask, TileTaskResult } from '../tiles/tile.task.js';
import { pingPool, workerFile } from './worker.pool.js';

/** A render thread nobody has asked for a tile this long ends (and frees its caches), ms. */
const IdleMs = 15 * 60_000;

export interface TilePool {
  run(task: TileTask): Promise<TileTaskResult>;
  /** Starts one thread (its modules loaded) ahead of the first tile; false when it did not answer in time. */
  warm(): Promise<boolean>;
  /** True when a thread answers, the threads are busy rendering, or none is running (nothing asked for a tile lately). */
  healthy(): Promise<boolean>;
  destroy(): Promise<void>;
  /** Render threads running now. */
  threads(): number;
}

/**
 * Up to `threads` render threads, each keeping `tileBytes` of decoded COG tiles. They start with the
 * first map tile (a server that only clips never pays for them) and stay while maps are viewed: a map
 * scrolls in bursts, and a restarted thread has cold caches. Each thread reads through its own store opened
 * from `files`.
 */
export function createTilePool(threads: number, tileBytes: number, files: FileStoreSpec, onError: (err: unknown) => void = () => undefined): TilePool {
  const pool = new Piscina({
    filename: workerFile('../tiles/tile.worker'),
    minThreads: 0,
    maxThreads: threads,
    idleTimeout: IdleMs,
    // Many renders per thread at once: their reads and encodes wait on libuv, not on the thread, and with
    // most requests in progress rather than queued the slowest wait less (bench:tiles at 32 in flight:
    // p99 about 2x p50 with 16, 3x with 4; throughput alike).
    concurrentTasksPerWorker: 16,
    // geotiff pulls in `web-worker`, which destructures workerData in any worker thread: an object.
    workerData: { tileBytes, files },
  });
  // A thread that dies with no task emits 'error' on the pool: heard here, it cannot end the process.
  pool.on('error', onError);
  let inHand = 0;
  return {
    async run(task) {
      inHand++;
      try {
        return (await pool.run(task)) as TileTaskResult;
      } finally {
        inHand--;
      }
    },
    warm: () => pingPool(pool, () => false, 10_000),
    // A health check must not start a thread (and keep it from ever idling out).
    healthy: async () => pool.threads.length === 0 || (await pingPool(pool, () => inHand > 0)),
    destroy: () => pool.destroy(),
    threads: () => pool.threads.length,
  };
}
