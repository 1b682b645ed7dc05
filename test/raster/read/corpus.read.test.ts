/**
 * Every GeoTIFF of the shared real-world corpus either reads exactly as GDAL reads it (every level,
 * the internal mask, geotransform, nodata, EPSG code) or fails with the error code listed here.
 * Lossy codecs (JPEG, WEBP) are decoded by sharp's libjpeg-turbo/libwebp, not GDAL's: their
 * difference is measured and bounded. Levels too big to compare whole are compared by windows.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { AppError } from '../../../src/errors/app.error.js';
import type { ErrorCode } from '../../../src/errors/error.codes.js';
import { pixelBytes } from '../../../src/raster/decode/pixel.array.js';
import { openRaster } from '../../../src/raster/read/raster.open.js';
import { FileSource } from '../../../src/raster/read/source.js';
import { readMaskWindow, readWindow } from '../../../src/raster/read/window.read.js';
import { Compression, type DataType, type RasterInfo } from '../../../src/raster/raster.types.js';
import { hasRealFixtures, realFixturesDir, skipUnlessRealFixtures } from '../../support/gdal.js';
import { gdalOracle, topLevelEpsg, type OracleRead } from './gdal.oracle.js';
import { compareSamples } from './pixel.compare.js';

/** Files of the corpus expected to fail, with their error code (none today). */
const EXPECTED_ERRORS: Readonly<Record<string, ErrorCode>> = {};

/** Largest JPEG/WEBP difference from GDAL's decoders accepted, per sample. */
const LOSSY_TOLERANCE = 2;

/** Levels with more samples than this are compared by windows. */
const WHOLE_LEVEL_SAMPLES = 4 * 1024 * 1024;

const GDAL_TYPES: Readonly<Record<string, DataType>> = {
  Byte: 'uint8', Int8: 'int8', UInt16: 'uint16', Int16: 'int16', UInt32: 'uint32', Int32: 'int32', Float32: 'float32', Float64: 'float64',
};

const files = hasRealFixtures ? readdirSync(realFixturesDir).filter((f) => f.endsWith('.tif')).sort() : [];
const table: string[] = [];

function windowsOf(width: number, height: number, bands: number): ([number, number, number, number] | undefined)[] {
  if (width * height * bands <= WHOLE_LEVEL_SAMPLES) return [undefined];
  const w = Math.min(777, width);
  const h = Math.min(555, height);
  return [
    [0, 0, w, h],
    [Math.floor((width - w) / 2), Math.floor((height - h) / 2), w, h],
    [width - w, height - h, w, h],
  ];
}

function close(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

/** GDAL's exact nodata as Python prints it. */
function nodataOf(v: string): number | null {
  if (v === 'None') return null;
  return v === 'nan' ? NaN : v === '-inf' ? -Infinity : v === 'inf' ? Infinity : Number(v);
}

describe('reader over the real corpus, GDAL as oracle', { skip: skipUnlessRealFixtures }, () => {
  after(() => {
    console.log(`\nfile | result | max diff vs GDAL | reads compared\n${table.sort().join('\n')}`);
  });

  for (const file of files) {
    it(`${file} reads as GDAL reads it`, async () => {
      const full = path.join(realFixturesDir, file);
      let info: RasterInfo;
      try {
        info = await openRaster(full);
      } catch (err) {
        if (err instanceof AppError && EXPECTED_ERRORS[file] === err.code) {
          table.push(`${file} | error ${err.code} | - | -`);
          return;
        }
        throw err;
      }
      assert.equal(EXPECTED_ERRORS[file], undefined, `${file} was expected to fail`);
      const reads: OracleRead[] = [];
      info.levels.forEach((l, level) => windowsOf(l.width, l.height, info.bands).forEach((window) => reads.push({ level, window })));
      info.mask?.levels.forEach((l, level) => windowsOf(l.width, l.height, 1).forEach((window) => reads.push({ level, window, mask: true })));
      const { info: gi, pixels } = gdalOracle(full, reads);

      // Structure, georeferencing and semantics against gdalinfo.
      assert.deepEqual([info.levels[0].width, info.levels[0].height], gi.size);
      assert.equal(info.bands, gi.bands.length);
      const gdalType = gi.metadata?.IMAGE_STRUCTURE?.PIXELTYPE === 'SIGNEDBYTE' ? 'int8' : GDAL_TYPES[gi.bands[0].type];
      assert.equal(info.dataType, gdalType);
      assert.deepEqual(info.levels.slice(1).map((l) => [l.width, l.height]), (gi.bands[0].overviews ?? []).map((o) => o.size));
      const gt = gi.geoTransform ?? [0, 1, 0, 0, 0, 1];
      assert.ok(info.geo.transform.every((v, i) => close(v, gt[i])), `geotransform ${info.geo.transform.join(',')} != GDAL's ${gt.join(',')}`);
      const nodata = nodataOf(gi.exactNodata);
      assert.ok(Object.is(info.nodata, nodata), `nodata ${info.nodata} != GDAL's ${nodata}`);
      assert.equal(info.geo.crs?.epsg, topLevelEpsg(gi.coordinateSystem?.wkt));
      const flags = gi.bands[0].mask?.flags ?? [];
      assert.equal(info.mask !== undefined, flags.length === 1 && flags[0] === 'PER_DATASET', `mask flags ${flags.join(',')}`);

      // Pixels, every level (and the mask), against GDAL's reads.
      const lossy = info.compression === Compression.Jpeg || info.compression === Compression.Webp;
      const source = await FileSource.open(full);
      let maxDiff = 0;
      try {
        for (const [i, r] of reads.entries()) {
          const lvl = (r.mask ? info.mask!.levels : info.levels)[r.level];
          const [x, y, w, h] = r.window ?? [0, 0, lvl.width, lvl.height];
          const label = `${r.mask ? 'mask ' : ''}level ${r.level} window ${x},${y} ${w}x${h}`;
          if (r.mask) {
            const ours = await readMaskWindow(source, info, r.level, x, y, w, h);
            assert.ok(ours, `${label}: no mask`);
            assert.ok(Buffer.from(pixelBytes(ours)).equals(pixels[i]), `${label}: mask differs from GDAL's`);
            continue;
          }
          const ours = await readWindow(source, info, r.level, x, y, w, h);
          const diff = compareSamples(ours, pixels[i], info.dataType);
          maxDiff = Math.max(maxDiff, diff.maxDiff);
          if (lossy) assert.ok(diff.maxDiff <= LOSSY_TOLERANCE, `${label}: ${diff.mismatches} samples differ, up to ${diff.maxDiff}`);
          else assert.equal(diff.mismatches, 0, `${label}: ${diff.mismatches} samples differ (first at ${diff.first}, up to ${diff.maxDiff})`);
        }
      } finally {
        await source.close();
      }
      table.push(`${file} | ok | ${lossy ? maxDiff : 0}${lossy ? ' (lossy)' : ''} | ${reads.length}`);
    });
  }
});
