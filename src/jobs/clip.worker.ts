/**
 * The piscina worker: runs one clip with plain data in and out. The source is read and the output stored
 * through this thread's own file store (opened from the spec in workerData): the local data directory,
 * or an S3 bucket (range reads through the thread's block cache; the output staged on local disk and
 * uploaded whole). Errors return as `{ error: {code, message} }` data because class identity does not
 * survive the thread boundary.
 */
import { writeFile } from 'node:fs/promises';
import { workerData } from 'node:worker_threads';
import { footprintRing } from '../catalog/bounds.wgs84.js';
import { asAppError } from '../errors/as.app.error.js';
import type { FileStoreSpec } from '../files/file.store.js';
import { openFileStore } from '../files/file.store.open.js';
import { nativeCodecs } from '../raster/native/codecs.native.js';
import { clipConcurrency, clipSourceToCog, type ClipResult } from '../raster/clip/clip.run.js';
import { PixelPools } from '../raster/decode/pixel.pool.js';
import { StageClock } from '../raster/clip/stage.clock.js';
import { warmUpClip, type WarmUpResult } from '../raster/clip/clip.warmup.js';
import { aoiWithin, type PlacedGeometry } from '../stac/stac.geometry.js';
import type { ClipTask, ClipTaskResult, OutputStacFacts } from './clip.task.js';

const data = workerData as { files?: FileStoreSpec; interactive?: SharedArrayBuffer } | undefined;
const files = data?.files ? await openFileStore(data.files) : undefined;
/** Interactive requests in flight on the server (InteractiveLoad): fewer tiles at once while any wait. */
const interactive = data?.interactive ? new Int32Array(data.interactive) : undefined;
const concurrency = interactive ? () => clipConcurrency(Atomics.load(interactive, 0)) : undefined;

/** The STAC facts of a clip's gathered summary: its statistics, its thumbnail (staged and stored beside the output), the AOI within the data. */
async function stacFacts(summary: NonNullable<ClipResult['summary']>, task: ClipTask): Promise<OutputStacFacts> {
  const key = task.output.replace(/\.tif$/, '') + '.thumb.png';
  await writeFile(await files!.stage(key), summary.thumbnail);
  const thumb = await files!.commit(key);
  let geometry: PlacedGeometry | null = null;
  try {
    geometry = aoiWithin(task.aoi, footprintRing(summary.info));
  } catch {
    geometry = null; // a degenerate intersection: the Item falls back to the AOI
  }
  return { statistics: summary.statistics, level: summary.level, thumbnail: { key: thumb.key, size: thumb.size }, geometry };
}

/** Tile buffers one clip leaves for the next on this thread (see PixelPools for its bounds: 8 pools, 16 buffers and 24 MiB each). */
const pools = new PixelPools();

/**
 * A thread given no task this long hands the memory its clips freed back to the system, ms. malloc keeps
 * what a clip frees for the next one (a 3000 m clip's tiles are megabytes), and so do the tile buffer
 * pools; an idle server need not hold it.
 */
const TrimAfterMs = 5000;
let trim: NodeJS.Timeout | undefined;

function idle(): void {
  clearTimeout(trim);
  trim = setTimeout(() => {
    pools.clear();
    nativeCodecs?.mallocTrim?.();
  }, TrimAfterMs).unref();
}

export default async function runClip(task: ClipTask | { ping: true } | { warmUp: string }): Promise<ClipTaskResult | { error: { code: string; message: string } } | WarmUpResult | 'pong'> {
  if ('ping' in task) return 'pong';
  clearTimeout(trim);
  try {
    return 'warmUp' in task ? await warmUpClip(task.warmUp, pools) : await clip(task);
  } finally {
    idle();
  }
}

async function clip(task: ClipTask): Promise<ClipTaskResult | { error: { code: string; message: string } }> {
  try {
    if (!files) throw new Error('the clip pool was started without a file store');
    // Stage times come back with the result (a few clock reads a tile): profiles read them, the runner need not.
    const clock = new StageClock();
    const source = await clock.time('open', () => files.openSource(task.source));
    try {
      const staged = await files.stage(task.output);
      // The summary is gathered from the tiles as they are written (its time is the clock's `summary`).
      const { summary, ...result } = await clipSourceToCog(source, task.aoi, staged, {
        onProgress: (done, total) => task.progress?.postMessage({ done, total }),
        clock,
        summary: true,
        pools,
        ...(concurrency ? { concurrency } : {}),
      });
      const stac = await clock.time('summary', () => stacFacts(summary!, task));
      await clock.time('store', () => files.commit(task.output));
      return { ...result, stac };
    } finally {
      await source.close();
    }
  } catch (err) {
    // Known failures (our codes, a full disk) cross as data; anything else is a bug and rejects the task.
    const e = asAppError(err);
    if (e.code !== 'internal_error') return { error: { code: e.code, message: e.message } };
    throw err;
  } finally {
    task.progress?.close();
  }
}
