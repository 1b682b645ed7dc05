/**
 * Hostile and broken TIFFs fail with a clear error before anything proportional to what they
 * declare is allocated: huge declared sizes, lying tag counts, offsets past the end, truncation,
 * IFD loops, decompression bombs.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { deflateSync } from 'node:zlib';
import { AppError } from '../../../src/errors/app.error.js';
import type { ErrorCode } from '../../../src/errors/error.codes.js';
import { openRaster } from '../../../src/raster/read/raster.open.js';
import { FileSource } from '../../../src/raster/read/source.js';
import { readWindow } from '../../../src/raster/read/window.read.js';
import { gdalPy, skipUnlessGdal } from '../../support/gdal.js';
import { forgeTiff, tiledGrey, type ForgedEntry } from './tiff.forge.js';

let dir = '';
let n = 0;

function write(bytes: Uint8Array): string {
  const file = path.join(dir, `forged-${n++}.tif`);
  writeFileSync(file, bytes);
  return file;
}

function failsWith(code: ErrorCode, pattern?: RegExp): (err: unknown) => boolean {
  return (err) => {
    assert.ok(err instanceof AppError, `expected an AppError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    if (pattern) assert.match(err.message, pattern);
    return true;
  };
}

/** Read every pixel of level 0 (opens, reads, closes). */
async function readAllPixels(file: string): Promise<void> {
  const info = await openRaster(file);
  const source = await FileSource.open(file);
  try {
    await readWindow(source, info, 0, 0, 0, info.levels[0].width, info.levels[0].height);
  } finally {
    await source.close();
  }
}

describe('guards against hostile and broken TIFFs', () => {
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'geopera-guards-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('rejects a 1 KB file that declares 10^6 x 10^6 pixels, without allocating for them', async () => {
    const file = write(forgeTiff(() => tiledGrey(1_000_000, 1_000_000, 256, 1, [0], [0])));
    assert.ok(readFileSync(file).length < 1024);
    const heap = process.memoryUsage().heapUsed;
    await assert.rejects(openRaster(file), failsWith('raster_too_large', /1000000x1000000/));
    assert.ok(process.memoryUsage().heapUsed - heap < 16 * 1024 * 1024, 'heap grew');
  });

  it('rejects tag counts that lie (15 million tile offsets in a tiny file) before reading them', async () => {
    const entries = tiledGrey(1_000_000, 1_000_000, 256, 1, [8], [8]).map((e) => (e.tag === 324 || e.tag === 325 ? { ...e, count: 15_258_789 } : e));
    await assert.rejects(openRaster(write(forgeTiff(() => entries))), failsWith('truncated_tiff', /tag 324|tag 325/));
  });

  it('rejects more tiles than the limit', async () => {
    const file = write(forgeTiff(() => tiledGrey(100_000, 100_000, 16, 1, [0], [0])));
    await assert.rejects(openRaster(file), failsWith('raster_too_large', /tiles/));
  });

  it('rejects a tile that would decode to more than the tile limit', async () => {
    const file = write(forgeTiff(() => tiledGrey(65_536, 65_536, 32_768, 1, [0, 0, 0, 0], [0, 0, 0, 0])));
    await assert.rejects(openRaster(file), failsWith('tile_too_large'));
  });

  it('rejects a tile count that does not match the grid', async () => {
    const file = write(forgeTiff(() => tiledGrey(64, 64, 16, 1, [0, 0], [0, 0])));
    await assert.rejects(openRaster(file), failsWith('invalid_tiff', /expected 16/));
  });

  it('rejects tile offsets past the end of the file', async () => {
    const file = write(forgeTiff(() => tiledGrey(16, 16, 16, 1, [1_000_000_000], [256])));
    await assert.rejects(openRaster(file), failsWith('truncated_tiff', /past the end/));
  });

  it('rejects a truncated file', async () => {
    const whole = forgeTiff((at) => tiledGrey(32, 32, 32, 1, [at], [1024]), new Uint8Array(1024).fill(7));
    await readAllPixels(write(whole));
    await assert.rejects(openRaster(write(whole.subarray(0, whole.length - 100))), failsWith('truncated_tiff'));
    await assert.rejects(openRaster(write(whole.subarray(0, 40))), failsWith('truncated_tiff'));
  });

  it('rejects a GDAL-made COG cut in half', { skip: skipUnlessGdal }, async () => {
    const cog = path.join(dir, 'cog.tif');
    gdalPy(
      `import sys, numpy as np
from osgeo import gdal
src = gdal.GetDriverByName('MEM').Create('', 600, 400, 3, gdal.GDT_Byte)
for b in range(3): src.GetRasterBand(b + 1).WriteArray(np.random.RandomState(b).randint(0, 255, (400, 600)).astype('uint8'))
gdal.Translate(sys.argv[1], src, format='COG', creationOptions=['COMPRESS=DEFLATE', 'BLOCKSIZE=256'])`,
      [cog],
    );
    await readAllPixels(cog);
    const bytes = readFileSync(cog);
    await assert.rejects(openRaster(write(bytes.subarray(0, bytes.length >> 1))), failsWith('truncated_tiff', /past the end/));
  });

  it('rejects what is not a TIFF, or too short to be one', async () => {
    await assert.rejects(openRaster(write(new Uint8Array([0x49, 0x49, 0x2a]))), failsWith('invalid_tiff'));
    await assert.rejects(openRaster(write(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]))), failsWith('invalid_tiff', /byte order/));
  });

  it('rejects an IFD chain that loops', async () => {
    await assert.rejects(openRaster(write(forgeTiff(() => tiledGrey(16, 16, 16, 1, [0], [0]), undefined, 8))), failsWith('invalid_tiff', /loops/));
  });

  it('rejects an IFD declaring more entries than the limit', async () => {
    const bytes = forgeTiff(() => tiledGrey(16, 16, 16, 1, [0], [0]));
    new DataView(bytes.buffer).setUint16(8, 60_000, true);
    await assert.rejects(openRaster(write(bytes)), failsWith('invalid_tiff', /60000 entries/));
  });

  it('stops a deflate bomb tile at the tile size, without ballooning memory', async () => {
    const bomb = deflateSync(Buffer.alloc(128 * 1024 * 1024), { level: 9 });
    const file = write(forgeTiff((at) => tiledGrey(256, 256, 256, 8, [at], [bomb.length]), bomb));
    const rss = process.memoryUsage().rss;
    await assert.rejects(readAllPixels(file), failsWith('tile_too_large', /DEFLATE/));
    assert.ok(process.memoryUsage().rss - rss < 64 * 1024 * 1024, `RSS grew by ${(process.memoryUsage().rss - rss) / 1e6} MB`);
  });

  it('rejects a ZSTD tile whose frame declares more than the tile size', async () => {
    // Frame header: magic, single segment with an 8-byte content size of 2^30, then one RLE block.
    const frame = new Uint8Array([0x28, 0xb5, 0x2f, 0xfd, 0xe0, 0, 0, 0, 0x40, 0, 0, 0, 0, 0x03, 0x00, 0x08, 0]);
    const file = write(forgeTiff((at) => tiledGrey(256, 256, 256, 50000, [at], [frame.length]), frame));
    await assert.rejects(readAllPixels(file), failsWith('tile_too_large', /ZSTD/));
  });

  it('names an unsupported compression', async () => {
    const file = write(forgeTiff((at) => tiledGrey(16, 16, 16, 34712, [at], [16]), new Uint8Array(16)));
    await assert.rejects(readAllPixels(file), failsWith('unsupported_compression', /Compression 34712 \(JPEG 2000\) is not supported/));
  });

  it('names an unsupported sample layout', async () => {
    const entries = (bits: number, format: number): ForgedEntry[] => [
      ...tiledGrey(16, 16, 16, 1, [0], [0]).filter((e) => e.tag !== 258),
      { tag: 258, type: 3, values: [bits] },
      { tag: 339, type: 3, values: [format] },
    ];
    await assert.rejects(openRaster(write(forgeTiff(() => entries(1, 1)))), failsWith('unsupported_tiff', /1-bit unsigned integer/));
    await assert.rejects(openRaster(write(forgeTiff(() => entries(16, 3)))), failsWith('unsupported_tiff', /16-bit floating point/));
    await assert.rejects(openRaster(write(forgeTiff(() => entries(32, 6)))), failsWith('unsupported_tiff', /complex/));
  });

  it('rejects a GeoTIFF in an EPSG code it does not know', async () => {
    const entries = [...tiledGrey(16, 16, 16, 1, [0], [0]), { tag: 34735, type: 3 as const, values: [1, 1, 0, 2, 1024, 0, 1, 1, 3072, 0, 1, 9999] }];
    await assert.rejects(openRaster(write(forgeTiff(() => entries))), failsWith('unsupported_crs', /EPSG:9999/));
  });
});
