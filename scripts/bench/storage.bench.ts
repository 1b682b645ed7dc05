/**
 * `npm run bench:storage`: the repository's hot calls on each engine, against references measured in the
 * same run.
 *
 * 1. The key check every tile and call makes (`keys.get`), `authenticate` (key by hash + last use), a job
 *    read, and a rate-limit take, on SQLite through the async repository, beside the same SQL on a bare
 *    better-sqlite3 prepared statement (what the stores did before the repository was async): the ratio
 *    is the cost of the async layer. Rate takes: in memory (SQLite's fast path) beside the table.
 * 2. The same calls on PostgreSQL (a throwaway server from scripts/postgres.mjs, when installed), one at a
 *    time and 16 at once.
 * 3. API requests/s over HTTP on each engine: `clip.job.get` (authenticate, two rate-limit takes, a job
 *    read) and a map tile by signed token (key check, tile from the encoded cache), 16 requests in flight.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { authenticate } from '../../src/auth/authenticate.js';
import { createApiKey } from '../../src/auth/key.service.js';
import { Scopes } from '../../src/auth/scopes.js';
import { loadConfig } from '../../src/config.js';
import { createApp } from '../../src/http/app.js';
import { createLogger } from '../../src/log.js';
import { listen } from '../../src/server/http.server.js';
import { createRuntime } from '../../src/server/services.create.js';
import { MemoryRateCounter, TableRateCounter } from '../../src/storage/rate.counter.js';
import type { SqlStorage } from '../../src/storage/sql.storage.js';
import { openStorage, type Storage } from '../../src/storage/storage.js';
import { tileForLonLat } from '../../src/tiles/tile.grid.js';
import { fmtRow, repoRoot } from './bench.util.js';
// @ts-expect-error: a plain .mjs script without types
import { postgresBin, startPostgres } from '../postgres.mjs';

const N = Number(process.env.BENCH_N ?? 10_000);
/** Rounds of every case, interleaved; a case's figure is its best round (the machine is shared). */
const Rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const widths = [44, 14, 16];

/** Mean µs per call of `fn` run `n` times one after another (after a warm-up). */
async function perCall(n: number, fn: (i: number) => unknown): Promise<number> {
  for (let i = 0; i < Math.min(2000, n); i++) await fn(i);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await fn(i);
  return Number(process.hrtime.bigint() - t0) / 1000 / n;
}

/** Calls a second with `width` calls in flight. */
async function throughput(n: number, width: number, fn: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const t0 = process.hrtime.bigint();
  await Promise.all(Array.from({ length: width }, async () => { while (next < n) await fn(next++); }));
  return n / (Number(process.hrtime.bigint() - t0) / 1e9);
}

function row(what: string, us: number, ref?: number): void {
  process.stdout.write(`${fmtRow([what, `${us.toFixed(2)} µs`, ref ? `${(us / ref).toFixed(2)}x the bare statement` : ''], widths)}\n`);
}

/** Best µs per call of each case over `Rounds` interleaved rounds. */
async function best(cases: [string, (i: number) => unknown][]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (let r = 0; r < Rounds; r++) {
    for (const [name, fn] of cases) {
      const us = await perCall(N, fn);
      out.set(name, Math.min(out.get(name) ?? Infinity, us));
    }
  }
  return out;
}

/** A storage with an org, a key and a job to read. */
async function seeded(s: Storage): Promise<{ keyId: string; key: string; jobId: string }> {
  await s.orgs.create({ id: 'bench' });
  const { key, view } = await createApiKey(s, { orgId: 'bench', scopes: Scopes });
  const job = await s.jobs.create({ job: { id: 'job_bench', org_id: 'bench', key_id: view.id, kind: 'area', area: 'a', source_item_id: null, outputs_requested: '["visual"]', aoi: '{}', aoi_name: null, project_id: null, output_name: null, cost_km2: 0 }, checkHold: () => {} });
  return { keyId: view.id, key, jobId: job.id };
}

async function engineRows(label: string, s: Storage, bare?: Database.Database): Promise<void> {
  const { keyId, key, jobId } = await seeded(s);
  const table = new TableRateCounter((s as SqlStorage).sql);
  const memory = new MemoryRateCounter();
  const keyById = bare?.prepare('SELECT id, org_id, name, scopes, hash, hint, created_at, last_used_at, revoked_at FROM api_keys WHERE id = ?');
  const cases: [string, (i: number) => unknown][] = [
    ...(keyById ? [['bare prepared statement, key by id', () => keyById.get(keyId)] as [string, (i: number) => unknown]] : []),
    ['keys.get (the tile key check)', () => s.keys.get(keyId)],
    ['authenticate (key by hash, last use)', () => authenticate(s, key)],
    ['jobs.getForOrg', () => s.jobs.getForOrg('bench', jobId)],
    ['rate take, table (one upsert)', (i) => table.take(`org:${i % 100}`, 1e9, 60_000)],
    ...(s.backend === 'sqlite' ? [["rate take, memory (SQLite's fast path)", (i: number) => memory.take(`org:${i % 100}`, 1e9, 60_000)] as [string, (i: number) => unknown]] : []),
  ];
  const results = await best(cases);
  const refKey = results.get('bare prepared statement, key by id');
  for (const [name, us] of results) row(`${label}: ${name}`, us, name.startsWith('bare') ? undefined : refKey);
  if (s.backend === 'postgres') {
    process.stdout.write(`${fmtRow([`${label}: keys.get, 16 at once`, `${(await throughput(N, 16, () => s.keys.get(keyId))).toFixed(0)} /s`], widths)}\n`);
    process.stdout.write(`${fmtRow([`${label}: rate take, 16 at once`, `${(await throughput(N, 16, (i) => table.take(`org:${i % 100}`, 1e9, 60_000))).toFixed(0)} /s`], widths)}\n`);
  }
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
function request(url: string, method: string, headers: Record<string, string>, body?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Requests/s of an in-process server over one engine (`databaseUrl` unset: SQLite in a temp data dir). */
async function httpRows(label: string, databaseUrl: string | undefined): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'geopera-bench-storage-'));
  symlinkSync(path.join(repoRoot, 'data', 'areas'), path.join(dataDir, 'areas'));
  const config = loadConfig({ GEOPERA_DATA_DIR: dataDir, GEOPERA_LOG_LEVEL: 'silent', GEOPERA_WORKERS: '1', GEOPERA_TILE_WORKERS: '1', GEOPERA_RATE_ORG: '100000000', GEOPERA_RATE_SPEND: '1000', ...(databaseUrl ? { GEOPERA_DATABASE_URL: databaseUrl } : {}) });
  const runtime = await createRuntime(config, createLogger('silent'));
  const { server, url } = await listen(createApp(runtime.services, runtime.routers), '127.0.0.1', 0);
  await runtime.runner.start();
  try {
    const s = runtime.services.storage;
    await s.orgs.create({ id: 'bench-http' });
    const key = (await createApiKey(s, { orgId: 'bench-http', scopes: Scopes })).key;
    const headers = { 'x-api-key': key, 'content-type': 'application/json', accept: 'application/json' };
    const created = await fetch(`${url}/v1/op/clip.create_from_area`, { method: 'POST', headers, body: JSON.stringify({ organization_id: 'bench-http', area: 'demo-valley', mosaic_types: ['visual'], aoi_geometry: { type: 'Polygon', coordinates: [[[172.188, -43.668], [172.19, -43.668], [172.19, -43.666], [172.188, -43.666], [172.188, -43.668]]] } }) });
    const jobId = ((await created.json()) as { job: { id: string } }).job.id;
    for (let i = 0; ; i++) {
      const j = (await (await fetch(`${url}/v1/op/clip.job.get`, { method: 'POST', headers, body: JSON.stringify({ job_id: jobId }) })).json()) as { status: string };
      if (j.status === 'completed') break;
      if (i > 600 || j.status === 'failed') throw new Error(`bench job ${j.status}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const body = JSON.stringify({ job_id: jobId });
    const n = Math.max(2000, N / 4);
    const get = await throughput(n, 16, () => request(`${url}/v1/op/clip.job.get`, 'POST', headers, body));
    const info = (await (await fetch(`${url}/v1/op/clip.job.tile_info`, { method: 'POST', headers, body })).json()) as { tiles: string[]; bounds: number[]; maxzoom: number };
    const t = tileForLonLat((info.bounds[0]! + info.bounds[2]!) / 2, (info.bounds[1]! + info.bounds[3]!) / 2, info.maxzoom - 2);
    const tileUrl = info.tiles[0]!.replace('{z}', String(t.z)).replace('{x}', String(t.x)).replace('{y}', String(t.y));
    await request(tileUrl, 'GET', {});
    const tile = await throughput(n, 16, () => request(tileUrl, 'GET', {}));
    process.stdout.write(`${fmtRow([`${label}: HTTP clip.job.get, 16 in flight`, `${get.toFixed(0)} /s`], widths)}\n`);
    process.stdout.write(`${fmtRow([`${label}: HTTP cached tile by token, 16 in flight`, `${tile.toFixed(0)} /s`], widths)}\n`);
  } finally {
    server.closeAllConnections();
    server.close();
    await runtime.close(1000);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'geopera-bench-sqlite-'));
const lite = await openStorage({ dataDir: dir });
const bare = new Database(path.join(dir, 'geopera.db'));
process.stdout.write(`${fmtRow(['call (one at a time unless said)', 'per call', 'vs reference'], widths)}\n`);
await engineRows('SQLite', lite, bare);
bare.close();
await lite.close();
rmSync(dir, { recursive: true, force: true });

const pg = postgresBin() ? ((await startPostgres()) as { url: string; stop(): void }) : undefined;
try {
  if (pg) {
    const db = await openStorage({ dataDir: '', databaseUrl: pg.url, poolSize: 16 });
    await engineRows('PostgreSQL', db);
    await db.close();
  } else {
    process.stdout.write('PostgreSQL is not installed: its rows are skipped\n');
  }
  await httpRows('SQLite', undefined);
  if (pg) await httpRows('PostgreSQL', pg.url);
} finally {
  pg?.stop();
}
agent.destroy();
