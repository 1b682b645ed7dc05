/**
 * The piscina worker: runs one clip with plain data in and out. Errors return as `{ error: {code, message} }`
 * data because class identity does not survive the thread boundary.
 */
import { clipToCog } from '../raster/clip/clip.run.js';
import { asAppError } from '../errors/as.app.error.js';
import type { ClipTask, ClipTaskResult } from './clip.task.js';

export default async function runClip(task: ClipTask | { ping: true }): Promise<ClipTaskResult | { error: { code: string; message: string } } | 'pong'> {
  if ('ping' in task) return 'pong';
  try {
    return await clipToCog(task.source, task.aoi, task.output, {
      onProgress: (done, total) => task.progress?.postMessage({ done, total }),
    });
  } catch (err) {
    // Known failures (our codes, a full disk) cross as data; anything else is a bug and rejects the task.
    const e = asAppError(err);
    if (e.code !== 'internal_error') return { error: { code: e.code, message: e.message } };
    throw err;
  } finally {
    task.progress?.close();
  }
}
