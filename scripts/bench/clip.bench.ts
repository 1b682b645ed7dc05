/**
 * `npm run bench`: our clip beside gdalwarp on the same files, in the same run (the machine is shared,
 * so compare ratios). Mosaic: make_mosaic.py 16384 JPEG; AOIs: make_aoi.py radius 1000 m and 3000 m.
 * Prints wall time and peak RSS of: the engine alone (scripts/clip.ts, process start included), the API
 * on a warm server (a clip of another place first; create → completed polled every 20 ms, then the download, see
 * api.clip.bench.ts; RSS of the whole server process), and gdalwarp -cutline -crop_to_cutline -of COG.
 * Then both AOIs on a warm server run from dist/ (server.clip.bench.ts: median of 3, the server's VmHWM).
 * Then a 100 m clip on a warm server (create → completed, median of 5) and where its time goes.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { benchAoi, benchDir, benchInputs, fmtRow, repoRoot, timed } from './bench.util.js';

const size = Number(process.env.BENCH_SIZE ?? 16384);
const { mosaic, aois } = benchInputs(size, 'JPEG', [1000, 3000]);
const widths = [10, 28, 10, 12, 10];
const elsewhere = benchAoi(size, 1000, -2500, 2500);
// The server's libuv pool as bin/geopera.js sizes it (the API bench runs the server in its own process).
const serverEnv = { ...process.env, UV_THREADPOOL_SIZE: process.env.UV_THREADPOOL_SIZE ?? '16' };
process.stdout.write(`mosaic ${path.basename(mosaic)} (${size}x${size} RGB JPEG, 512 tiles)\n`);
process.stdout.write(`${fmtRow(['AOI', 'what', 'wall s', 'peak RSS MB', 'vs gdalwarp'], widths)}\n`);
// The same AOIs on a server run from dist/ as operators run it (warm, median of 3, peak RSS = VmHWM).
const served = JSON.parse(timed(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'scripts/bench/server.clip.bench.ts'), mosaic, elsewhere, ...aois.values()]).stdout) as { create_to_completed_s: number[]; peak_rss_mb: number };
for (const [i, [radius, aoi]] of [...aois].entries()) {
  const ours = path.join(benchDir, `ours_${radius}.tif`);
  const gdal = path.join(benchDir, `gdal_${radius}.tif`);
  const engine = timed(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'scripts/clip.ts'), mosaic, aoi, ours]);
  // A warm server: a clip of another place first (untimed), then this one, polled every 20 ms.
  const api = timed(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'scripts/bench/api.clip.bench.ts'), mosaic, aoi, '--warm', elsewhere], serverEnv);
  const warp = timed('gdalwarp', ['-q', '-overwrite', '-multi', '-wo', 'NUM_THREADS=ALL_CPUS', '-co', 'NUM_THREADS=ALL_CPUS', '-cutline', aoi, '-crop_to_cutline', '-dstalpha', '-of', 'COG', '-co', 'COMPRESS=JPEG', mosaic, gdal]);
  const tiles = (JSON.parse(engine.stdout) as { info: { tiles: Record<string, number> } }).info.tiles;
  // A user's server is already running: the API row is create → completed (the download apart), timed inside the process.
  const apiRun = JSON.parse(api.stdout.trim().split('\n').at(-1)!) as { create_to_completed_s: number; download_s: number };
  const row = (what: string, t: { wallS: number; peakRssMb: number }, ratio: boolean): string =>
    fmtRow([`${radius} m`, what, t.wallS.toFixed(2), t.peakRssMb.toFixed(0), ratio ? `${(warp.wallS / t.wallS).toFixed(1)}x faster` : ''], widths);
  process.stdout.write(`${row('geopera engine (clip.ts)', engine, true)}\n`);
  process.stdout.write(`${row('geopera API create→completed', { wallS: apiRun.create_to_completed_s, peakRssMb: api.peakRssMb }, true)}  (download ${apiRun.download_s.toFixed(2)} s)\n`);
  process.stdout.write(`${row('geopera server (dist) median/3', { wallS: served.create_to_completed_s[i]!, peakRssMb: served.peak_rss_mb }, true)}  (create→completed; RSS: VmHWM over both AOIs)\n`);
  process.stdout.write(`${row('gdalwarp -cutline (COG)', warp, false)}\n`);
  process.stdout.write(`${fmtRow([`${radius} m`, `tiles: ${tiles.inside} inside (${tiles.passthrough} copied), ${tiles.boundary} boundary, ${tiles.outside} empty`], [10, 80])}\n`);
  rmSync(ours, { force: true });
  rmSync(gdal, { force: true });
}

// A small clip on a warm server: create → completed (polled every 20 ms), median of 5, and where its time goes.
{
  const small = benchInputs(size, 'JPEG', [100]).aois.get(100)!;
  const api = timed(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'scripts/bench/api.clip.bench.ts'), mosaic, small, '--warm', elsewhere, '--repeat', '5', '--no-download'], serverEnv);
  const lines = api.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  const summary = lines.at(-1)!;
  const runs = lines.slice(0, -1).sort((a, b) => (a.create_to_completed_s as number) - (b.create_to_completed_s as number));
  const mid = runs[Math.floor(runs.length / 2)]!;
  process.stdout.write(`${fmtRow(['100 m', 'geopera API create→completed', (summary.create_to_completed_s as number).toFixed(3), api.peakRssMb.toFixed(0), 'median of 5'], widths)}\n`);
  process.stdout.write(`100 m      median run: create ${String(mid.create_ms)} ms, queue ${String(mid.queue_ms)} ms, run ${String(mid.run_ms)} ms (clip thread ${String(mid.worker_ms)} ms: ${JSON.stringify(mid.stages)}), seen ${String(mid.seen_ms)} ms after finishing (${String(mid.polls)} polls)\n`);
}
