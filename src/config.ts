/**
 * Configuration, read once from the environment. Nothing else in geopera reads `process.env`.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { FileStoreSpec } from './files/file.store.js';

export interface Config {
  /** Listen address (`GEOPERA_HOST`, default 127.0.0.1; 0.0.0.0 in docker) */
  host: string;
  /** Listen port (`GEOPERA_PORT`, default 8080; 0 picks a free port) */
  port: number;
  /** Data directory (`GEOPERA_DATA_DIR`, default ./data): areas, catalog, jobs, geopera.db */
  dataDir: string;
  /** Raster worker pool size (`GEOPERA_WORKERS`, default the CPU count) */
  workers: number;
  /** V8 heap limit of each clip worker thread in MB (`GEOPERA_WORKER_HEAP_MB`, default 1024): a clip past it stops with `worker_out_of_memory`, the server lives on */
  workerHeapMb: number;
  /** Map tile render threads (`GEOPERA_TILE_WORKERS`, default half the CPU count, at least 1) */
  tileWorkers: number;
  /**
   * Warm up before listening (`GEOPERA_WARMUP`, default 1; 0 skips it): the first clip thread runs two small
   * synthetic clips and one map tile render thread starts, so a user's first clip and first tile find them
   * ready (about 0.5-1 s more start-up on 2 cores)
   */
  warmup: boolean;
  /** Bytes of decoded COG tiles kept for map tiles, shared out among the tile threads (`GEOPERA_TILE_CACHE_MB`, default 256) */
  tileCacheBytes: number;
  /** Base of every absolute URL handed out (`GEOPERA_PUBLIC_URL`, default: from the request) */
  publicUrl: string | undefined;
  /** On a database with no keys, create org `default` and this key with every scope (`GEOPERA_BOOTSTRAP_KEY`) */
  bootstrapKey: string | undefined;
  /** Secret for signed URLs (`GEOPERA_URL_SECRET`; default: generated once and kept in the database) */
  urlSecret: string | undefined;
  /** Log level (`GEOPERA_LOG_LEVEL`, default info; `silent` in tests) */
  logLevel: string;
  /** Trust `X-Forwarded-For` for the client address (`GEOPERA_TRUST_PROXY=1`, default off) */
  trustProxy: boolean;
  /** Rate limits, calls per minute (`GEOPERA_RATE_ORG`, `GEOPERA_RATE_SPEND`, `GEOPERA_RATE_ANON`; 0 disables) */
  rateLimits: { perOrg: number; spendPerOrg: number; anonPerIp: number };
  /** Access token lifetime in seconds (300) and refresh token lifetime (1800) */
  accessTokenTtlS: number;
  refreshTokenTtlS: number;
  /** Signed download link lifetime in seconds (`GEOPERA_LINK_TTL_S`, default 900) */
  linkTtlS: number;
  /** Signed tile token lifetime in seconds (`GEOPERA_TILE_TOKEN_TTL_S`, default 12 h) */
  tileTokenTtlS: number;
  /** Grace period for running jobs on SIGTERM, in ms (`GEOPERA_SHUTDOWN_GRACE_MS`, default 30 000) */
  shutdownGraceMs: number;
  /** Largest accepted request body in bytes (1 MiB) */
  maxBodyBytes: number;
  /**
   * The web console's basemap (`GEOPERA_BASEMAP_URL`, default none): an XYZ template with `{z}`, `{x}`,
   * `{y}` or a MapLibre style URL, on the site's own network; its origin is added to the console's CSP.
   */
  basemapUrl: string | undefined;
  /**
   * Where areas, the catalog and job outputs live: the data directory, or with `GEOPERA_STORAGE_URL=s3://BUCKET/PREFIX`
   * that layout under a bucket prefix (endpoint and credentials from `AWS_ENDPOINT_URL_S3` or `AWS_ENDPOINT_URL`,
   * `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_REGION`; mosaic chunks kept per thread: `GEOPERA_S3_CACHE_MB`, default 32)
   */
  files: FileStoreSpec;
  /** `postgres://…` puts every table in PostgreSQL, for several nodes (`GEOPERA_DATABASE_URL`; unset: SQLite in the data directory) */
  databaseUrl: string | undefined;
  /** Most PostgreSQL connections a node opens (`GEOPERA_DATABASE_POOL`, default 10) */
  databasePool: number;
  /** This node's name in job leases and logs (`GEOPERA_NODE_ID`; default: the host name and a random suffix) */
  nodeId: string;
  /** A running job's lease in ms: another node takes the job over this long after its node stops renewing it (`GEOPERA_JOB_LEASE_S`, default 30) */
  jobLeaseMs: number;
  /** Days a completed job's files are kept unless its org says otherwise (`GEOPERA_RETENTION_DAYS`; unset or 0: for ever) */
  retentionDays: number;
  /** Free bytes the data directory (where clips are written or staged) must keep: below it creates answer 507 and jobs wait (`GEOPERA_MIN_FREE_MB`, default 512) */
  minFreeBytes: number;
  /** Webhook delivery (`GEOPERA_WEBHOOK_ALLOW_PRIVATE=1` allows loopback, private and link-local addresses; `GEOPERA_WEBHOOK_TIMEOUT_S`, default 10; `GEOPERA_WEBHOOK_CONCURRENCY` sends at once per node, default 4) */
  webhooks: { allowPrivate: boolean; timeoutMs: number; concurrency: number };
  /** Open `GET /v1/events` streams per org on a node (`GEOPERA_EVENT_STREAMS`, default 20) */
  eventStreamsPerOrg: number;
  /**
   * Who may read `GET /metrics` (`GEOPERA_METRICS_TOKEN`; unset: anyone who can reach the port, like
   * `/healthz`; set: only with `Authorization: Bearer <this token>`, at least 16 characters)
   */
  metricsToken: string | undefined;
}

/** An absolute http(s) URL (an XYZ template's `{z}`, `{x}`, `{y}`, `{ratio}`… allowed), or an error naming the variable. */
function httpUrl(value: string | undefined, name: string): string | undefined {
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value.replace(/\{[\w-]+\}/g, '0'));
  } catch {
    throw new Error(`${name} must be an absolute http(s) URL, got "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`${name} must be an http(s) URL, got "${value}"`);
  return value;
}

/** `s3://BUCKET/PREFIX` → bucket and a prefix that is empty or ends in `/`. */
function storageUrl(url: string): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(url);
  if (!m) throw new Error(`GEOPERA_STORAGE_URL must look like s3://BUCKET/PREFIX, got "${url}"`);
  const prefix = (m[2] ?? '').replace(/^\/+|\/+$/g, '');
  return { bucket: m[1]!, prefix: prefix ? `${prefix}/` : '' };
}

function fileStore(env: NodeJS.ProcessEnv, dataDir: string): FileStoreSpec {
  if (!env.GEOPERA_STORAGE_URL) return { kind: 'local', root: dataDir };
  return s3StoreSpec(env.GEOPERA_STORAGE_URL, dataDir, env);
}

/**
 * The store of an `s3://BUCKET/PREFIX` URL (GEOPERA_STORAGE_URL's, or `geopera admin migrate --to-storage`'s),
 * with the endpoint and credentials of the standard AWS variables.
 */
export function s3StoreSpec(url: string, dataDir: string, env: NodeJS.ProcessEnv = process.env): FileStoreSpec & { kind: 's3' } {
  const { AWS_ACCESS_KEY_ID: id, AWS_SECRET_ACCESS_KEY: secret } = env;
  return {
    kind: 's3',
    ...storageUrl(url),
    endpoint: env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL || undefined,
    region: env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1',
    credentials: id && secret ? { accessKeyId: id, secretAccessKey: secret } : undefined,
    cacheBytes: Math.max(1, int(env.GEOPERA_S3_CACHE_MB, 32, 'GEOPERA_S3_CACHE_MB')) * 1024 * 1024,
    stagingDir: path.join(dataDir, 'staging'),
  };
}

/** A node name: the host's, with a random suffix so two processes on one host differ. */
function generatedNodeId(): string {
  const host = os.hostname().replace(/[^\w.-]+/g, '-').slice(0, 40) || 'node';
  return `${host}-${randomBytes(4).toString('hex')}`;
}

function int(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${value}"`);
  return n;
}

function flag(value: string | undefined, fallback: boolean, name: string): boolean {
  if (value === undefined || value === '') return fallback;
  if (value === '1' || value === 'true') return true;
  if (value === '0' || value === 'false') return false;
  throw new Error(`${name} must be 1 or 0, got "${value}"`);
}

function databaseUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  if (!/^postgres(ql)?:\/\//.test(value)) throw new Error('GEOPERA_DATABASE_URL must be a postgres:// (or postgresql://) URL');
  return value;
}

function metricsToken(value: string | undefined): string | undefined {
  if (!value) return undefined;
  if (value.length < 16 || /\s/.test(value)) throw new Error('GEOPERA_METRICS_TOKEN must be at least 16 characters without spaces');
  return value;
}

function nodeId(value: string | undefined): string {
  if (!value) return generatedNodeId();
  if (!/^[\w.-]{1,64}$/.test(value)) throw new Error(`GEOPERA_NODE_ID must be 1 to 64 letters, digits, "_", "-" or ".", got "${value}"`);
  return value;
}

/** Read the configuration from an environment (defaults to `process.env`). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const dataDir = path.resolve(env.GEOPERA_DATA_DIR || './data');
  return {
    host: env.GEOPERA_HOST || '127.0.0.1',
    port: int(env.GEOPERA_PORT, 8080, 'GEOPERA_PORT'),
    dataDir,
    workers: Math.max(1, int(env.GEOPERA_WORKERS, os.availableParallelism(), 'GEOPERA_WORKERS')),
    workerHeapMb: Math.max(8, int(env.GEOPERA_WORKER_HEAP_MB, 1024, 'GEOPERA_WORKER_HEAP_MB')),
    // Half the cores: each render thread's tiles are encoded by libvips threads on the other cores.
    tileWorkers: Math.max(1, int(env.GEOPERA_TILE_WORKERS, Math.floor(os.availableParallelism() / 2), 'GEOPERA_TILE_WORKERS')),
    warmup: flag(env.GEOPERA_WARMUP, true, 'GEOPERA_WARMUP'),
    tileCacheBytes: Math.max(16, int(env.GEOPERA_TILE_CACHE_MB, 256, 'GEOPERA_TILE_CACHE_MB')) * 1024 * 1024,
    publicUrl: env.GEOPERA_PUBLIC_URL ? env.GEOPERA_PUBLIC_URL.replace(/\/+$/, '') : undefined,
    bootstrapKey: env.GEOPERA_BOOTSTRAP_KEY || undefined,
    urlSecret: env.GEOPERA_URL_SECRET || undefined,
    logLevel: env.GEOPERA_LOG_LEVEL || 'info',
    trustProxy: env.GEOPERA_TRUST_PROXY === '1' || env.GEOPERA_TRUST_PROXY === 'true',
    rateLimits: {
      perOrg: int(env.GEOPERA_RATE_ORG, 600, 'GEOPERA_RATE_ORG'),
      spendPerOrg: int(env.GEOPERA_RATE_SPEND, 30, 'GEOPERA_RATE_SPEND'),
      anonPerIp: int(env.GEOPERA_RATE_ANON, 60, 'GEOPERA_RATE_ANON'),
    },
    accessTokenTtlS: 300,
    refreshTokenTtlS: 1800,
    linkTtlS: int(env.GEOPERA_LINK_TTL_S, 900, 'GEOPERA_LINK_TTL_S'),
    tileTokenTtlS: int(env.GEOPERA_TILE_TOKEN_TTL_S, 12 * 3600, 'GEOPERA_TILE_TOKEN_TTL_S'),
    shutdownGraceMs: int(env.GEOPERA_SHUTDOWN_GRACE_MS, 30_000, 'GEOPERA_SHUTDOWN_GRACE_MS'),
    maxBodyBytes: 1024 * 1024,
    basemapUrl: httpUrl(env.GEOPERA_BASEMAP_URL, 'GEOPERA_BASEMAP_URL'),
    files: fileStore(env, dataDir),
    databaseUrl: databaseUrl(env.GEOPERA_DATABASE_URL),
    databasePool: Math.max(1, int(env.GEOPERA_DATABASE_POOL, 10, 'GEOPERA_DATABASE_POOL')),
    nodeId: nodeId(env.GEOPERA_NODE_ID),
    jobLeaseMs: Math.max(1, int(env.GEOPERA_JOB_LEASE_S, 30, 'GEOPERA_JOB_LEASE_S')) * 1000,
    retentionDays: int(env.GEOPERA_RETENTION_DAYS, 0, 'GEOPERA_RETENTION_DAYS'),
    minFreeBytes: int(env.GEOPERA_MIN_FREE_MB, 512, 'GEOPERA_MIN_FREE_MB') * 1024 * 1024,
    webhooks: {
      allowPrivate: env.GEOPERA_WEBHOOK_ALLOW_PRIVATE === '1' || env.GEOPERA_WEBHOOK_ALLOW_PRIVATE === 'true',
      timeoutMs: Math.max(1, int(env.GEOPERA_WEBHOOK_TIMEOUT_S, 10, 'GEOPERA_WEBHOOK_TIMEOUT_S')) * 1000,
      concurrency: Math.max(1, int(env.GEOPERA_WEBHOOK_CONCURRENCY, 4, 'GEOPERA_WEBHOOK_CONCURRENCY')),
    },
    eventStreamsPerOrg: Math.max(1, int(env.GEOPERA_EVENT_STREAMS, 20, 'GEOPERA_EVENT_STREAMS')),
    metricsToken: metricsToken(env.GEOPERA_METRICS_TOKEN),
  };
}
