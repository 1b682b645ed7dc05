/**
 * The worker pools (piscina): clips, and map tile renders. A worker file resolves to a tsx-registering
 * entry under tsx and to .js from dist/.
 */
import { Piscina } from 'piscina';
import type { FileStoreSpec } from '../files/file.store.js';

/** Under tsx, worker threads do not inherit the loader: a small .mjs entry registers it first. */
export function workerFile(module: string): string {
  const fromSource = import.meta.url.endsWith('.ts');
  return new URL(fromSource ? `${module}.dev.mjs` : `${module}.js`, import.meta.url).href;
}

/** Clip threads; each reads sources and stores outputs through its own store opened from `files`. */
export function createClipPool(threads: number, files: FileStoreSpec): Piscina {
  return new Piscina({
    filename: workerFile('../jobs/clip.worker'),
    minThreads: 1,
    maxThreads: threads,
    idleTimeout: 60_000,
    // geotiff pulls in `web-worker`, which destructures workerData in any worker thread: an object.
    workerData: { files },
  });
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
