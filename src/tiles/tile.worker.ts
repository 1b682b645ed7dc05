/**
 * The tile worker thread (piscina): reads, resamples and encodes one map tile, so the server's event loop
 * only does HTTP and auth and never waits on a render (a 512-pixel tile of 16-bit data takes tens of
 * milliseconds). Each thread keeps its own caches of opened files and decoded tiles, sized by the
 * `tileBytes` the pool passes in workerData, and reads files through its own file store (for S3: its
 * own block cache of mosaic chunks).
 */
import { workerData } from 'node:worker_threads';
import { AppError } from '../errors/app.error.js';
import type { FileStoreSpec } from '../files/file.store.js';
import { localSpec, openFileStore } from '../files/file.store.open.js';
import { RasterCache } from './raster.cache.js';
import { encodeTile } from './tile.encode.js';
import { releaseTile, renderTile } from './tile.render.js';
import type { TileTask, TileTaskResult } from './tile.task.js';

const options = (workerData ?? {}) as { tileBytes?: number; files?: FileStoreSpec };
const files = await openFileStore(options.files ?? localSpec(process.cwd()));
const cache = new RasterCache({ ...(options.tileBytes ? { tileBytes: options.tileBytes } : {}), open: (file, known) => files.openSource(file, known) });

export default async function renderTask(task: TileTask | { ping: true }): Promise<TileTaskResult | 'pong'> {
  if ('ping' in task) return 'pong';
  try {
    const started = performance.now();
    const raster = await cache.open(task.file.key, task.key, task.file);
    const opened = performance.now() - started;
    const timing = { read: 0, draw: 0, encode: 0 };
    const rendered = await renderTile(cache, raster, { z: task.z, x: task.x, y: task.y }, task.size, task.style, timing);
    timing.read += opened;
    try {
      const encodeStarted = performance.now();
      const body = await encodeTile(rendered.rgba, task.size, task.format, rendered.opaque === true);
      timing.encode = performance.now() - encodeStarted;
      return { body, timing };
    } finally {
      releaseTile(rendered);
    }
  } catch (err) {
    if (err instanceof AppError) return { error: { code: err.code, message: err.message } };
    throw err;
  }
}
