/**
 * `npm run bench:first`: what the first user after a server start waits for, against the same server warm,
 * in the same run. The server runs from dist/ as operators run it (`node bin/geopera.js serve`; the npm
 * script builds first) over a temp data dir whose area `bench` links the bench mosaic (16384² JPEG).
 * Each of BENCH_ROUNDS (3) rounds:
 * - first clip: start the server, create a 1000 m clip as soon as it listens, poll clip.job.get every
 *   20 ms until completed (create → completed); then a clip of another place (untimed) and the first AOI
 *   again: the warm reference;
 * - first tile: restart the server on the same data dir, GET one map tile of the finished job as soon as it
 *   listens (listening → image), then the next tile over (a warm render thread) as the reference.
 * Prints each round and the medians; start-up (spawn → listening) apart.
 */
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { generateApiKey } from '../../src/auth/api.key.js';
import { tileForLonLat } from '../../src/tiles/tile.grid.js';
import { agent, clipPolled, get, linkBenchArea, median, op, startChildServer, stopChildServer, tileUrlOf } from './bench.child.js';
import { benchAoi, benchInputs } from './bench.util.js';

const size = 16384;
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const { mosaic, aois } = benchInputs(size, 'JPEG', [1000]);
const aoi = JSON.parse(readFileSync(aois.get(1000)!, 'utf8')) as unknown;
const elsewhere = JSON.parse(readFileSync(benchAoi(size, 1000, -2500, 2500), 'utf8')) as unknown;

const clip = clipPolled;

// The bench's own first fetch loads undici and compiles its HTTP parser (25-40 ms): paid here, against a
// throwaway local server, so that round 1's first clip measures the server and not this client.
const warmClient = http.createServer((_req, res) => res.end('ok')).listen(0, '127.0.0.1');
await once(warmClient, 'listening');
await (await fetch(`http://127.0.0.1:${(warmClient.address() as AddressInfo).port}/`)).text();
warmClient.close();

const rows: Record<string, number>[] = [];
for (let i = 0; i < rounds; i++) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'geopera-bench-first-'));
  linkBenchArea(dataDir, 'bench', mosaic);
  const key = generateApiKey();
  try {
    let t0 = performance.now();
    let server = await startChildServer(dataDir, key, false);
    const startMs = performance.now() - t0;
    const first = await clip(server.url, key, aoi);
    await clip(server.url, key, elsewhere);
    const warm = await clip(server.url, key, aoi);
    const info = await op(server.url, key, 'clip.job.tile_info', { job_id: first.id, mosaic_type: 'visual' });
    await stopChildServer(server.child);

    t0 = performance.now();
    server = await startChildServer(dataDir, key, false);
    const restartMs = performance.now() - t0;
    const [w, s, e, n] = info.bounds as number[];
    const z = info.maxzoom as number;
    const at = tileForLonLat((w! + e!) / 2, (s! + n!) / 2, z);
    const template = (info.tile_templates as Record<string, string>).png!.replace(/^https?:\/\/[^/]+/, server.url);
    const tileUrl = (dx: number): string => tileUrlOf(template, { z, x: at.x + dx, y: at.y });
    t0 = performance.now();
    const r1 = await get(tileUrl(0));
    const firstTileMs = performance.now() - t0;
    t0 = performance.now();
    const r2 = await get(tileUrl(1));
    const nextTileMs = performance.now() - t0;
    if (r1.status !== 200 || r2.status !== 200) throw new Error(`tiles answered ${r1.status}, ${r2.status}`);
    await stopChildServer(server.child);
    const row = { start_ms: startMs, first_clip_ms: first.ms, first_queue_ms: first.queue, first_run_ms: first.run, warm_clip_ms: warm.ms, warm_queue_ms: warm.queue, warm_run_ms: warm.run, restart_ms: restartMs, first_tile_ms: firstTileMs, next_tile_ms: nextTileMs };
    rows.push(row);
    process.stdout.write(`round ${i + 1}: ${Object.entries(row).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ')}\n`);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
agent.destroy();
const med = (k: string): number => median(rows.map((r) => r[k]!));
process.stdout.write(`median of ${rounds}: server start → listening ${med('start_ms').toFixed(0)} ms\n`);
process.stdout.write(`first 1000 m clip after start ${med('first_clip_ms').toFixed(0)} ms, warm ${med('warm_clip_ms').toFixed(0)} ms: ${(med('first_clip_ms') / med('warm_clip_ms')).toFixed(2)}x (create → completed, polled every 20 ms; queue ${med('first_queue_ms').toFixed(0)} / ${med('warm_queue_ms').toFixed(0)} ms, run ${med('first_run_ms').toFixed(0)} / ${med('warm_run_ms').toFixed(0)} ms)\n`);
process.stdout.write(`first tile after start ${med('first_tile_ms').toFixed(0)} ms (listening → image; start → listening ${med('restart_ms').toFixed(0)} ms), next tile ${med('next_tile_ms').toFixed(0)} ms\n`);
