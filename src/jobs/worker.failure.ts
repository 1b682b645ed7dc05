/**
 * A clip worker thread that died under a task (out of heap, `process.exit`, terminated) rejects the
 * task with a plain Error: give the job a stable code instead of `internal_error`.
 */
import { AppError } from '../errors/app.error.js';

/** The job error for a rejected pool task, or the error itself when it is not a dead worker. */
export function workerFailure(err: unknown): unknown {
  const e = err as { code?: unknown; message?: unknown } | undefined;
  if (e?.code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return new AppError('worker_out_of_memory', 'The clip ran out of memory in its worker thread (the limit is GEOPERA_WORKER_HEAP_MB) and was stopped', { cause: err });
  }
  if (typeof e?.message === 'string' && /^worker exited|terminat/i.test(e.message)) {
    return new AppError('worker_crashed', 'The clip worker thread died before the clip finished', { cause: err });
  }
  return err;
}
