/** The raster worker pool (piscina). The worker file resolves to .ts under tsx and .js from dist/. */
import { Piscina } from 'piscina';

export function createClipPool(threads: number): Piscina {
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  const filename = new URL(`../jobs/clip.worker${ext}`, import.meta.url).href;
  return new Piscina({
    filename,
    minThreads: 1,
    maxThreads: threads,
    idleTimeout: 60_000,
    // Under tsx the workers need the loader too.
    ...(ext === '.ts' ? { execArgv: [...process.execArgv.filter((a) => !a.startsWith('--test')), '--import', 'tsx'] } : {}),
  });
}
