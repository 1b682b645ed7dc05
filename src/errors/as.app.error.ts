import { AppError } from './app.error.js';
import { isErrorCode } from './error.codes.js';

/** System error codes of a full disk (or a file size limit), from Node's fs and from SQLite. */
const DiskFullCodes: ReadonlySet<unknown> = new Set(['ENOSPC', 'EDQUOT', 'EFBIG', 'SQLITE_FULL']);

/** Normalise a thrown value: AppErrors stay, plain `{code, message}` from workers are rebuilt, a full disk is `disk_full`, the rest is a 500. */
export function asAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err && typeof err === 'object') {
    const e = err as { code?: unknown; message?: unknown; status?: unknown; expose?: unknown };
    if (isErrorCode(e.code)) return new AppError(e.code, String(e.message ?? e.code));
    if (DiskFullCodes.has(e.code)) return new AppError('disk_full', `No space left for the output (${String(e.code)})`, { cause: err });
    // Koa/http-errors (e.g. from the router) expose client errors with a status.
    if (typeof e.status === 'number' && e.status < 500 && e.expose) {
      if (e.status === 404) return new AppError('not_found', String(e.message));
      if (e.status === 405) return new AppError('method_not_allowed', String(e.message));
    }
  }
  return new AppError('internal_error', 'internal error', { cause: err });
}
