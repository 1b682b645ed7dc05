import assert from 'node:assert/strict';
import os from 'node:os';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config.js';

describe('configuration', () => {
  it('sizes the pools from the machine by default: clip workers one per core, tile render threads half the cores (at least 1)', () => {
    const c = loadConfig({});
    assert.equal(c.workers, os.availableParallelism());
    assert.equal(c.tileWorkers, Math.max(1, Math.floor(os.availableParallelism() / 2)));
    assert.equal(c.tileCacheBytes, 256 * 1024 * 1024);
  });

  it('takes GEOPERA_TILE_WORKERS and GEOPERA_TILE_CACHE_MB, with at least 1 thread and 16 MB', () => {
    const c = loadConfig({ GEOPERA_TILE_WORKERS: '3', GEOPERA_TILE_CACHE_MB: '512' });
    assert.equal(c.tileWorkers, 3);
    assert.equal(c.tileCacheBytes, 512 * 1024 * 1024);
    const floor = loadConfig({ GEOPERA_TILE_WORKERS: '0', GEOPERA_TILE_CACHE_MB: '1' });
    assert.equal(floor.tileWorkers, 1);
    assert.equal(floor.tileCacheBytes, 16 * 1024 * 1024);
  });

  it('warms the first clip thread up before listening unless GEOPERA_WARMUP is 0', () => {
    assert.equal(loadConfig({}).warmup, true);
    assert.equal(loadConfig({ GEOPERA_WARMUP: '1' }).warmup, true);
    assert.equal(loadConfig({ GEOPERA_WARMUP: '0' }).warmup, false);
    assert.throws(() => loadConfig({ GEOPERA_WARMUP: 'yes please' }), /GEOPERA_WARMUP must be 1 or 0/);
  });

  it('keeps files in the data directory unless GEOPERA_STORAGE_URL names a bucket', () => {
    const c = loadConfig({ GEOPERA_DATA_DIR: '/srv/geopera' });
    assert.deepEqual(c.files, { kind: 'local', root: '/srv/geopera' });
  });

  it('takes s3://BUCKET/PREFIX with the standard AWS variables (endpoint, keys, region) and a per-thread chunk cache', () => {
    const c = loadConfig({
      GEOPERA_DATA_DIR: '/srv/geopera', GEOPERA_STORAGE_URL: 's3://imagery/geopera/prod/', AWS_ENDPOINT_URL: 'http://rgw.internal:7480',
      AWS_ENDPOINT_URL_S3: 'http://s3.internal:9000', AWS_ACCESS_KEY_ID: 'AKID', AWS_SECRET_ACCESS_KEY: 'secret', AWS_REGION: 'eu-central-1', GEOPERA_S3_CACHE_MB: '64',
    });
    assert.deepEqual(c.files, {
      kind: 's3', bucket: 'imagery', prefix: 'geopera/prod/', endpoint: 'http://s3.internal:9000', region: 'eu-central-1',
      credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' }, cacheBytes: 64 * 1024 * 1024, stagingDir: '/srv/geopera/staging',
    });
    const bare = loadConfig({ GEOPERA_STORAGE_URL: 's3://imagery', AWS_ENDPOINT_URL: 'http://rgw.internal:7480' });
    assert.equal(bare.files.kind === 's3' && bare.files.prefix, '');
    assert.equal(bare.files.kind === 's3' && bare.files.endpoint, 'http://rgw.internal:7480', 'AWS_ENDPOINT_URL when there is no AWS_ENDPOINT_URL_S3');
    assert.equal(bare.files.kind === 's3' && bare.files.region, 'us-east-1');
    assert.equal(bare.files.kind === 's3' && bare.files.credentials, undefined, 'no keys: the SDK\'s default credential chain');
    assert.equal(bare.files.kind === 's3' && bare.files.cacheBytes, 32 * 1024 * 1024);
  });

  it('refuses a storage URL that is not s3://BUCKET/PREFIX', () => {
    for (const url of ['/mnt/data', 'http://bucket/prefix', 's3://', 's3://Bad_Bucket/x']) assert.throws(() => loadConfig({ GEOPERA_STORAGE_URL: url }), /GEOPERA_STORAGE_URL/);
  });

  it('limits each clip thread\'s V8 heap by GEOPERA_WORKER_HEAP_MB (1024 by default, at least 8)', () => {
    assert.equal(loadConfig({}).workerHeapMb, 1024);
    assert.equal(loadConfig({ GEOPERA_WORKER_HEAP_MB: '256' }).workerHeapMb, 256);
    assert.equal(loadConfig({ GEOPERA_WORKER_HEAP_MB: '1' }).workerHeapMb, 8);
    assert.throws(() => loadConfig({ GEOPERA_WORKER_HEAP_MB: 'lots' }), /GEOPERA_WORKER_HEAP_MB/);
  });

  it('refuses a value that is not a non-negative integer, naming the variable', () => {
    assert.throws(() => loadConfig({ GEOPERA_TILE_WORKERS: 'two' }), /GEOPERA_TILE_WORKERS/);
    assert.throws(() => loadConfig({ GEOPERA_TILE_CACHE_MB: '-5' }), /GEOPERA_TILE_CACHE_MB/);
  });

  it('takes GEOPERA_BASEMAP_URL (an XYZ template or a style URL, http or https) for the console, none by default', () => {
    assert.equal(loadConfig({}).basemapUrl, undefined);
    assert.equal(loadConfig({ GEOPERA_BASEMAP_URL: 'http://tiles.lan/{z}/{x}/{y}.png' }).basemapUrl, 'http://tiles.lan/{z}/{x}/{y}.png');
    assert.equal(loadConfig({ GEOPERA_BASEMAP_URL: 'https://maps.lan/style.json' }).basemapUrl, 'https://maps.lan/style.json');
    assert.throws(() => loadConfig({ GEOPERA_BASEMAP_URL: 'tiles/{z}/{x}/{y}.png' }), /GEOPERA_BASEMAP_URL must be an absolute/);
    assert.throws(() => loadConfig({ GEOPERA_BASEMAP_URL: 'file:///etc/passwd' }), /GEOPERA_BASEMAP_URL must be an http/);
  });

  it('uses SQLite in the data directory unless GEOPERA_DATABASE_URL names a PostgreSQL database', () => {
    assert.equal(loadConfig({}).databaseUrl, undefined);
    assert.equal(loadConfig({ GEOPERA_DATABASE_URL: 'postgres://geo@db.internal:5432/geopera' }).databaseUrl, 'postgres://geo@db.internal:5432/geopera');
    assert.equal(loadConfig({ GEOPERA_DATABASE_URL: 'postgresql://db/geopera' }).databaseUrl, 'postgresql://db/geopera');
    assert.throws(() => loadConfig({ GEOPERA_DATABASE_URL: 'mysql://db/geopera' }), /GEOPERA_DATABASE_URL/);
    assert.equal(loadConfig({}).databasePool, 10);
    assert.equal(loadConfig({ GEOPERA_DATABASE_POOL: '25' }).databasePool, 25);
  });

  it('names the node from GEOPERA_NODE_ID, or generates a name that differs between processes', () => {
    assert.equal(loadConfig({ GEOPERA_NODE_ID: 'node-a.eu-1' }).nodeId, 'node-a.eu-1');
    const a = loadConfig({}).nodeId;
    const b = loadConfig({}).nodeId;
    assert.match(a, /^[\w.-]+-[0-9a-f]{8}$/);
    assert.notEqual(a, b);
    assert.throws(() => loadConfig({ GEOPERA_NODE_ID: 'has space' }), /GEOPERA_NODE_ID/);
  });

  it('takes a job lease of GEOPERA_JOB_LEASE_S seconds (30 by default, at least 1)', () => {
    assert.equal(loadConfig({}).jobLeaseMs, 30_000);
    assert.equal(loadConfig({ GEOPERA_JOB_LEASE_S: '5' }).jobLeaseMs, 5_000);
    assert.equal(loadConfig({ GEOPERA_JOB_LEASE_S: '0' }).jobLeaseMs, 1_000);
    assert.throws(() => loadConfig({ GEOPERA_JOB_LEASE_S: 'soon' }), /GEOPERA_JOB_LEASE_S/);
  });

  it('leaves /metrics open unless GEOPERA_METRICS_TOKEN is set, and wants a token of 16 characters or more without spaces', () => {
    assert.equal(loadConfig({}).metricsToken, undefined);
    assert.equal(loadConfig({ GEOPERA_METRICS_TOKEN: 'a-long-scrape-token' }).metricsToken, 'a-long-scrape-token');
    for (const bad of ['short', 'has a space in it somewhere']) assert.throws(() => loadConfig({ GEOPERA_METRICS_TOKEN: bad }), /GEOPERA_METRICS_TOKEN/);
  });

  it('keeps job files for ever unless GEOPERA_RETENTION_DAYS sets a default (an org\'s --retention-days wins), and keeps GEOPERA_MIN_FREE_MB (512 by default) free', () => {
    assert.equal(loadConfig({}).retentionDays, 0);
    assert.equal(loadConfig({ GEOPERA_RETENTION_DAYS: '30' }).retentionDays, 30);
    assert.throws(() => loadConfig({ GEOPERA_RETENTION_DAYS: 'a month' }), /GEOPERA_RETENTION_DAYS/);
    assert.equal(loadConfig({}).minFreeBytes, 512 * 1024 * 1024);
    assert.equal(loadConfig({ GEOPERA_MIN_FREE_MB: '0' }).minFreeBytes, 0, '0: no floor');
    assert.equal(loadConfig({ GEOPERA_MIN_FREE_MB: '2048' }).minFreeBytes, 2048 * 1024 * 1024);
    assert.throws(() => loadConfig({ GEOPERA_MIN_FREE_MB: '-1' }), /GEOPERA_MIN_FREE_MB/);
  });

  it('sends webhooks to public addresses only unless GEOPERA_WEBHOOK_ALLOW_PRIVATE=1, with GEOPERA_WEBHOOK_TIMEOUT_S (10) and GEOPERA_WEBHOOK_CONCURRENCY (4); GEOPERA_EVENT_STREAMS (20) streams per org', () => {
    assert.deepEqual(loadConfig({}).webhooks, { allowPrivate: false, timeoutMs: 10_000, concurrency: 4 });
    assert.deepEqual(loadConfig({ GEOPERA_WEBHOOK_ALLOW_PRIVATE: '1', GEOPERA_WEBHOOK_TIMEOUT_S: '3', GEOPERA_WEBHOOK_CONCURRENCY: '16' }).webhooks, { allowPrivate: true, timeoutMs: 3_000, concurrency: 16 });
    assert.equal(loadConfig({ GEOPERA_WEBHOOK_ALLOW_PRIVATE: 'true' }).webhooks.allowPrivate, true);
    assert.equal(loadConfig({ GEOPERA_WEBHOOK_ALLOW_PRIVATE: '0' }).webhooks.allowPrivate, false);
    assert.deepEqual(loadConfig({ GEOPERA_WEBHOOK_TIMEOUT_S: '0', GEOPERA_WEBHOOK_CONCURRENCY: '0' }).webhooks, { allowPrivate: false, timeoutMs: 1_000, concurrency: 1 }, 'at least 1 s and 1 send');
    assert.throws(() => loadConfig({ GEOPERA_WEBHOOK_TIMEOUT_S: 'slow' }), /GEOPERA_WEBHOOK_TIMEOUT_S/);
    assert.equal(loadConfig({}).eventStreamsPerOrg, 20);
    assert.equal(loadConfig({ GEOPERA_EVENT_STREAMS: '2' }).eventStreamsPerOrg, 2);
    assert.equal(loadConfig({ GEOPERA_EVENT_STREAMS: '0' }).eventStreamsPerOrg, 1);
  });
});
