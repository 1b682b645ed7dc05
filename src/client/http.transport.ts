/**
 * The HTTP side of the client: credentials, headers, retries with backoff, and problem+json errors.
 * Spend operations carry one `Idempotency-Key`, generated once per call and sent unchanged on every
 * retry, so a retried create can never make a second job or a second charge.
 */
import { GeoperaError, type Problem } from './geopera.error.js';
import { isRetryableStatus, nextDelayMs, parseRetryAfter, sleep, type RetryOptions } from './retry.policy.js';

/** How the token is sent: `auto` sends a `gpra_` key as `X-API-Key` and anything else as a Bearer token. */
export type AuthScheme = 'auto' | 'api-key' | 'bearer';

/** Why and when a call is retried (for logs and progress output). */
export interface RetryNotice {
  operation: string;
  /** 1 for the first retry */
  retry: number;
  delayMs: number;
  /** HTTP status that caused it, or undefined for a network error */
  status: number | undefined;
  reason: string;
}

export interface TransportOptions {
  token: string;
  /** Base URL without trailing slash */
  baseUrl: string;
  headers: Record<string, string>;
  fetch: typeof fetch;
  retry: RetryOptions;
  auth: AuthScheme;
  onRetry?: (notice: RetryNotice) => void;
}

export interface RequestOptions {
  method: 'GET' | 'POST';
  /** Path below the base URL (with leading slash) or an absolute URL */
  path: string;
  /** What to name in errors: the operation id or the path */
  operation: string;
  body?: string;
  contentType?: string;
  accept: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Sent as `Idempotency-Key` on every attempt */
  idempotencyKey?: string;
  /** Override the client's retry count for this call */
  retries?: number;
}

const UserAgent = `geopera-client/0.1.0 node/${typeof process === 'undefined' ? 'unknown' : process.versions.node}`;

export class Transport {
  constructor(readonly opts: TransportOptions) {}

  /** The credential header for the token. */
  authHeaders(): Record<string, string> {
    const { token, auth } = this.opts;
    const asKey = auth === 'api-key' || (auth === 'auto' && token.startsWith('gpra_'));
    return asKey ? { 'X-API-Key': token } : { Authorization: `Bearer ${token}` };
  }

  url(path: string): string {
    return /^https?:\/\//i.test(path) ? path : `${this.opts.baseUrl}${path}`;
  }

  /** `POST /v1/op/<id>` with a JSON body; resolves the 2xx response (body unread) or throws `GeoperaError`. */
  op(id: string, body: unknown, opts: Omit<RequestOptions, 'method' | 'path' | 'operation' | 'body' | 'contentType'>): Promise<Response> {
    return this.request({ ...opts, method: 'POST', path: `/v1/op/${id}`, operation: id, body: JSON.stringify(body ?? {}), contentType: 'application/json' });
  }

  /** One call with retries. */
  async request(req: RequestOptions): Promise<Response> {
    const retry = req.retries === undefined ? this.opts.retry : { ...this.opts.retry, retries: req.retries };
    const headers: Record<string, string> = {
      Accept: req.accept,
      'User-Agent': UserAgent,
      ...(req.contentType ? { 'Content-Type': req.contentType } : {}),
      ...this.authHeaders(),
      ...this.opts.headers,
      ...req.headers,
      ...(req.idempotencyKey ? { 'Idempotency-Key': req.idempotencyKey } : {}),
    };
    for (let attempt = 0; ; attempt++) {
      let res: Response;
      try {
        res = await this.opts.fetch(this.url(req.path), { method: req.method, headers, body: req.body, signal: req.signal });
      } catch (err) {
        if (req.signal?.aborted) throw err;
        const delay = nextDelayMs(attempt, undefined, retry);
        if (delay === undefined) throw err;
        this.notify(req.operation, attempt, delay, undefined, networkReason(err));
        await (retry.sleep ?? sleep)(delay, req.signal);
        continue;
      }
      if (res.ok) return res;
      const error = await toGeoperaError(res, req.operation);
      if (!isRetryableStatus(res.status, error.code)) throw error;
      const delay = nextDelayMs(attempt, parseRetryAfter(res.headers.get('retry-after')), retry);
      if (delay === undefined) throw error;
      this.notify(req.operation, attempt, delay, res.status, error.code ?? `HTTP ${res.status}`);
      await (retry.sleep ?? sleep)(delay, req.signal);
    }
  }

  private notify(operation: string, attempt: number, delayMs: number, status: number | undefined, reason: string): void {
    this.opts.onRetry?.({ operation, retry: attempt + 1, delayMs, status, reason });
  }
}

function networkReason(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err as Error).message ?? 'network error';
}

/** Read an error answer into a `GeoperaError` (problem+json, other JSON, or text). */
export async function toGeoperaError(res: Response, operation: string): Promise<GeoperaError> {
  const text = await res.text().catch(() => '');
  let problem: Problem;
  try {
    const parsed: unknown = text ? JSON.parse(text) : {};
    problem = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Problem) : { detail: parsed };
  } catch {
    problem = { detail: text.slice(0, 500) || res.statusText };
  }
  const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));
  return new GeoperaError(res.status, problem, operation, {
    requestId: res.headers.get('x-request-id') ?? undefined,
    retryAfterS: retryAfterMs === undefined ? undefined : retryAfterMs / 1000,
  });
}
