/**
 * API requests a second over HTTP against an in-process geopera on the engines `env` selects (SQLite in a
 * temp data directory by default; `GEOPERA_DATABASE_URL` for PostgreSQL, `GEOPERA_STORAGE_URL` and `AWS_*`
 * for files in S3, the sample areas uploaded first): `clip.job.get` (authenticate, two rate-limit takes, a
 * job read) and a map tile by signed token (key check, tile from the encoded cache), `width` requests in
 * flight. Used by storage.bench.ts and backends.bench.ts.
 */
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createApiKey } from '../../src/auth/key.service.js';
import { Scopes } from '../../src/auth/scopes.js';
import { loadConfig } from '../../src/config.js';
import { createApp } from '../../src/http/app.js';
import { createLogger } from '../../src/log.js';
import { listen } from '../../src/server/http.server.js';
import { createRuntime } from '../../src/server/services.create.js';
import { tileForLonLat } from '../../src/tiles/tile.grid.js';
import { agent, get, inFlight, tileUrlOf } from './bench.child.js';
import { copyIntoStore, repoRoot } from './bench.util.js';

/** A POST with headers over the benches' keep-alive agent; its status. */
function post(url: string, headers: Record<string, string>, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Calls a second with `width` calls in flight. */
export async function throughput(n: number, width: number, fn: (i: number) => Promise<unknown>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await inFlight(Array.from({ length: n }, (_, i) => i), width, async (i) => { await fn(i); });
  return n / (Number(process.hrtime.bigint() - t0) / 1e9);
}

/** Requests/s of `clip.job.get` and of a cached tile by token, `n` requests each. */
export async function apiRates(env: Record<string, string>, n: number, width = 16): Promise<{ jobGet: number; cachedTile: number }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'geopera-bench-api-'));
  const config = loadConfig({ GEOPERA_DATA_DIR: dataDir, GEOPERA_LOG_LEVEL: 'silent', GEOPERA_WORKERS: '1', GEOPERA_TILE_WORKERS: '1', GEOPERA_RATE_ORG: '100000000', GEOPERA_RATE_SPEND: '1000', ...env });
  const runtime = await createRuntime(config, createLogger('silent'));
  if (config.files.kind === 's3') await copyIntoStore(runtime.files, path.join(repoRoot, 'data', 'areas'), 'areas');
  else symlinkSync(path.join(repoRoot, 'data', 'areas'), path.join(dataDir, 'areas'));
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
    const jobGet = await throughput(n, width, () => post(`${url}/v1/op/clip.job.get`, headers, body));
    const info = (await (await fetch(`${url}/v1/op/clip.job.tile_info`, { method: 'POST', headers, body })).json()) as { tiles: string[]; bounds: number[]; maxzoom: number };
    const t = tileForLonLat((info.bounds[0]! + info.bounds[2]!) / 2, (info.bounds[1]! + info.bounds[3]!) / 2, info.maxzoom - 2);
    const tileUrl = tileUrlOf(info.tiles[0]!, t);
    await get(tileUrl);
    const cachedTile = await throughput(n, width, () => get(tileUrl));
    return { jobGet, cachedTile };
  } finally {
    server.closeAllConnections();
    server.close();
    if (config.files.kind === 's3') await runtime.files.deletePrefix('');
    await runtime.close(1000);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Close the keep-alive sockets (at the end of a bench). */
export function closeAgent(): void {
  agent.destroy();
}
