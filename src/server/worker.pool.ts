/**
 * The worker pools (piscina): clips, and map tile renders. A worker file resolves to a tsx-registering
 * entry under tsx and to .js from dist/.
 */
import { Piscina } from 'piscina';
import type { TileTask, TileTaskResult } from '../tiles/tile.task.js';

/** Under tsx, worker threads do not inherit the loader: a small .mjs entry registers it first. */
function workerFile(module: string): string {
  const fromSource = import.meta.url.endsWith('.ts');
  return new URL(fromSource ? `${module}.dev.mjs` : `${module}.js`, import.meta.url).href;
}

export function createClipPool(threads: number): Piscina {
  return new Piscina({
    filename: workerFile('../jobs/clip.worker'),
    minThreads: 1,
    maxThreads: threads,
    idleTimeout: 60_000,
    // geotiff pulls in `web-worker`, which destructures workerData in any worker thread: give it an object.
    workerData: {},
  });
}

/**
 * Tile render threads, kept alive (a map scrolls in bursts), each with `tileBytes` of decoded COG tiles.
 * Queued renders wait at most the pool's queue; a map tile is small work, so no queue limit is set.
 */
export function createTilePool(threads: number, tileBytes: number): { pool: Piscina; run: (task: TileTask) => Promise<TileTaskResult> } {
  const pool = new Piscina({
    filename: workerFile('../tiles/tile.worker'),
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: Infinity,
    // Several renders per thread at once: their reads and encodes wait on libuv, not on the thread.
    concurrentTasksPerWorker: 4,
    workerData: { tileBytes },
  });
  return { pool, run: (task) => pool.run(task) as Promise<TileTaskResult> };
}

/**
 * True when a pool thread answers a ping within `timeoutMs`. While clips run, every thread may be busy
 * and a ping would queue behind them: a pool doing work is alive.
 */
export async function pingPool(pool: Piscina, busy: () => boolean, timeoutMs = 2000): Promise<boolean> {
  if (busy()) return true;
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    return (await pool.run({ ping: true }, { signal })) === 'pong';
  } catch {
    return false;
  }
}
