/**
 * The tile render threads (piscina): each thread keeps its own caches of opened files and decoded COG
 * tiles (`tileBytes` each) and renders several map tiles at once, since their reads and encodes wait
 * on libuv, not on the thread. (Routing neighbouring map tiles to one thread, so each COG tile is
 * decoded once, was tried: on this 2-core machine it made no difference the benchmark could see.)
 */
import { Piscina } from 'piscina';
import type { TileTask, TileTaskResult } from '../tiles/tile.task.js';
import { pingPool, workerFile } from './worker.pool.js';

export interface TilePool {
  run(task: TileTask): Promise<TileTaskResult>;
  /** True when a thread answers (or the threads are busy rendering). */
  healthy(): Promise<boolean>;
  destroy(): Promise<void>;
}

/** `threads` render threads, kept alive (a map scrolls in bursts), each keeping `tileBytes` of decoded COG tiles. */
export function createTilePool(threads: number, tileBytes: number): TilePool {
  const pool = new Piscina({
    filename: workerFile('../tiles/tile.worker'),
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: Infinity,
    concurrentTasksPerWorker: 4,
    // geotiff pulls in `web-worker`, which destructures workerData in any worker thread: an object.
    workerData: { tileBytes },
  });
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
    healthy: () => pingPool(pool, () => inHand > 0),
    destroy: () => pool.destroy(),
  };
}
