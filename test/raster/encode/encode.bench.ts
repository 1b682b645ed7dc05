/**
 * Encode speed of one 512x512 RGB uint8 tile per codec (not a test; run by hand):
 *   node --import tsx test/raster/encode/encode.bench.ts
 * Pixels: a window of the real aerial fixture when the corpus is present (read by GDAL), else synthetic.
 * Prints ms per tile (median of runs, sequential, one tile at a time) and the encoded size.
 */
import path from 'node:path';
import { encodeMaskTile, encodeTile } from '../../../src/raster/encode/tile.encode.js';
import type { TileEncodeSpec } from '../../../src/raster/encode/tile.encode.js';
import { Compression } from '../../../src/raster/raster.types.js';
import { gdalPixels, hasGdalPython, hasRealFixtures, realFixturesDir } from '../../support/gdal.js';
import { synthImage } from '../cog/cog.fixture.js';

const S = 512;
const fixture = path.join(realFixturesDir, 'aerial_rgb_3857_jpeg_mask_cog.tif');
const pixels =
  hasGdalPython && hasRealFixtures ? new Uint8Array(gdalPixels(fixture, { window: [256, 256, S, S] })) : (synthImage(S, S, 3, 'uint8', 1) as Uint8Array);
console.log(`pixels: ${hasGdalPython && hasRealFixtures ? 'aerial_rgb_3857_jpeg_mask_cog.tif window' : 'synthetic'}`);

const base: TileEncodeSpec = { width: S, height: S, bands: 3, dataType: 'uint8', compression: Compression.None, predictor: 1, photometric: 2 };
const cases: [string, TileEncodeSpec][] = [
  ['JPEG q85 YCbCr 4:2:0', { ...base, compression: Compression.Jpeg, photometric: 6, jpegQuality: 85 }],
  ['WEBP q75', { ...base, compression: Compression.Webp, webpQuality: 75 }],
  ['WEBP lossless', { ...base, compression: Compression.Webp, webpLossless: true }],
  ['DEFLATE level 6', { ...base, compression: Compression.AdobeDeflate }],
  ['DEFLATE level 6 + predictor 2', { ...base, compression: Compression.AdobeDeflate, predictor: 2 }],
  ['DEFLATE level 1 + predictor 2', { ...base, compression: Compression.AdobeDeflate, predictor: 2, deflateLevel: 1 }],
  ['LZW', { ...base, compression: Compression.Lzw }],
  ['LZW + predictor 2', { ...base, compression: Compression.Lzw, predictor: 2 }],
  ['PackBits', { ...base, compression: Compression.PackBits }],
];

const RUNS = 30;
for (const [name, spec] of cases) {
  await encodeTile(pixels, spec); // warm up
  const times: number[] = [];
  let size = 0;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    size = (await encodeTile(pixels, spec)).length;
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  console.log(`${name.padEnd(32)} ${times[RUNS >> 1]!.toFixed(2).padStart(7)} ms/tile  ${(size / 1024).toFixed(0).padStart(5)} KiB (${((100 * size) / pixels.length).toFixed(1)}%)`);
}
// Concurrency: 8 JPEG and 8 DEFLATE tiles in flight (sharp and zlib run off the main thread).
for (const [name, spec] of [cases[0]!, cases[4]!]) {
  const t0 = performance.now();
  await Promise.all(Array.from({ length: 64 }, () => encodeTile(pixels, spec)));
  console.log(`${name.padEnd(32)} ${((performance.now() - t0) / 64).toFixed(2).padStart(7)} ms/tile with 64 in flight`);
}
const mask = new Uint8Array(S * S).map((_, i) => ((i % S) + Math.floor(i / S) < 600 ? 255 : 0));
const t0 = performance.now();
for (let i = 0; i < RUNS; i++) await encodeMaskTile(mask, S, S);
console.log(`${'mask (1-bit DEFLATE)'.padEnd(32)} ${((performance.now() - t0) / RUNS).toFixed(2).padStart(7)} ms/tile`);
