/**
 * The clip oracle check (see clip.gdal.test.ts): an output against its source with GDAL as the oracle.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { clipToCog, type ClipResult } from '../../../src/raster/clip/clip.run.js';
import { summariseOutput } from '../../../src/raster/clip/output.summary.js';
import { openRaster } from '../../../src/raster/read/raster.open.js';
import { FileSource } from '../../../src/raster/read/source.js';
import { readTileBytes } from '../../../src/raster/read/tile.reader.js';
import { Compression } from '../../../src/raster/raster.types.js';
import type { GdalOracle } from '../../support/gdal.oracle.js';
import { typedView } from './clip.fixtures.js';

type Stats = { minimum: number; maximum: number; mean: number; stddev: number; valid_percent: number } | null;

/** Minimum, maximum and valid share equal; mean and standard deviation within rounding. */
function assertSameStatistics(ours: Stats[], theirs: Stats[], what: string): void {
  assert.equal(ours.length, theirs.length, `${what}: bands`);
  const near = (x: number, y: number): boolean => Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(y));
  ours.forEach((s, b) => {
    const o = theirs[b]!;
    if (s === null || o === null) return assert.equal(s, o, `${what}: band ${b + 1} without a valid value`);
    assert.deepEqual([s.minimum, s.maximum], [o.minimum, o.maximum], `${what}: band ${b + 1} min, max`);
    assert.ok(near(s.mean, o.mean) && near(s.stddev, o.stddev), `${what}: band ${b + 1} mean ${s.mean} vs ${o.mean}, stddev ${s.stddev} vs ${o.stddev}`);
    assert.ok(Math.abs(s.valid_percent - o.valid_percent) < 1e-3, `${what}: band ${b + 1} valid ${s.valid_percent} vs ${o.valid_percent}`);
  });
}

/** The summary gathered while writing: GDAL's statistics of the file at its level, and the summary read back from the file. */
async function verifySummary(gdal: GdalOracle, out: string, result: ClipResult): Promise<void> {
  const gathered = result.summary!;
  assertSameStatistics(gathered.statistics, await gdal.validStatistics(out, gathered.level), 'against GDAL');
  const source = await FileSource.open(out);
  try {
    const read = await summariseOutput(source);
    assert.deepEqual([gathered.level, gathered.width, gathered.height], [read.level, read.width, read.height]);
    assertSameStatistics(gathered.statistics, read.statistics, 'against the file read back');
    const [a, b] = await Promise.all([sharp(gathered.thumbnail).raw().toBuffer({ resolveWithObject: true }), sharp(read.thumbnail).raw().toBuffer({ resolveWithObject: true })]);
    assert.deepEqual(a.info, b.info);
    assert.ok(a.data.equals(b.data), 'the same thumbnail pixels');
  } finally {
    await source.close();
  }
}

/** Clip `src` to `aoi` and check the output against GDAL (see the file comment). */
export async function verifyClip(gdal: GdalOracle, dir: string, src: string, aoi: unknown, name: string): Promise<void> {
  const info = await openRaster(src);
  const lossy = info.compression === Compression.Jpeg || info.compression === Compression.Webp;
  const aoiFile = path.join(dir, `${name}.geojson`);
  await writeFile(aoiFile, JSON.stringify(aoi));
  const out = path.join(dir, `${name}.clip.tif`);
  const result = await clipToCog(src, aoi, out, { summary: true });
  await verifySummary(gdal, out, result);

  const v = await gdal.validateCog(out);
  assert.deepEqual(v.errors, [], `COG validation: ${v.errors.join('; ')}`);

  const ours = await gdal.info(out);
  const theirs = await gdal.info(src);
  const w = result.info.window as { x: number; y: number; width: number; height: number };
  assert.deepEqual(ours.size, [w.width, w.height]);
  const [ox, rx, , oy, , ry] = ours.geoTransform!;
  const [sx, srx, , sy, , sry] = theirs.geoTransform!;
  assert.ok(Math.abs(rx! - srx!) < 1e-9 * Math.abs(srx!) && Math.abs(ry! - sry!) < 1e-9 * Math.abs(sry!), 'same resolution');
  assert.ok(Math.abs((ox! - sx!) / srx! - w.x) < 1e-6 && Math.abs((oy! - sy!) / sry! - w.y) < 1e-6, 'on the source grid');
  assert.ok((ours.bands[0]!.overviews?.length ?? 0) >= (Math.max(w.width, w.height) > 512 ? 1 : 0), 'has overviews');

  // gdalwarp with the same cutline on the same grid: which pixels does GDAL call inside?
  const te = [ox!, oy! + ry! * w.height, ox! + rx! * w.width, oy!].map(String);
  const warped = path.join(dir, `${name}.warp.tif`);
  await gdal.warp(src, warped, ['-overwrite', '-te', ...te, '-tr', String(Math.abs(rx!)), String(Math.abs(ry!)), '-cutline', aoiFile, '-dstalpha', '-r', 'near', '-of', 'GTiff']);
  const bands = info.bands;
  // gdalwarp reuses a source alpha band as its -dstalpha band; otherwise it adds one.
  const warpBands = (await gdal.info(warped)).bands.length;
  // All bands + alpha of the warp, in the warped file's types; ours with its mask; the source's window and GDAL's own
  // validity of it (internal mask, alpha or nodata: gdalwarp -dstalpha ignores an internal mask).
  const [gdalAlpha, oursPixels, oursMask, srcWindow, srcMask] = await gdal.pixels([
    { file: warped },
    { file: out },
    { file: out, mask: true },
    { file: src, window: [w.x, w.y, w.width, w.height] },
    { file: src, window: [w.x, w.y, w.width, w.height], mask: true },
  ]) as [Buffer, Buffer, Buffer, Buffer, Buffer];
  const o = typedView(oursPixels, info.dataType);
  const s = typedView(srcWindow, info.dataType);
  const warpTyped = typedView(gdalAlpha, info.dataType);
  const n = w.width * w.height;
  let disagree = 0;
  let inside = 0;
  let maxDiff = 0;
  let sqErr = 0;
  let samples = 0;
  for (let i = 0; i < n; i++) {
    const gdalInside = warpTyped[i * warpBands + warpBands - 1]! !== 0 && srcMask[i]! > 0;
    const oursInside = oursMask[i]! > 0;
    if (gdalInside !== oursInside) disagree++;
    if (!oursInside) continue;
    inside++;
    for (let b = 0; b < bands; b++) {
      const a = o[i * bands + b]!;
      const z = s[i * bands + b]!;
      if (Number.isNaN(a) && Number.isNaN(z)) continue;
      maxDiff = Math.max(maxDiff, Math.abs(a - z));
      sqErr += (a - z) ** 2;
      samples++;
    }
  }
  assert.ok(inside > 0, 'some pixels inside');
  // gdalwarp -te/-tr makes a north-up grid, so for a rotated source it is no oracle for the mask
  // (test/raster/plan/mask.gdal.test.ts checks rotated grids against GDAL's rasterizer instead).
  const rotated = theirs.geoTransform![2] !== 0 || theirs.geoTransform![4] !== 0;
  if (!rotated) assert.equal(disagree, 0, `mask disagrees with gdalwarp -cutline on ${disagree} of ${n} pixels`);
  if (lossy) {
    // Re-encoded boundary tiles of a lossy source: within the codec's error.
    const psnr = 10 * Math.log10((255 * 255) / Math.max(1e-9, sqErr / samples));
    assert.ok(psnr >= 35, `PSNR inside the AOI ${psnr.toFixed(1)} dB (max difference ${maxDiff})`);
  } else {
    assert.equal(maxDiff, 0, `max difference inside the AOI ${maxDiff}`);
  }

  // Inside tiles are the source's bytes, unchanged.
  const tiles = result.info.tiles as { inside: number; passthrough: number };
  if (tiles.passthrough > 0) {
    const outInfo = await openRaster(out);
    const a = await FileSource.open(src);
    const b = await FileSource.open(out);
    try {
      const l0 = outInfo.levels[0]!;
      let checked = 0;
      for (let ty = 0; ty < l0.tilesDown && checked < 20; ty++) {
        for (let tx = 0; tx < l0.tilesAcross && checked < 20; tx++) {
          const [mine] = await readTileBytes(b, outInfo, 0, tx, ty);
          const [orig] = await readTileBytes(a, info, 0, tx + w.x / l0.tileWidth, ty + w.y / l0.tileHeight);
          if (mine && orig && mine.length === orig.length && Buffer.compare(Buffer.from(mine), Buffer.from(orig)) === 0) checked++;
        }
      }
      assert.ok(checked >= Math.min(tiles.passthrough, 20), `${checked} byte-identical tiles of ${tiles.passthrough} passthrough`);
    } finally {
      await a.close();
      await b.close();
    }
  }
}

