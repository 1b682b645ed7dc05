/**
 * `npm run bench`: our clip beside gdalwarp on the same files, in the same run (the machine is shared,
 * so compare ratios). Mosaic: make_mosaic.py 16384 JPEG; AOIs: make_aoi.py radius 1000 m and 3000 m.
 * Prints wall time and peak RSS of: the engine alone (scripts/clip.ts, process start included), the API
 * on a running server (create → completed → downloaded, see api.clip.bench.ts; RSS of the whole server
 * process), and gdalwarp -cutline -crop_to_cutline -of COG.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { benchDir, benchInputs, fmtRow, repoRoot, timed } from './bench.util.js';

const size = Number(process.env.BENCH_SIZE ?? 16384);
const { mosaic, aois } = benchInputs(size, 'JPEG', [1000, 3000]);
const widths = [10, 28, 10, 12, 10];
process.stdout.write(`mosaic ${path.basename(mosaic)} (${size}x${size} RGB JPEG, 512 tiles)\n`);
process.stdout.write(`${fmtRow(['AOI', 'what', 'wall s', 'peak RSS MB', 'vs gdalwarp'], widths)}\n`);
for (const [radius, aoi] of aois) {
  const ours = path.join(benchDir, `ours_${radius}.tif`);
  const gdal = path.join(benchDir, `gdal_${radius}.tif`);
  const engine = timed(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'scripts/clip.ts'), mosaic, aoi, ours]);
  const api = timed(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'scripts/bench/api.clip.bench.ts'), mosaic, aoi]);
  const warp = timed('gdalwarp', ['-q', '-overwrite', '-multi', '-wo', 'NUM_THREADS=ALL_CPUS', '-co', 'NUM_THREADS=ALL_CPUS', '-cutline', aoi, '-crop_to_cutline', '-dstalpha', '-of', 'COG', '-co', 'COMPRESS=JPEG', mosaic, gdal]);
  const tiles = (JSON.parse(engine.stdout) as { info: { tiles: Record<string, number> } }).info.tiles;
  // A user's server is already running: the API row is create → completed → downloaded, timed inside the process.
  const apiTotal = (JSON.parse(api.stdout) as { total_s: number }).total_s;
  const row = (what: string, t: { wallS: number; peakRssMb: number }, ratio: boolean): string =>
    fmtRow([`${radius} m`, what, t.wallS.toFixed(2), t.peakRssMb.toFixed(0), ratio ? `${(warp.wallS / t.wallS).toFixed(1)}x faster` : ''], widths);
  process.stdout.write(`${row('geopera engine (clip.ts)', engine, true)}\n`);
  process.stdout.write(`${row('geopera API create→download', { wallS: apiTotal, peakRssMb: api.peakRssMb }, true)}\n`);
  process.stdout.write(`${row('gdalwarp -cutline (COG)', warp, false)}\n`);
  process.stdout.write(`${fmtRow([`${radius} m`, `tiles: ${tiles.inside} inside (${tiles.passthrough} copied), ${tiles.boundary} boundary, ${tiles.outside} empty`], [10, 80])}\n`);
  rmSync(ours, { force: true });
  rmSync(gdal, { force: true });
}
