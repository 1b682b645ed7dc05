/**
 * A real geopera for tests: temp data directory (the repo's sample areas and catalog linked in, or
 * uploaded to a fresh prefix of the test bucket when `GEOPERA_TEST_FILES=s3`: see files.ts), a real
 * database (a SQLite file, or a PostgreSQL database of its own in the PostgreSQL pass: see backend.ts),
 * real worker pool, the whole HTTP stack on a loopback port.
 */
import { mkdtemp, mkdir, rm, symlink } from 'node:fs/promises';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createApiKey } from '../../src/auth/key.service.js';
import { Scopes, type Scope } from '../../src/auth/scopes.js';
import { loadConfig, type Config } from '../../src/config.js';
import type { Clock } from '../../src/events/clock.js';
import { createApp } from '../../src/http/app.js';
import { createLogger } from '../../src/log.js';
import { createRuntime, type Runtime } from '../../src/server/services.create.js';
import { listen } from '../../src/server/http.server.js';
import { clipPoolReady } from '../../src/server/worker.pool.js';
import { freshDatabase } from './backend.js';
import { testFiles, type TestFiles } from './files.js';
import { repoRoot } from './gdal.js';

export interface TestServer {
  url: string;
  dataDir: string;
  config: Config;
  runtime: Runtime;
  /** The world's file store (local data directory or S3 prefix) and how to put files in it */
  files: TestFiles;
  /** The listening HTTP server (e.g. to watch its sockets) */
  server: Server;
  /** A key for org `acme` with every scope */
  key: string;
  /** Make an org (if needed) and a key with the given scopes */
  makeKey(orgId: string, scopes?: readonly Scope[], org?: { creditLimitKm2?: number | null; egressLimitBytes?: number | null }): Promise<string>;
  /** POST an operation through `/v1/op/<id>` (or the resource path) */
  op(id: string, body?: unknown, opts?: { key?: string | null; headers?: Record<string, string>; resource?: boolean }): Promise<Response>;
  close(): Promise<void>;
}

/**
 * Start a server over a temp data dir. `env` adds GEOPERA_* settings. With `dataDir` it starts over that
 * directory instead (a restart: the sample data is not linked again and `close` keeps the directory; its
 * database is the SQLite file there, so restarts are for the SQLite pass only).
 */
export async function startTestServer(opts: { env?: Record<string, string>; linkSampleData?: boolean; leaseMs?: number; logLines?: string[]; dataDir?: string; singleNode?: boolean; clock?: Clock; lifecycle?: 'auto' | 'manual' } = {}): Promise<TestServer> {
  const dataDir = opts.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'geopera-test-')));
  // `singleNode`: SQLite and the files in the data directory whatever the pass (the install `admin migrate` moves up).
  const files = await testFiles(dataDir, opts.singleNode ? 'local' : undefined);
  if (opts.linkSampleData === false || opts.dataDir) {
    // Nothing to link: an empty world, or a restart over the caller's data directory.
  } else if (files.kind === 'local') {
    await symlink(path.join(repoRoot, 'data', 'areas'), path.join(dataDir, 'areas'));
    await mkdir(path.join(dataDir, 'catalog'));
    await symlink(path.join(repoRoot, 'data', 'catalog', 'items'), path.join(dataDir, 'catalog', 'items'));
  } else {
    await files.link(path.join(repoRoot, 'data', 'areas'), 'areas');
    await files.link(path.join(repoRoot, 'data', 'catalog', 'items'), 'catalog/items');
  }
  const database = opts.singleNode ? await freshDatabase('') : await freshDatabase();
  const config = loadConfig({ GEOPERA_DATA_DIR: dataDir, GEOPERA_PORT: '0', GEOPERA_WORKERS: '1', GEOPERA_LOG_LEVEL: 'silent', GEOPERA_RATE_ANON: '0', GEOPERA_RATE_ORG: '0', GEOPERA_RATE_SPEND: '0', ...files.env, ...database.env, ...opts.env });
  // `logLines`: every log line the server writes is pushed there (GEOPERA_LOG_LEVEL decides which).
  const lines = opts.logLines;
  const log = createLogger(config.logLevel, lines ? { write: (line: string) => { lines.push(...line.split('\n').filter(Boolean)); } } : undefined);
  const runtime = await createRuntime(config, log, { leaseMs: opts.leaseMs, clock: opts.clock, lifecycle: opts.lifecycle });
  // As `geopera serve` does: requests once a clip thread answers (a /healthz meanwhile would wait for its start).
  await clipPoolReady(runtime.pool, log);
  const app = createApp(runtime.services, runtime.routers);
  const { server, url } = await listen(app, '127.0.0.1', 0);
  await runtime.runner.start();
  const storage = runtime.services.storage;
  const makeKey: TestServer['makeKey'] = async (orgId, scopes = Scopes, org = {}) => {
    if (!(await storage.orgs.get(orgId))) await storage.orgs.create({ id: orgId, ...org });
    return (await createApiKey(storage, { orgId, scopes })).key;
  };
  const key = await makeKey('acme');
  const op: TestServer['op'] = (id, body, o = {}) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json', ...o.headers };
    const k = o.key === undefined ? key : o.key;
    if (k) headers.authorization = `Bearer ${k}`;
    const p = o.resource ? `/v1/${id.replaceAll('.', '/')}` : `/v1/op/${id}`;
    return fetch(`${url}${p}`, { method: 'POST', headers, body: body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body) });
  };
  return {
    url, dataDir, config, runtime, files, server, key, makeKey, op,
    async close() {
      await closeServer(server);
      await runtime.close(1000);
      if (!opts.dataDir) {
        await files.cleanup();
        await database.drop();
        await rm(dataDir, { recursive: true, force: true });
      }
    },
  };
}

async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** Poll a job every 100 ms until it reaches a final status; give up after `maxPolls` polls (a hang guard, not a speed check). */
export async function waitForJob(t: TestServer, jobId: string, key = t.key, maxPolls = 3000): Promise<Record<string, unknown>> {
  for (let poll = 1; ; poll++) {
    const res = await t.op('clip.job.get', { job_id: jobId }, { key });
    const job = (await res.json()) as Record<string, unknown>;
    if (['completed', 'failed', 'canceled'].includes(job.status as string)) return job;
    if (poll >= maxPolls) throw new Error(`job ${jobId} still ${String(job.status)} after ${poll} polls`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A small AOI (EPSG:4326 polygon) in the middle of a bbox, as a fraction of its size. */
export function aoiInside(bbox: [number, number, number, number], fraction = 0.3): Record<string, unknown> {
  const [w, s, e, n] = bbox;
  const cx = (w + e) / 2;
  const cy = (s + n) / 2;
  const dx = ((e - w) * fraction) / 2;
  const dy = ((n - s) * fraction) / 2;
  return { type: 'Polygon', coordinates: [[[cx - dx, cy - dy], [cx + dx, cy - dy], [cx + dx * 0.6, cy + dy], [cx - dx, cy + dy * 0.8], [cx - dx, cy - dy]]] };
}
