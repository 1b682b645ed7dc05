/**
 * `npm run bench:stages` (and part of `npm run bench`): where a clip's time goes, against the ceiling the
 * codec rates of this machine allow, all measured in this run.
 *
 * 1. Codec rates: CPU milliseconds of one 512² tile through each step the engine uses (JPEG decode, JPEG
 *    decode at half size, JPEG encode with the engine's settings, mask tile encode, 2x2 average), one at a
 *    time, median of BENCH_REPEAT rounds.
 * 2. Per AOI (make_aoi.py, 100 / 1000 / 3000 m on the 16384² JPEG bench mosaic, and the 3000 m one moved 256 m
 *    east, whose window starts on an even tile column so that first-overview tiles are copied), the engine in
 *    this process after a warm-up clip of another place: one serial run (`concurrency: 1`, so the stage sums add up to
 *    its wall time: the cost of each stage) and BENCH_REPEAT normal runs (wall and CPU time of every thread
 *    of the process: the engine's JS thread and libuv's pool, where sharp and zlib run).
 * 3. The ceiling: the codec work the output needs, from the output's own tile counts (boundary tiles decoded
 *    and encoded, overview tiles encoded but for those copied from the source's first overview, inside tiles
 *    halved once for the first overview, the tiles of the summary's levels decoded once more; reads, copies
 *    and JS work counted free) at the rates of (1), divided by the cores. Clips gather their STAC summary,
 *    as the server's do.
 */
import { readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { halfFromJpeg } from '../../src/raster/clip/tile.half.js';
import { clipSourceToCog, type ClipResult } from '../../src/raster/clip/clip.run.js';
import { ClipStages, StageClock } from '../../src/raster/clip/stage.clock.js';
import { thumbnailLevel } from '../../src/raster/clip/summary.thumbnail.js';
import { decodeTile } from '../../src/raster/decode/tile.decode.js';
import { encodeMaskTile, encodeTile } from '../../src/raster/encode/tile.encode.js';
import { downsample2x } from '../../src/raster/plan/downsample.js';
import { readRasterInfo } from '../../src/raster/read/raster.open.js';
import { FileSource } from '../../src/raster/read/source.js';
import { readTileBytes } from '../../src/raster/read/tile.reader.js';
import { benchAoi, benchDir, benchInputs } from './bench.util.js';

const repeat = Number(process.env.BENCH_REPEAT ?? 5);
const cores = Number(process.env.BENCH_CORES ?? os.availableParallelism());
const size = Number(process.env.BENCH_SIZE ?? 16384);
const { mosaic, aois } = benchInputs(size, 'JPEG', [100, 1000, 3000]);
const elsewhere = benchAoi(size, 1000, -2500, 2500);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const cpuMs = (c: NodeJS.CpuUsage): number => (c.user + c.system) / 1000;

/** Median CPU ms of one call of `fn` (each call awaited before the next). */
async function rate(n: number, fn: (i: number) => unknown): Promise<number> {
  for (let i = 0; i < 4; i++) await fn(i);
  const rounds: number[] = [];
  for (let r = 0; r < repeat; r++) {
    const c0 = process.cpuUsage();
    for (let i = 0; i < n; i++) await fn(i);
    rounds.push(cpuMs(process.cpuUsage(c0)) / n);
  }
  return median(rounds);
}

const source = await FileSource.open(mosaic);
const info = await readRasterInfo(source);
const tiles: Uint8Array[] = [];
for (let i = 0; i < 16; i++) tiles.push((await readTileBytes(source, info, 0, 12 + (i % 4), 12 + (i >> 2)))[0]!);
const pixels = await decodeTile(info, 0, { tx: 12, ty: 12 }, [tiles[0]!]);
const spec = { width: 512, height: 512, bands: 3, dataType: 'uint8', compression: 7, predictor: 1, photometric: 6, jpegQuality: info.jpegQuality ?? 75 } as const;
const edgeMask = new Uint8Array(512 * 512);
for (let i = 0; i < edgeMask.length; i++) edgeMask[i] = (i % 512) + (i >> 9) < 600 ? 255 : 0;
const rates = {
  decode: await rate(16, (i) => decodeTile(info, 0, { tx: 12, ty: 12 }, [tiles[i % 16]!])),
  half: await rate(16, (i) => halfFromJpeg(tiles[i % 16]!, info.jpegTables, 512, 512, 3)),
  encode: await rate(16, () => encodeTile(pixels, spec)),
  mask: await rate(16, () => encodeMaskTile(edgeMask, 512, 512)),
  average: await rate(16, () => downsample2x(pixels, 512, 512, 3, { method: 'average', mask: edgeMask })),
};
await source.close();
process.stdout.write(`codec rates on this machine, CPU ms per 512² RGB tile (median of ${repeat} rounds, one at a time):\n`);
process.stdout.write(`  JPEG decode ${rates.decode.toFixed(2)} · JPEG decode at half size ${rates.half.toFixed(2)} · JPEG encode q${spec.jpegQuality} ${rates.encode.toFixed(2)} · mask tile encode ${rates.mask.toFixed(2)} · masked 2x2 average ${rates.average.toFixed(2)}\n\n`);

/** Non-empty tiles per level of a COG. */
async function tilesPerLevel(file: string): Promise<number[]> {
  const s = await FileSource.open(file);
  try {
    return (await readRasterInfo(s)).levels.map((l) => l.byteCounts.reduce((n, b) => n + (b > 0 ? 1 : 0), 0));
  } finally {
    await s.close();
  }
}

async function clip(aoi: string, out: string, opts: { concurrency?: number; clock?: StageClock } = {}): Promise<{ result: ClipResult; wallMs: number; cpuMs: number }> {
  const s = await FileSource.open(mosaic);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  try {
    const result = await clipSourceToCog(s, JSON.parse(readFileSync(aoi, 'utf8')) as unknown, out, { ...opts, summary: true });
    return { result, wallMs: performance.now() - t0, cpuMs: cpuMs(process.cpuUsage(c0)) };
  } finally {
    await s.close();
  }
}

const out = path.join(benchDir, 'stages_out.tif');
await clip(elsewhere, out); // warm-up: another place (the JIT, sharp, the page cache of the mosaic's header)
// The 3000 m AOI's window starts on source tile column 5; moved 256 m east it starts on column 6, where the
// output's first-overview tiles fall on the source's and those deep inside are copied (overview.copy.ts).
const rows: [string, string][] = [...[...aois].map(([radius, file]): [string, string] => [`${radius} m`, file]), ['3000 m, 256 m east', benchAoi(size, 3000, 256, 0)]];
const head = ['AOI', 'tiles in/bnd/ovr (copied)', ...ClipStages, 'sum', 'serial wall', 'ceiling', 'wall (x' + repeat + ')', 'CPU', 'wall ÷ ceiling'];
process.stdout.write(`${head.join(' | ')}\n`);
for (const [name, aoi] of rows) {
  const clock = new StageClock();
  const serial = await clip(aoi, out, { concurrency: 1, clock });
  const perLevel = await tilesPerLevel(out);
  const runs: { wallMs: number; cpuMs: number }[] = [];
  for (let i = 0; i < repeat; i++) runs.push(await clip(aoi, out));
  const t = serial.result.info.tiles as { inside: number; boundary: number; passthrough: number; source_overview_tiles: number };
  const overviewTiles = perLevel.slice(1).reduce((a, b) => a + b, 0);
  // First-overview tiles copied from the source are not encoded.
  const encodedOverviews = overviewTiles - t.source_overview_tiles;
  const summary = serial.result.summary!;
  const thumbLevel = Math.max(summary.level, thumbnailLevel(summary.info));
  const summaryTiles = perLevel[summary.level]! + (thumbLevel === summary.level ? 0 : perLevel[thumbLevel]!);
  const codecMs = t.boundary * (rates.decode + rates.encode + rates.mask) + encodedOverviews * (rates.encode + rates.mask) + t.inside * rates.half + summaryTiles * rates.decode;
  const ceiling = codecMs / cores;
  const stageMs = ClipStages.map((s) => clock.times[s]?.ms ?? 0);
  const wall = median(runs.map((r) => r.wallMs));
  process.stdout.write(`${[
    name, `${t.inside}/${t.boundary}/${overviewTiles} (${t.source_overview_tiles})`, ...stageMs.map((m) => m.toFixed(0)), stageMs.reduce((a, b) => a + b, 0).toFixed(0),
    serial.wallMs.toFixed(0), ceiling.toFixed(0), wall.toFixed(0), median(runs.map((r) => r.cpuMs)).toFixed(0), `${(wall / ceiling).toFixed(2)}x`,
  ].join(' | ')}\n`);
}
process.stdout.write(`(ms; stages from the serial run; ceiling = codec CPU the output needs ÷ ${cores} cores; wall and CPU: median of ${repeat} normal runs)\n`);
rmSync(out, { force: true });
