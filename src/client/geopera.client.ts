/**
 * `GeoperaClient`: the official `@geopera/sdk` surface (`invoke`, `client.clip.job.get(body)`,
 * `GeoperaError`) over geopera's operations, plus what a self-hosted clip service needs: list records
 * streamed as NDJSON, downloads to disk with resume and a SHA-256 check, waiting on jobs, and retries
 * that never buy twice.
 */
import { findOperation, OperationList } from '../operations/registry.js';
import { ErrorStatus, isErrorCode } from '../errors/error.codes.js';
import type {
  FileOperationId, Job, ListItem, ListOperationId, OperationId, OperationInput, OperationOutput,
} from './client.types.js';
import { buildNamespaces, type CallOptions, type DownloadCallOptions, type Namespace } from './client.namespaces.js';
import type { DownloadResult } from './file.download.js';
import { GeoperaError } from './geopera.error.js';
import { Transport, type AuthScheme, type RetryNotice } from './http.transport.js';
import { waitForJobEvents } from './job.events.js';
import { eventFrames, type SseFrame } from './sse.frames.js';
import { waitForJob, type WaitOptions } from './job.wait.js';
import { isStreamError, ndjsonRecords } from './ndjson.records.js';
import { OidcBase } from './oidc.session.js';
import { DefaultRetry, type Sleep } from './retry.policy.js';

/** Where a geopera server listens by default (`GEOPERA_HOST`:`GEOPERA_PORT`). */
export const DEFAULT_BASE_URL = 'http://127.0.0.1:8080';

const NdjsonType = 'application/x-ndjson';
const FileAccept = 'image/tiff, application/octet-stream;q=0.9, */*;q=0.8';

export interface GeoperaClientOptions {
  /** A geopera API key (`gpra_…`, sent as `X-API-Key`) or an access token (sent as a Bearer token). */
  token: string;
  /** API base URL (default `http://127.0.0.1:8080`); a trailing slash is ignored. */
  baseUrl?: string;
  /** Extra headers sent on every request. */
  headers?: Record<string, string>;
  /** Custom fetch (undici, a test double). Defaults to the global `fetch`. */
  fetch?: typeof fetch;
  /** Retries after a network error, 429, 502/503/504 (default 3; 0 disables). */
  retries?: number;
  /** First backoff delay in ms (default 500; doubles per retry, with jitter, up to 8 s). */
  retryDelayMs?: number;
  /** Longest `Retry-After` in ms worth waiting for (default 60 000); a longer one is thrown at once. */
  maxRetryAfterMs?: number;
  /** How to send the token (default `auto`: `gpra_` keys as `X-API-Key`, others as Bearer). */
  auth?: AuthScheme;
  /** Called before each retry (for logs). */
  onRetry?: (notice: RetryNotice) => void;
  /** How to wait before a retry (default: a timer): a scheduler's own, or a test's hand-driven one. */
  sleep?: Sleep;
}

/** A TileJSON 3.0.0 document as geopera answers it (`clip.job.tile_info` per output, area mosaics). */
export interface TileJson {
  tilejson: string;
  name?: string;
  /** URL templates with `{z}/{x}/{y}` (signed: no headers needed) */
  tiles: string[];
  minzoom: number;
  maxzoom: number;
  /** west, south, east, north in degrees */
  bounds: [number, number, number, number];
  center?: [number, number, number];
  attribution?: string;
  mosaic_type?: string;
  tile_size?: number;
  /** ISO 8601 expiry of the token in `tiles` */
  token_expires_at?: string;
  [extra: string]: unknown;
}

/** The principal behind the token (`GET …/openid-connect/userinfo`). */
export interface UserInfo {
  sub: string;
  geopera_principal_id: string;
  geopera_principal_type: string;
  geopera_org_id: string;
  /** Space-separated scopes */
  scope: string;
  [extra: string]: unknown;
}

function itemsOf(doc: unknown): unknown[] {
  if (Array.isArray(doc)) return doc;
  const d = doc as { items?: unknown; features?: unknown } | null;
  if (Array.isArray(d?.items)) return d.items as unknown[];
  if (Array.isArray(d?.features)) return d.features as unknown[];
  return doc === undefined ? [] : [doc];
}

async function readJson(res: Response): Promise<unknown> {
  const text = await res.text();
  return text ? (JSON.parse(text) as unknown) : undefined;
}

class GeoperaClientCore {
  /** The API base URL, without trailing slash. */
  readonly baseUrl: string;
  readonly #transport: Transport;

  constructor(opts: GeoperaClientOptions) {
    if (!opts?.token) throw new Error('GeoperaClient: `token` is required (a geopera API key `gpra_…` or an access token).');
    const f = opts.fetch ?? globalThis.fetch;
    if (!f) throw new Error('GeoperaClient: no global `fetch` available; pass `fetch`.');
    this.baseUrl = (opts.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
    this.#transport = new Transport({
      token: opts.token,
      baseUrl: this.baseUrl,
      headers: opts.headers ?? {},
      // Called as a plain function: a browser's fetch throws when invoked as a method of another object.
      fetch: (input, init) => f(input, init),
      auth: opts.auth ?? 'auto',
      onRetry: opts.onRetry,
      retry: {
        ...DefaultRetry,
        ...(opts.retries === undefined ? {} : { retries: opts.retries }),
        ...(opts.retryDelayMs === undefined ? {} : { baseDelayMs: opts.retryDelayMs }),
        ...(opts.maxRetryAfterMs === undefined ? {} : { maxRetryAfterMs: opts.maxRetryAfterMs }),
        ...(opts.sleep ? { sleep: opts.sleep } : {}),
      },
    });
    Object.assign(this, buildNamespaces(this, OperationList));
    const job = (this as unknown as { clip?: { job?: Record<string, unknown> } }).clip?.job;
    if (job) job.wait = (jobId: string, o?: WaitOptions) => this.waitForJob(jobId, o);
  }

  private sendOp(op: string, body: unknown, accept: string, opts: CallOptions = {}): Promise<Response> {
    const spend = findOperation(op)?.sideEffect === 'spend';
    return this.#transport.op(op, body, {
      accept,
      signal: opts.signal,
      headers: opts.headers,
      retries: opts.retries,
      // One key per call, reused by every retry of it: a retried create replays instead of buying twice.
      idempotencyKey: spend ? (opts.idempotencyKey ?? globalThis.crypto.randomUUID()) : undefined,
    });
  }

  /** Invoke an operation by id: `POST /v1/op/<id>`; resolves its JSON answer (list operations: the envelope; files: the descriptor). */
  async invoke<K extends OperationId>(op: K, body: OperationInput<K>, opts: CallOptions = {}): Promise<OperationOutput<K>> {
    const res = await this.sendOp(op, body, 'application/json', opts);
    return (await readJson(res)) as OperationOutput<K>;
  }

  /** Stream a list operation's records as they arrive (NDJSON); breaking out of the loop cancels the request. */
  async *stream<K extends ListOperationId>(op: K, body: OperationInput<K>, opts: CallOptions = {}): AsyncGenerator<ListItem<K>> {
    const res = await this.sendOp(op, body, `${NdjsonType}, application/json;q=0.5`, opts);
    if (!(res.headers.get('content-type') ?? '').includes(NdjsonType) || !res.body) {
      for (const item of itemsOf(await readJson(res))) yield item as ListItem<K>;
      return;
    }
    for await (const record of ndjsonRecords(res.body as AsyncIterable<Uint8Array>)) {
      if (isStreamError(record)) {
        const { code, request_id: requestId } = record.error;
        const status = isErrorCode(code) ? ErrorStatus[code] : 500;
        throw new GeoperaError(status, { code, request_id: requestId, status, detail: `The ${op} stream ended with an error (${code})` }, op);
      }
      yield record as ListItem<K>;
    }
  }

  /** Download a file operation's answer to `opts.to`, resuming a partial download and checking its SHA-256. */
  async download<K extends FileOperationId>(op: K, body: OperationInput<K>, opts: DownloadCallOptions): Promise<DownloadResult> {
    const { downloadToFile } = await import('./file.download.js');
    const retry = opts.retries === undefined ? this.#transport.opts.retry : { ...this.#transport.opts.retry, retries: opts.retries };
    return downloadToFile((headers) => this.sendOp(op, body, FileAccept, { ...opts, headers: { ...opts.headers, ...headers } }), opts, retry);
  }

  /** The raw 2xx answer of a file operation (bytes; `Range` etc. via `opts.headers`), for piping elsewhere. */
  openFile<K extends FileOperationId>(op: K, body: OperationInput<K>, opts: CallOptions = {}): Promise<Response> {
    return this.sendOp(op, body, FileAccept, opts);
  }

  /**
   * Wait until the job is `completed`, `failed` or `canceled`; resolves the final job (as `clip.job.get`).
   * Follows the job on the server's event stream (`GET /v1/events`) when it has one, else polls `clip.job.get`.
   */
  waitForJob(jobId: string, opts: WaitOptions = {}): Promise<Job> {
    const getJob = (signal?: AbortSignal): Promise<Job> => this.invoke('clip.job.get', { job_id: jobId }, { signal });
    if (opts.events === false) return waitForJob(getJob, opts);
    return waitForJobEvents({ getJob, openEvents: (signal) => this.events({ jobId, signal, retries: 0 }) }, opts);
  }

  /**
   * The org's job events as they happen (`GET /v1/events`, Server-Sent Events): frames `ready`, `job.*` (data
   * `{type, timestamp, data: job, sequence}`), `gap`. `lastEventId` resumes after a frame's `id`; `jobId`
   * follows one job. Rejects with `GeoperaError` (401, 429 …) or `NoEventStream` (a server without it);
   * leaving the loop or aborting `signal` closes the stream.
   */
  async events(opts: { jobId?: string; lastEventId?: string; signal?: AbortSignal; retries?: number } = {}): Promise<AsyncGenerator<SseFrame>> {
    const query = opts.jobId ? `?job_id=${encodeURIComponent(opts.jobId)}` : '';
    const res = await this.#transport.request({
      method: 'GET', path: `/v1/events${query}`, operation: 'events', accept: 'text/event-stream', signal: opts.signal, retries: opts.retries,
      ...(opts.lastEventId ? { headers: { 'Last-Event-ID': opts.lastEventId } } : {}),
    });
    return eventFrames(res, opts.signal);
  }

  /** Who the token belongs to (the OpenID Connect `userinfo` endpoint). */
  async userinfo(opts: { signal?: AbortSignal } = {}): Promise<UserInfo> {
    const res = await this.#transport.request({ method: 'GET', path: `${OidcBase}/userinfo`, operation: 'userinfo', accept: 'application/json', signal: opts.signal });
    return (await readJson(res)) as UserInfo;
  }

  /**
   * The TileJSON of an area's mosaic (`GET /v1/tiles/areas/{area}/{mosaic_type}/tilejson.json`): its
   * `tiles` templates carry a signed token, so a map fetches them with no headers.
   */
  async areaTileJson(area: string, mosaicType: string, opts: { signal?: AbortSignal } = {}): Promise<TileJson> {
    const path = `/v1/tiles/areas/${encodeURIComponent(area)}/${encodeURIComponent(mosaicType)}/tilejson.json`;
    const res = await this.#transport.request({ method: 'GET', path, operation: 'tilejson', accept: 'application/json', signal: opts.signal });
    return (await readJson(res)) as TileJson;
  }
}

/** Helpers that sit beside the operations in the namespace tree. */
export interface NamespaceHelpers {
  readonly clip: {
    readonly job: {
      /** Wait until the job is final (`completed`, `failed` or `canceled`): its event stream, else polling; see `WaitOptions`. */
      wait(jobId: string, opts?: WaitOptions): Promise<Job>;
    };
  };
}

/** A geopera client: `invoke`, `stream`, `download`, `openFile`, `waitForJob`, `userinfo`, and one method per operation. */
export type GeoperaClient = GeoperaClientCore & Namespace & NamespaceHelpers;

/** `new GeoperaClient({ token, baseUrl })` */
export const GeoperaClient = GeoperaClientCore as unknown as new (opts: GeoperaClientOptions) => GeoperaClient;

/** One-shot `invoke` without keeping a client (as the official SDK's `callOperation`). */
export function callOperation<K extends OperationId>(
  op: K, body: OperationInput<K>, token: string,
  options: Omit<GeoperaClientOptions, 'token'> & { signal?: AbortSignal } = {},
): Promise<OperationOutput<K>> {
  const { signal, ...clientOpts } = options;
  return new GeoperaClient({ token, ...clientOpts }).invoke(op, body, { signal });
}
