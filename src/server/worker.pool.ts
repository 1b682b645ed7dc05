/** The raster worker pool (piscina). The worker file resolves to a tsx-registering entry under tsx and .js from dist/. */
import { Piscina } from 'piscina';

export function createClipPool(threads: number): Piscina {
  const fromSource = import.meta.url.endsWith('.ts');
  // Under tsx, worker threads do not inherit the loader: a small .mjs entry registers it first.
  const filename = new URL(fromSource ? '../jobs/clip.worker.dev.mjs' : '../jobs/clip.worker.js', import.meta.url).href;
  return new Piscina({
    filename,
    minThreads: 1,
    maxThreads: threads,
    idleTimeout: 60_000,
    // geotiff pulls in `web-worker`, which destructures workerData in any worker thread: give it an object.
    workerData: {},
  });
}
