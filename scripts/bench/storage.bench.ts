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
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { authenticate } from '../../src/auth/authenticate.js';
import { createApiKey } from '../../src/auth/key.service.js';
import { Scopes } from '../../src/auth/scopes.js';
import { MemoryRateCounter, TableRateCounter } from '../../src/storage/rate.counter.js';
import type { SqlStorage } from '../../src/storage/sql.storage.js';
import { openStorage, type Storage } from '../../src/storage/storage.js';
import { apiRates, closeAgent, throughput } from './api.rate.js';
import { fmtRow } from './bench.util.js';
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

/** Requests/s over HTTP of an in-process server on one engine (`databaseUrl` unset: SQLite in a temp data dir). */
async function httpRows(label: string, databaseUrl: string | undefined): Promise<void> {
  const r = await apiRates(databaseUrl ? { GEOPERA_DATABASE_URL: databaseUrl } : {}, Math.max(2000, N / 4));
  process.stdout.write(`${fmtRow([`${label}: HTTP clip.job.get, 16 in flight`, `${r.jobGet.toFixed(0)} /s`], widths)}\n`);
  process.stdout.write(`${fmtRow([`${label}: HTTP cached tile by token, 16 in flight`, `${r.cachedTile.toFixed(0)} /s`], widths)}\n`);
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
closeAgent();
