import type { ErrorCode } from './error.codes.js';

/** One field-level problem, in the shape the official SDK parses from a 422 (`{loc, msg, type}`). */
export interface FieldIssue {
  loc: (string | number)[];
  msg: string;
  type: string;
}

/**
 * An error with a stable code. Put the values in the message (`x:${x} >= ${nxTiles}`);
 * the message is shown to callers for every status below 500, never for 5xx.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  /** Extra machine-readable fields added to the problem body (e.g. `{ cost_km2, balance_km2 }`). */
  readonly extra: Record<string, unknown> | undefined;
  /** Field issues for 422 answers; when absent a single issue is made from the message. */
  readonly issues: FieldIssue[] | undefined;
  /** Extra response headers (e.g. `Retry-After`). */
  readonly headers: Record<string, string> | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    opts: { extra?: Record<string, unknown>; issues?: FieldIssue[]; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'AppError';
    this.code = code;
    this.extra = opts.extra;
    this.issues = opts.issues;
    this.headers = opts.headers;
  }

  /** Plain data for crossing a worker boundary (structured clone drops class identity). */
  toJSON(): { code: ErrorCode; message: string; extra?: Record<string, unknown>; issues?: FieldIssue[] } {
    return { code: this.code, message: this.message, ...(this.extra ? { extra: this.extra } : {}), ...(this.issues ? { issues: this.issues } : {}) };
  }
}
