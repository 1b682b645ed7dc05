/** Errors the client throws: an HTTP error answer (`GeoperaError`) and a download that fails its checksum. */

/** An RFC 9457 problem body as geopera answers it (other servers may send less). */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  /** A message, or for 422 the list of failing fields `{loc, msg, type}` */
  detail?: unknown;
  /** Stable snake_case error code */
  code?: string;
  request_id?: string;
  [extra: string]: unknown;
}

/** One failing field of a 422 answer. */
export interface FieldIssue {
  loc: (string | number)[];
  msg: string;
  type: string;
}

/** The human part of a problem: its `detail` text, or the failing fields of a 422 joined. */
export function problemMessage(problem: Problem | undefined, fallback: string): string {
  const detail = problem?.detail;
  if (typeof detail === 'string' && detail) return detail;
  if (Array.isArray(detail) && detail.length > 0) {
    return detail.map((d) => {
      const issue = d as Partial<FieldIssue>;
      const loc = Array.isArray(issue.loc) ? issue.loc.filter((p) => p !== 'body').join('.') : '';
      return loc ? `${loc}: ${issue.msg ?? 'invalid'}` : String(issue.msg ?? JSON.stringify(d));
    }).join('; ');
  }
  return problem?.title ?? fallback;
}

/**
 * Thrown on a non-2xx answer. Same fields as the official `@geopera/sdk` error (`status`, `problem`,
 * `operation`) plus geopera's stable `code` and the `requestId` to quote in a report.
 */
export class GeoperaError extends Error {
  /** HTTP status of the answer */
  readonly status: number;
  /** The problem+json body (or `{ detail: <text> }` when the body was not JSON) */
  readonly problem: Problem;
  /** The operation id called (or the path, for calls outside the operations) */
  readonly operation: string;
  /** geopera's stable error code, e.g. `job_not_found` */
  readonly code: string | undefined;
  /** The request id from the body or the `X-Request-Id` header */
  readonly requestId: string | undefined;
  /** Seconds the server asked to wait (`Retry-After`), when it did */
  readonly retryAfterS: number | undefined;

  constructor(status: number, problem: Problem, operation: string, opts: { requestId?: string; retryAfterS?: number } = {}) {
    super(`Geopera operation '${operation}' failed (HTTP ${status}): ${problemMessage(problem, `HTTP ${status}`)}`);
    this.name = 'GeoperaError';
    this.status = status;
    this.problem = problem;
    this.operation = operation;
    this.code = typeof problem.code === 'string' ? problem.code : undefined;
    this.requestId = typeof problem.request_id === 'string' ? problem.request_id : opts.requestId;
    this.retryAfterS = opts.retryAfterS;
  }

  /** The `{loc, msg, type}` list of a 422, else empty. */
  get issues(): FieldIssue[] {
    return Array.isArray(this.problem.detail) ? (this.problem.detail as FieldIssue[]) : [];
  }
}

/** A downloaded file whose SHA-256 differs from the one the server announced (the partial file is removed). */
export class ChecksumError extends Error {
  readonly code = 'checksum_mismatch';
  constructor(readonly path: string, readonly expected: string, readonly actual: string) {
    super(`Downloaded ${path} has SHA-256 ${actual}, expected ${expected}; the partial file was removed`);
    this.name = 'ChecksumError';
  }
}
