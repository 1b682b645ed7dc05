/**
 * Decode time of one 512 x 512 RGB tile per codec (and geotiff.js's JS decoders for comparison).
 * Makes its files with gdal_translate from the corpus's Sentinel-2 true-colour COG, so GDAL and
 * ../shared/fixtures/real are needed. Run: node --import tsx scripts/bench/tile.decode.bench.ts
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fromFile } from 'geotiff';
import { decodeTile } from '../../src/raster/decode/tile.decode.js';
import { openRaster } from '../../src/raster/read/raster.open.js';
import { readTileBytes } from '../../src/raster/read/tile.reader.js';
import { FileSource } from '../../src/raster/read/source.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const input = path.resolve(repo, '../shared/fixtures/real/s2_tci_utm34n_deflate_cog.tif');
const CODECS: [string, string[]][] = [
  ['JPEG (YCbCr, q75)', ['-co', 'COMPRESS=JPEG', '-co', 'PHOTOMETRIC=YCBCR']],
  ['DEFLATE', ['-co', 'COMPRESS=DEFLATE']],
  ['DEFLATE + predictor 2', ['-co', 'COMPRESS=DEFLATE', '-co', 'PREDICTOR=2']],
  ['LZW', ['-co', 'COMPRESS=LZW']],
  ['LZW + predictor 2', ['-co', 'COMPRESS=LZW', '-co', 'PREDICTOR=2']],
  ['ZSTD', ['-co', 'COMPRESS=ZSTD']],
  ['WEBP (q75)', ['-co', 'COMPRESS=WEBP']],
  ['LERC (lossless)', ['-co', 'COMPRESS=LERC', '-co', 'MAX_Z_ERROR=0']],
];
const ROUNDS = 40;

/** geotiff.js's own decode of the same four tiles, ms per tile (undefined when it cannot decode the codec in Node). */
async function geotiffJsMs(file: string): Promise<number | undefined> {
  const tiff = await fromFile(file);
  try {
    const image = await tiff.getImage(0);
    const read = (i: number): Promise<unknown> => image.readRasters({ window: [(i % 2) * 512, (i >> 1) * 512, (i % 2) * 512 + 512, (i >> 1) * 512 + 512], interleave: true });
    await read(0);
    const t = performance.now();
    for (let r = 0; r < 5; r++) for (let i = 0; i < 4; i++) await read(i);
    return (performance.now() - t) / 20;
  } catch {
    return undefined;
  } finally {
    await tiff.close();
  }
}

const dir = mkdtempSync(path.join(tmpdir(), 'geopera-bench-'));
try {
  console.log(`codec | bytes/tile | ours ms/tile | geotiff.js ms/tile`);
  for (const [name, co] of CODECS) {
    const file = path.join(dir, `${name.replace(/\W+/g, '_')}.tif`);
    execFileSync('gdal_translate', ['-q', '-srcwin', '0', '0', '1024', '1024', '-co', 'TILED=YES', '-co', 'BLOCKXSIZE=512', '-co', 'BLOCKYSIZE=512', ...co, input, file]);
    const info = await openRaster(file);
    const source = await FileSource.open(file);
    const tiles = await Promise.all([0, 1].flatMap((ty) => [0, 1].map((tx) => readTileBytes(source, info, 0, tx, ty))));
    for (let i = 0; i < 4; i++) await decodeTile(info, 0, { tx: i % 2, ty: i >> 1 }, tiles[i]); // warm-up
    const t = performance.now();
    for (let r = 0; r < ROUNDS; r++) for (let i = 0; i < 4; i++) await decodeTile(info, 0, { tx: i % 2, ty: i >> 1 }, tiles[i]);
    const ours = (performance.now() - t) / (ROUNDS * 4);
    await source.close();
    const js = await geotiffJsMs(file);
    const bytes = tiles.reduce((a, p) => a + (p[0]?.length ?? 0), 0) / 4;
    console.log(`${name} | ${Math.round(bytes)} | ${ours.toFixed(2)} | ${js === undefined ? 'n/a' : js.toFixed(2)}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
