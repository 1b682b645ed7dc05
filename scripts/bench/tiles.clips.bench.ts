/**
 * `npm run bench:tiles-clips`: what a map user and an API client see while two 3000 m clips run on the
 * same server, and what the map costs the clips. One server (from dist/, as operators run it; the npm
 * script builds first) over the bench mosaic (16384² JPEG); the map shows a finished 1000 m clip
 * elsewhere on the mosaic (every tile of its zooms, at most BENCH_PER_ZOOM (150) a zoom, PNG).
 * BENCH_ROUNDS (3) rounds, each of:
 * - map alone: the tiles with 6 in flight (a browser's per-host limit), caches warm;
 * - clips alone: two 3000 m clips created at once, each polled with clip.job.get every 20 ms (the API
 *   probe) until both completed;
 * - clips and map: the same two clips while the map sweeps its tiles over and over with 6 in flight.
 * Prints tile p50/p99, API (clip.job.get) p50/p99, and the clips' create → both completed, per phase and
 * the medians of the rounds; the slowdown is (clips and map) ÷ (clips alone).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateApiKey } from '../../src/auth/api.key.js';
import { agent, clipPolled, get, inFlight, linkBenchArea, median, op, percentile, startChildServer, stopChildServer, tilesOf } from './bench.child.js';
import { benchAoi, benchInputs } from './bench.util.js';

const size = 16384;
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const perZoom = Number(process.env.BENCH_PER_ZOOM ?? 150);
const { mosaic, aois } = benchInputs(size, 'JPEG', [3000]);
const big = JSON.parse(readFileSync(aois.get(3000)!, 'utf8')) as unknown;
const mapAoi = JSON.parse(readFileSync(benchAoi(size, 1000, -2500, 2500), 'utf8')) as unknown;

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'geopera-bench-tclips-'));
linkBenchArea(dataDir, 'bench', mosaic);
const key = generateApiKey();
const { url, child } = await startChildServer(dataDir, key, false);

/** Create a clip; resolves when it completed (polled every 20 ms, each poll's latency pushed to `api`). */
const clip = async (geometry: unknown, api: number[]): Promise<string> => (await clipPolled(url, key, geometry, api)).id;

/** Sweep the map's tiles with 6 in flight, once or (with `until`) over and over until it is set; latencies pushed to `lat`. */
async function sweep(urls: string[], lat: number[], until?: { done: boolean }): Promise<void> {
  do {
    await inFlight(urls, 6, async (u) => {
      if (until?.done) return;
      const a = performance.now();
      const res = await get(u);
      if (res.status !== 200 && res.status !== 204) throw new Error(`${u} answered ${res.status}`);
      lat.push(performance.now() - a);
    });
  } while (until && !until.done);
}

const p = (xs: number[], q: number): number => percentile([...xs].sort((a, b) => a - b), q);
try {
  const mapJob = await clip(mapAoi, []);
  const info = await op(url, key, 'clip.job.tile_info', { job_id: mapJob, mosaic_type: 'visual' });
  const template = (info.tile_templates as Record<string, string>).png!;
  const urls: string[] = [];
  for (let z = info.minzoom as number; z <= (info.maxzoom as number); z++) {
    for (const t of tilesOf(info.bounds as [number, number, number, number], z, perZoom)) urls.push(template.replace('{z}', String(t.z)).replace('{x}', String(t.x)).replace('{y}', String(t.y)));
  }
  process.stdout.write(`map: ${urls.length} tiles (PNG, zooms ${String(info.minzoom)}..${String(info.maxzoom)}), 6 in flight; clips: two 3000 m AOIs at once\n`);
  await sweep(urls, []); // caches and JIT warm
  await Promise.all([clip(big, []), clip(big, [])]); // the clip threads warm
  const rows: Record<string, number>[] = [];
  for (let i = 0; i < rounds; i++) {
    const alone: number[] = [];
    await sweep(urls, alone);
    const apiAlone: number[] = [];
    let t0 = performance.now();
    await Promise.all([clip(big, apiAlone), clip(big, apiAlone)]);
    const clipsAloneMs = performance.now() - t0;
    const during: number[] = [];
    const apiDuring: number[] = [];
    const until = { done: false };
    const map = sweep(urls, during, until);
    t0 = performance.now();
    await Promise.all([clip(big, apiDuring), clip(big, apiDuring)]);
    const clipsWithMapMs = performance.now() - t0;
    until.done = true;
    await map;
    const row = {
      tile_p50: p(alone, 50), tile_p99: p(alone, 99), clips_alone_ms: clipsAloneMs, api_p99_alone: p(apiAlone, 99),
      tile_p50_clips: p(during, 50), tile_p99_clips: p(during, 99), api_p99_clips: p(apiDuring, 99), clips_with_map_ms: clipsWithMapMs, tiles_during: during.length,
    };
    rows.push(row);
    process.stdout.write(`round ${i + 1}: ${Object.entries(row).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ')}\n`);
  }
  const med = (k: string): number => median(rows.map((r) => r[k]!));
  process.stdout.write(`median of ${rounds}: map alone tile p50 ${med('tile_p50').toFixed(1)} ms, p99 ${med('tile_p99').toFixed(1)} ms; API p99 with clips alone ${med('api_p99_alone').toFixed(1)} ms\n`);
  process.stdout.write(`while two 3000 m clips run: tile p50 ${med('tile_p50_clips').toFixed(1)} ms, p99 ${med('tile_p99_clips').toFixed(1)} ms; API (clip.job.get) p99 ${med('api_p99_clips').toFixed(1)} ms\n`);
  process.stdout.write(`two 3000 m clips: ${(med('clips_alone_ms') / 1000).toFixed(2)} s alone, ${(med('clips_with_map_ms') / 1000).toFixed(2)} s beside the map: slowed ${(100 * (med('clips_with_map_ms') / med('clips_alone_ms') - 1)).toFixed(0)} %\n`);
  // The map client asks again as soon as it has an answer: a faster server serves it more tiles in the same time.
  process.stdout.write(`the map meanwhile: ${median(rows.map((r) => (1000 * r.tiles_during!) / r.clips_with_map_ms!)).toFixed(0)} tiles/s (median of the rounds)\n`);
} finally {
  agent.destroy();
  await stopChildServer(child);
  rmSync(dataDir, { recursive: true, force: true });
}
