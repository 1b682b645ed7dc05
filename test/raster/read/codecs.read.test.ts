/**
 * Each codec, predictor, byte order, layout and data type, on files GDAL makes here (see
 * codec.fixtures.ts): every level and mask we read equals GDAL's read of the same file (JPEG and
 * WEBP within a small tolerance), and what the reader does not support fails with its error code.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AppError } from '../../../src/errors/app.error.js';
import type { ErrorCode } from '../../../src/errors/error.codes.js';
import { pixelBytes } from '../../../src/raster/decode/pixel.array.js';
import { openRaster } from '../../../src/raster/read/raster.open.js';
import { FileSource } from '../../../src/raster/read/source.js';
import { readMaskWindow, readWindow } from '../../../src/raster/read/window.read.js';
import type { RasterInfo } from '../../../src/raster/raster.types.js';
import { skipUnlessGdal } from '../../support/gdal.js';
import { makeCodecVariants, type CodecVariant, type MadeVariant } from './codec.fixtures.js';
import { compareSamples } from './pixel.compare.js';

const T = ['TILED=YES', 'BLOCKXSIZE=128', 'BLOCKYSIZE=128'];
const STRIPS = ['TILED=NO', 'BLOCKYSIZE=10'];

interface Case extends CodecVariant {
  /** Largest accepted difference from GDAL's decode (lossy codecs) */
  tolerance?: number;
  /** Error code expected from opening or reading */
  expect?: ErrorCode;
  /** Bands of the file when GDAL writes fewer than the source has (alpha turned into a mask) */
  fileBands?: number;
  /** Facts about the structure to check */
  check?: (info: RasterInfo) => void;
}

const planar = (info: RasterInfo): void => assert.equal(info.planarConfiguration, 2);
const bigEndian = (info: RasterInfo): void => assert.equal(info.littleEndian, false);

const CASES: Case[] = [
  { name: 'u8_none_tiled', dataType: 'uint8', bands: 3, co: ['COMPRESS=NONE', ...T] },
  { name: 'u8_none_strips', dataType: 'uint8', bands: 3, co: ['COMPRESS=NONE', ...STRIPS], check: (i) => assert.equal(i.levels[0].tiled, false) },
  { name: 'u8_deflate_band', dataType: 'uint8', bands: 3, co: ['COMPRESS=DEFLATE', 'INTERLEAVE=BAND', ...T], check: planar },
  { name: 'u8_deflate_band_strips', dataType: 'uint8', bands: 4, co: ['COMPRESS=DEFLATE', 'INTERLEAVE=BAND', ...STRIPS], check: planar },
  { name: 'u8_lzw_p2', dataType: 'uint8', bands: 3, co: ['COMPRESS=LZW', 'PREDICTOR=2', ...T] },
  { name: 'u8_packbits', dataType: 'uint8', bands: 3, co: ['COMPRESS=PACKBITS', ...T] },
  { name: 'u8_zstd_p2_strips', dataType: 'uint8', bands: 3, co: ['COMPRESS=ZSTD', 'PREDICTOR=2', ...STRIPS] },
  { name: 'u8_jpeg_ycbcr', dataType: 'uint8', bands: 3, co: ['COMPRESS=JPEG', 'PHOTOMETRIC=YCBCR', ...T], tolerance: 2 },
  { name: 'u8_jpeg_rgb', dataType: 'uint8', bands: 3, co: ['COMPRESS=JPEG', 'PHOTOMETRIC=RGB', 'JPEG_QUALITY=90', ...T], tolerance: 2, check: (i) => assert.equal(i.jpegQuality, 90) },
  { name: 'u8_jpeg_band', dataType: 'uint8', bands: 3, co: ['COMPRESS=JPEG', 'INTERLEAVE=BAND', ...T], tolerance: 2, check: planar },
  { name: 'u8_jpeg_gray', dataType: 'uint8', bands: 1, co: ['COMPRESS=JPEG', ...T], tolerance: 2 },
  { name: 'u8_jpeg_strips', dataType: 'uint8', bands: 3, co: ['COMPRESS=JPEG', 'PHOTOMETRIC=YCBCR', 'TILED=NO', 'BLOCKYSIZE=16'], tolerance: 2 },
  { name: 'u8_webp', dataType: 'uint8', bands: 3, co: ['COMPRESS=WEBP', 'WEBP_LEVEL=90', ...T], tolerance: 2 },
  { name: 'u8_webp_rgba_lossless', dataType: 'uint8', bands: 4, co: ['COMPRESS=WEBP', 'WEBP_LOSSLESS=TRUE', ...T], tolerance: 0 },
  { name: 'u8_lerc', dataType: 'uint8', bands: 3, co: ['COMPRESS=LERC', 'MAX_Z_ERROR=0', ...T] },
  { name: 'i8_deflate_p2', dataType: 'int8', bands: 2, co: ['COMPRESS=DEFLATE', 'PREDICTOR=2', ...T], check: (i) => assert.equal(i.dataType, 'int8') },
  { name: 'u16_lzw_p2', dataType: 'uint16', bands: 3, co: ['COMPRESS=LZW', 'PREDICTOR=2', ...T] },
  { name: 'u16_zstd_p2_band', dataType: 'uint16', bands: 3, co: ['COMPRESS=ZSTD', 'PREDICTOR=2', 'INTERLEAVE=BAND', ...T], check: planar },
  { name: 'u16_deflate_p2_be', dataType: 'uint16', bands: 4, co: ['COMPRESS=DEFLATE', 'PREDICTOR=2', 'ENDIANNESS=BIG', ...T], check: bigEndian },
  { name: 'u16_packbits_be_strips', dataType: 'uint16', bands: 1, co: ['COMPRESS=PACKBITS', 'ENDIANNESS=BIG', ...STRIPS], check: bigEndian },
  { name: 'i16_lzw_be', dataType: 'int16', bands: 1, co: ['COMPRESS=LZW', 'ENDIANNESS=BIG', ...T], nodata: -32768, check: bigEndian },
  { name: 'u32_deflate_p2', dataType: 'uint32', bands: 2, co: ['COMPRESS=DEFLATE', 'PREDICTOR=2', ...T] },
  { name: 'i32_lzw_p2_be', dataType: 'int32', bands: 2, co: ['COMPRESS=LZW', 'PREDICTOR=2', 'ENDIANNESS=BIG', ...T], check: bigEndian },
  { name: 'i32_none_band_be', dataType: 'int32', bands: 3, co: ['COMPRESS=NONE', 'INTERLEAVE=BAND', 'ENDIANNESS=BIG', ...T], check: planar },
  { name: 'f32_deflate_p3', dataType: 'float32', bands: 1, co: ['COMPRESS=DEFLATE', 'PREDICTOR=3', ...T], nans: true },
  { name: 'f32_lzw_p3_be', dataType: 'float32', bands: 2, co: ['COMPRESS=LZW', 'PREDICTOR=3', 'ENDIANNESS=BIG', ...T], check: bigEndian },
  { name: 'f32_zstd_p3_band', dataType: 'float32', bands: 3, co: ['COMPRESS=ZSTD', 'PREDICTOR=3', 'INTERLEAVE=BAND', ...T], check: planar },
  { name: 'f32_deflate_p2', dataType: 'float32', bands: 1, co: ['COMPRESS=DEFLATE', 'PREDICTOR=2', ...T] },
  { name: 'f32_lerc_deflate', dataType: 'float32', bands: 1, co: ['COMPRESS=LERC_DEFLATE', 'MAX_Z_ERROR=0', ...T] },
  { name: 'f32_lerc_zstd_nan', dataType: 'float32', bands: 1, co: ['COMPRESS=LERC_ZSTD', 'MAX_Z_ERROR=0', ...T], nans: true },
  { name: 'f32_lerc_3band', dataType: 'float32', bands: 3, co: ['COMPRESS=LERC', 'MAX_Z_ERROR=0', ...T] },
  { name: 'f64_deflate_p3', dataType: 'float64', bands: 1, co: ['COMPRESS=DEFLATE', 'PREDICTOR=3', ...T], nans: true },
  { name: 'f64_deflate_p2', dataType: 'float64', bands: 2, co: ['COMPRESS=DEFLATE', 'PREDICTOR=2', ...T] },
  { name: 'f64_zstd_be_strips', dataType: 'float64', bands: 1, co: ['COMPRESS=ZSTD', 'ENDIANNESS=BIG', ...STRIPS], check: bigEndian },
  { name: 'f64_lerc', dataType: 'float64', bands: 1, co: ['COMPRESS=LERC', 'MAX_Z_ERROR=0', ...T] },
  { name: 'u8_bigtiff', dataType: 'uint8', bands: 3, co: ['COMPRESS=DEFLATE', 'BIGTIFF=YES', ...T], check: (i) => assert.equal(i.bigTiff, true) },
  { name: 'u8_bigtiff_be', dataType: 'uint16', bands: 1, co: ['COMPRESS=LZW', 'BIGTIFF=YES', 'ENDIANNESS=BIG', ...T], check: bigEndian },
  {
    name: 'u8_sparse_nodata', dataType: 'uint8', bands: 3, co: ['COMPRESS=DEFLATE', 'SPARSE_OK=TRUE', ...T], nodata: 9, nodataBlock: true,
    check: (i) => assert.equal(i.levels[0].byteCounts[0], 0),
  },
  { name: 'f32_sparse_band', dataType: 'float32', bands: 2, co: ['COMPRESS=ZSTD', 'SPARSE_OK=TRUE', 'INTERLEAVE=BAND', ...T], nodata: -5.5, nodataBlock: true, check: planar },
  { name: 'u16_overviews', dataType: 'uint16', bands: 2, co: ['COMPRESS=DEFLATE', 'PREDICTOR=2', ...T], overviews: [2, 4], check: (i) => assert.equal(i.levels.length, 3) },
  { name: 'cog_jpeg_mask', dataType: 'uint8', bands: 4, format: 'COG', co: ['COMPRESS=JPEG', 'BLOCKSIZE=128'], fileBands: 3, tolerance: 2, check: (i) => assert.equal(i.mask?.levels.length, i.levels.length) },
  {
    name: 'u8_sparse_mask', dataType: 'uint8', bands: 4, co: ['COMPRESS=DEFLATE', 'SPARSE_OK=TRUE', ...T], fileBands: 3, transparentBlock: true, maskFromAlpha: true,
    check: (i) => assert.deepEqual([i.levels[0].byteCounts[0], i.mask?.levels[0].byteCounts[0]], [0, 0]),
  },
  { name: 'cog_deflate_mask_strips', dataType: 'uint8', bands: 4, co: ['COMPRESS=DEFLATE', ...STRIPS], check: (i) => assert.equal(i.mask, undefined) },
  { name: 'u8_1bit', dataType: 'uint8', bands: 1, co: ['NBITS=1', 'COMPRESS=DEFLATE', ...T], expect: 'unsupported_tiff' },
  { name: 'u16_12bit', dataType: 'uint16', bands: 1, co: ['NBITS=12', 'COMPRESS=LZW', ...T], expect: 'unsupported_tiff' },
  { name: 'u8_lzma', dataType: 'uint8', bands: 1, co: ['COMPRESS=LZMA', ...T], expect: 'unsupported_compression' },
];

let dir = '';
let made: Record<string, MadeVariant> = {};
const diffs: string[] = [];

async function readAll(file: string, c: Case, m: MadeVariant): Promise<{ info: RasterInfo; maxDiff: number }> {
  const info = await openRaster(file);
  const source = await FileSource.open(file);
  let maxDiff = 0;
  try {
    assert.deepEqual(info.levels.map((l) => [l.width, l.height]), m.levels);
    assert.equal(info.mask !== undefined, m.mask === true, 'internal mask');
    for (let level = 0; level < info.levels.length; level++) {
      const { width, height } = info.levels[level];
      const ours = await readWindow(source, info, level, 0, 0, width, height);
      const diff = compareSamples(ours, readFileSync(`${file}.L${level}.bin`), info.dataType);
      maxDiff = Math.max(maxDiff, diff.maxDiff);
      if (c.tolerance === undefined) assert.equal(diff.mismatches, 0, `level ${level}: ${diff.mismatches} samples differ (first ${diff.first}, up to ${diff.maxDiff})`);
      else assert.ok(diff.maxDiff <= c.tolerance, `level ${level}: ${diff.mismatches} samples differ by up to ${diff.maxDiff}`);
      if (m.mask) {
        const mask = await readMaskWindow(source, info, level, 0, 0, width, height);
        assert.ok(mask && Buffer.from(pixelBytes(mask)).equals(readFileSync(`${file}.mask.L${level}.bin`)), `mask of level ${level} differs`);
      }
    }
  } finally {
    await source.close();
  }
  return { info, maxDiff };
}

describe('codecs and layouts against GDAL-made files', { skip: skipUnlessGdal }, () => {
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'geopera-codecs-'));
    const spec = path.join(dir, 'variants.json');
    writeFileSync(spec, JSON.stringify(CASES.map(({ check: _check, tolerance: _t, expect: _e, fileBands: _f, ...v }) => v)));
    made = makeCodecVariants(dir, spec);
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (diffs.length) console.log(`\nlossy codecs, max difference from GDAL's decode:\n${diffs.join('\n')}`);
  });

  for (const c of CASES) {
    it(`${c.name}: ${c.expect ? `fails with ${c.expect}` : 'reads as GDAL reads it'}`, async () => {
      const m = made[c.name];
      assert.ok(m && !m.error, `GDAL could not make ${c.name}: ${m?.error}`);
      const file = path.join(dir, `${c.name}.tif`);
      if (c.expect) {
        await assert.rejects(readAll(file, c, m), (err: unknown) => err instanceof AppError && err.code === c.expect && err.message.length > 0);
        return;
      }
      const { info, maxDiff } = await readAll(file, c, m);
      assert.equal(info.dataType, c.dataType);
      assert.equal(info.bands, c.fileBands ?? c.bands);
      c.check?.(info);
      if (c.tolerance !== undefined) diffs.push(`${c.name}: ${maxDiff}`);
    });
  }
});
