/**
 * The piscina worker: runs one clip with plain data in and out. Errors return as `{ error: {code, message} }`
 * data because class identity does not survive the thread boundary.
 */
import { clipToCog } from '../raster/clip/clip.run.js';
import { AppError } from '../errors/app.error.js';
import type { ClipTask, ClipTaskResult } from './clip.task.js';

export default async function runClip(task: ClipTask | { ping: true }): Promise<ClipTaskResult | { error: { code: string; message: string } } | 'pong'> {
  if ('ping' in task) return 'pong';
  try {
    return await clipToCog(task.source, task.aoi, task.output, {
      onProgress: (done, total) => task.progress?.postMessage({ done, total }),
    });
  } catch (err) {
    if (err instanceof AppError) return { error: { code: err.code, message: err.message } };
    throw err;
  } finally {
    task.progress?.close();
  }
}
