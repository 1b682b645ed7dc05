/**
 * `npm run bench:tiles-clips`: what a map user and an API client see while two 3000 m clips run on the
 * same server, and what the map costs the clips. One server (from dist/, as operators run it; the npm
 * script builds first) over the bench mosaic (16384² JPEG); the map shows a finished 1000 m clip
 * elsewhere on the mosaic (every tile of its zooms, at most BENCH_PER_ZOOM (150) a zoom, PNG).
 * BENCH_ROUNDS (3) rounds, each of:
 * - map alone: the tiles with 6 in flight (a browser's per-host limit), caches warm;
 * - clips alone: two 3000 m clips created at once, each polled with clip.job.get every 20 ms (the API
 *   probe) until both completed;
 * - clips and map: the same two clips while the map sweeps its tiles over and over with 6 in flight;
 * - clips and a panning user: the same two clips while a user browses the area's mosaic itself: a view of
 *   5 x 4 tiles never drawn before (a 1280 x 1024 screen panned by a screen), 6 in flight, then 500 ms of
 *   looking at it, then the next view.
 * Prints tile p50/p99, API (clip.job.get) p50/p99, and the clips' create → both completed, per phase and
 * the medians of the rounds; the slowdowns are (clips and map) ÷ (clips alone) and (clips and user) ÷
 * (clips alone); and the cores each party used while the clips ran beside the map (from /proc: the server's
 * event loop, its other threads, this client). The map phase is the worst case (a client asking again the moment it has an answer, its
 * tiles answered from the encoded-tile cache); the user phase is what a person at a map asks of the server.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateApiKey } from '../../src/auth/api.key.js';
import { agent, clipPolled, cpuSeconds, get, inFlight, linkBenchArea, median, op, percentile, startChildServer, stopChildServer, tileUrlOf, tilesOf } from './bench.child.js';
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

/** GET one map tile (an image or 204), its latency pushed to `lat`. */
async function timedTile(u: string, lat: number[]): Promise<void> {
  const a = performance.now();
  const res = await get(u);
  if (res.status !== 200 && res.status !== 204) throw new Error(`${u} answered ${res.status}`);
  lat.push(performance.now() - a);
}

/** Sweep the map's tiles with 6 in flight, once or (with `until`) over and over until it is set; latencies pushed to `lat`. */
async function sweep(urls: string[], lat: number[], until?: { done: boolean }): Promise<void> {
  do {
    await inFlight(urls, 6, async (u) => {
      if (!until?.done) await timedTile(u, lat);
    });
  } while (until && !until.done);
}

/**
 * A user panning over `views` (each a screenful of tile URLs), 6 in flight, `lookMs` between one view
 * loaded and the next asked for, until `until` is set; latencies pushed to `lat`.
 */
async function pan(views: string[][], lat: number[], until: { done: boolean }, lookMs = 500): Promise<void> {
  for (const view of views) {
    if (until.done) return;
    await inFlight(view, 6, (u) => timedTile(u, lat));
    await new Promise((r) => setTimeout(r, lookMs));
  }
  throw new Error('the panning user ran out of fresh views: give the bench a larger mosaic or fewer rounds');
}

/** Screens of 5 x 4 tiles of the area's mosaic at zoom `z`, none sharing a tile, nearest the centre first. */
function screens(bounds: [number, number, number, number], z: number, template: string): string[][] {
  const all = tilesOf(bounds, z, Infinity);
  const xs = all.map((t) => t.x);
  const ys = all.map((t) => t.y);
  const [x0, y0, x1, y1] = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  const out: { d: number; urls: string[] }[] = [];
  for (let sx = x0; sx + 5 <= x1 + 1; sx += 5) {
    for (let sy = y0; sy + 4 <= y1 + 1; sy += 4) {
      const urls: string[] = [];
      for (let x = sx; x < sx + 5; x++) for (let y = sy; y < sy + 4; y++) urls.push(tileUrlOf(template, { z, x, y }));
      out.push({ d: Math.hypot(sx + 2.5 - cx, sy + 2 - cy), urls });
    }
  }
  return out.sort((a, b) => a.d - b.d).map((v) => v.urls);
}

const p = (xs: number[], q: number): number => percentile([...xs].sort((a, b) => a - b), q);

/** CPU ms of the server (all threads), of its event loop (the main thread), and of this client, from now on. */
function cpuMeter(pid: number): () => { server: number; loop: number; client: number } {
  const [server, loop, client] = [cpuSeconds(pid), cpuSeconds(pid, true), process.cpuUsage()];
  return () => {
    const c = process.cpuUsage(client);
    return { server: (cpuSeconds(pid) - server) * 1000, loop: (cpuSeconds(pid, true) - loop) * 1000, client: (c.user + c.system) / 1000 };
  };
}
try {
  const mapJob = await clip(mapAoi, []);
  const info = await op(url, key, 'clip.job.tile_info', { job_id: mapJob, mosaic_type: 'visual' });
  const template = (info.tile_templates as Record<string, string>).png!;
  const urls: string[] = [];
  for (let z = info.minzoom as number; z <= (info.maxzoom as number); z++) {
    for (const t of tilesOf(info.bounds as [number, number, number, number], z, perZoom)) urls.push(tileUrlOf(template, t));
  }
  process.stdout.write(`map: ${urls.length} tiles (PNG, zooms ${String(info.minzoom)}..${String(info.maxzoom)}), 6 in flight; clips: two 3000 m AOIs at once\n`);
  // The panning user's screens: the area's own mosaic one zoom below its deepest, each screen drawn once.
  const areaJson = await (await fetch(`${url}/v1/tiles/areas/bench/visual/tilejson.json`, { headers: { authorization: `Bearer ${key}` } })).json() as Record<string, unknown>;
  const userZoom = (areaJson.maxzoom as number) - 1;
  const views = screens(areaJson.bounds as [number, number, number, number], userZoom, (areaJson.tile_templates as Record<string, string>).png!);
  process.stdout.write(`panning user: the area's mosaic at zoom ${userZoom}, ${views.length} screens of 5 x 4 fresh tiles, 500 ms looking at each\n`);
  await sweep(urls, []); // caches and JIT warm
  await Promise.all([clip(big, []), clip(big, [])]); // the clip threads warm
  const rows: Record<string, number>[] = [];
  for (let i = 0; i < rounds; i++) {
    const alone: number[] = [];
    await sweep(urls, alone);
    const apiAlone: number[] = [];
    let t0 = performance.now();
    const aloneMeter = cpuMeter(child.pid!);
    await Promise.all([clip(big, apiAlone), clip(big, apiAlone)]);
    const clipsAloneMs = performance.now() - t0;
    const aloneCpu = aloneMeter();
    const during: number[] = [];
    const apiDuring: number[] = [];
    const until = { done: false };
    const map = sweep(urls, during, until);
    t0 = performance.now();
    const meter = cpuMeter(child.pid!);
    await Promise.all([clip(big, apiDuring), clip(big, apiDuring)]);
    const clipsWithMapMs = performance.now() - t0;
    // Cores used meanwhile: the map's two busy threads (the server's event loop, this client) and the rest of the server (the clips).
    const cpu = meter();
    until.done = true;
    await map;
    const user: number[] = [];
    const apiUser: number[] = [];
    const userUntil = { done: false };
    const panning = pan(views.splice(0, Math.ceil(views.length / (rounds - i))), user, userUntil);
    t0 = performance.now();
    await Promise.all([clip(big, apiUser), clip(big, apiUser)]);
    const clipsWithUserMs = performance.now() - t0;
    userUntil.done = true;
    await panning;
    const row = {
      tile_p50: p(alone, 50), tile_p99: p(alone, 99), clips_alone_ms: clipsAloneMs, api_p99_alone: p(apiAlone, 99),
      tile_p50_clips: p(during, 50), tile_p99_clips: p(during, 99), api_p99_clips: p(apiDuring, 99), clips_with_map_ms: clipsWithMapMs, tiles_during: during.length,
      tile_p50_user: p(user, 50), tile_p99_user: p(user, 99), api_p99_user: p(apiUser, 99), clips_with_user_ms: clipsWithUserMs, tiles_user: user.length,
      cores_clips_alone: (aloneCpu.server - aloneCpu.loop) / clipsAloneMs, cores_loop: cpu.loop / clipsWithMapMs, cores_client: cpu.client / clipsWithMapMs, cores_clips: (cpu.server - cpu.loop) / clipsWithMapMs,
    };
    rows.push(row);
    process.stdout.write(`round ${i + 1}: ${Object.entries(row).map(([k, v]) => `${k} ${k.startsWith('cores') ? v.toFixed(2) : v.toFixed(0)}`).join(', ')}\n`);
  }
  const med = (k: string): number => median(rows.map((r) => r[k]!));
  process.stdout.write(`median of ${rounds}: map alone tile p50 ${med('tile_p50').toFixed(1)} ms, p99 ${med('tile_p99').toFixed(1)} ms; API p99 with clips alone ${med('api_p99_alone').toFixed(1)} ms\n`);
  process.stdout.write(`while two 3000 m clips run: tile p50 ${med('tile_p50_clips').toFixed(1)} ms, p99 ${med('tile_p99_clips').toFixed(1)} ms; API (clip.job.get) p99 ${med('api_p99_clips').toFixed(1)} ms\n`);
  process.stdout.write(`two 3000 m clips: ${(med('clips_alone_ms') / 1000).toFixed(2)} s alone, ${(med('clips_with_map_ms') / 1000).toFixed(2)} s beside the map: slowed ${(100 * (med('clips_with_map_ms') / med('clips_alone_ms') - 1)).toFixed(0)} %\n`);
  // The map client asks again as soon as it has an answer: a faster server serves it more tiles in the same time.
  process.stdout.write(`the map meanwhile: ${median(rows.map((r) => (1000 * r.tiles_during!) / r.clips_with_map_ms!)).toFixed(0)} tiles/s (median of the rounds)\n`);
  // A client that asks again the moment it has an answer takes the CPU it is given: its share of the two cores, not the server's speed, sets the slowdown.
  process.stdout.write(`cores used meanwhile: the server's event loop ${med('cores_loop').toFixed(2)}, this client ${med('cores_client').toFixed(2)}, the rest of the server (the clips) ${med('cores_clips').toFixed(2)} (${med('cores_clips_alone').toFixed(2)} with the clips alone)\n`);
  process.stdout.write(`while two 3000 m clips run beside a panning user: tile p50 ${med('tile_p50_user').toFixed(1)} ms, p99 ${med('tile_p99_user').toFixed(1)} ms; API p99 ${med('api_p99_user').toFixed(1)} ms; ${median(rows.map((r) => (1000 * r.tiles_user!) / r.clips_with_user_ms!)).toFixed(0)} fresh tiles/s\n`);
  process.stdout.write(`two 3000 m clips beside the panning user: ${(med('clips_with_user_ms') / 1000).toFixed(2)} s: slowed ${(100 * (med('clips_with_user_ms') / med('clips_alone_ms') - 1)).toFixed(0)} %\n`);
} finally {
  agent.destroy();
  await stopChildServer(child);
  rmSync(dataDir, { recursive: true, force: true });
}
