/**
 * RFC 9457 problem details. Every non-2xx answer is `application/problem+json`
 * `{type, title, status, detail, code, request_id}`; 422s carry `detail` as the `{loc, msg, type}` list
 * the official SDK parses. 5xx never show internals.
 */
import { STATUS_CODES } from 'node:http';
import type { AppError } from '../errors/app.error.js';
import { asAppError } from '../errors/as.app.error.js';
import { statusOf } from '../errors/error.codes.js';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: unknown;
  code: string;
  request_id: string;
  [extra: string]: unknown;
}

/** Turn anything thrown into a problem (and the headers to send with it); `hide` cleans messages of server paths. */
export function toProblem(err: unknown, requestId: string, hide: (text: string) => string = (t) => t): { problem: Problem; headers: Record<string, string> } {
  const app = asAppError(err);
  const status = statusOf(app.code);
  const title = STATUS_CODES[status] ?? 'Error';
  const headers: Record<string, string> = { ...(app.headers ?? {}) };
  if (status === 401) headers['WWW-Authenticate'] = app.code === 'token_expired' ? 'Bearer error="invalid_token", error_description="token expired"' : 'Bearer';
  let detail: unknown = status >= 500 ? internalDetail(app) : hide(app.message);
  if (status === 422) detail = (app.issues ?? [{ loc: ['body'], msg: app.message, type: app.code }]).map((i) => ({ ...i, msg: hide(i.msg) }));
  const problem: Problem = {
    type: `https://geopera.dev/problems/${app.code.replaceAll('_', '-')}`,
    title,
    status,
    detail,
    code: app.code,
    request_id: requestId,
    ...(status === 422 ? { message: hide(app.message) } : {}),
    ...((status < 500 || app.code === 'insufficient_storage') && app.extra ? app.extra : {}),
  };
  return { problem, headers };
}

function internalDetail(app: AppError): string {
  if (app.code === 'not_implemented' || app.code === 'unavailable' || app.code === 'source_changed' || app.code === 'disk_full' || app.code === 'insufficient_storage') return app.message;
  return 'An internal error occurred; quote the request_id when reporting it';
}
