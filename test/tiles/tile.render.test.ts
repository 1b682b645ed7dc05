/**
 * Drawing: styles (bands, alpha, palette, rescale), render defaults (percentiles, stored defaults),
 * resampling (nearest, bilinear, validity; the RGB fast path equals the general path), colours, the
 * byte-bounded caches, and a tile from a real file.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type { RasterInfo } from '../../src/raster/raster.types.js';
import { RasterCache } from '../../src/tiles/raster.cache.js';
import { computeRenderDefaults, defaultsJson, needsRescale, readStoredDefaults } from '../../src/tiles/render.defaults.js';
import { alphaBandOf, defaultBidx, resolveStyle } from '../../src/tiles/render.style.js';
import { byteMapping, colourise } from '../../src/tiles/tile.colour.js';
import { encodeTile } from '../../src/tiles/tile.encode.js';
import { resample, type PixelWindow, type ResampleOptions } from '../../src/tiles/tile.resample.js';
import { resampleRgb } from '../../src/tiles/tile.resample.rgb.js';
import { planRows } from '../../src/tiles/warp.plan.js';
import { realFixturesDir, skipUnlessRealFixtures } from '../support/gdal.js';
import sharp from 'sharp';

type InfoPart = Pick<RasterInfo, 'bands' | 'extraSamples' | 'dataType' | 'nodata' | 'photometric' | 'colorMap'>;
const base: InfoPart = { bands: 3, extraSamples: [], dataType: 'uint8', nodata: null, photometric: 2 };
const asInfo = (p: Partial<InfoPart>): RasterInfo => ({ ...base, ...p }) as unknown as RasterInfo;

describe('render styles', () => {
  it('draws RGB as is, RGBA with its alpha as validity, 4+ bands as the first three', () => {
    const rgb = resolveStyle(asInfo({}), null);
    assert.deepEqual(rgb.bands, [0, 1, 2]);
    assert.equal(rgb.rescale, null);
    assert.equal(rgb.resampling, 'bilinear');
    assert.equal(alphaBandOf({ bands: 4, extraSamples: [2] }), 3);
    const rgba = resolveStyle(asInfo({ bands: 4, extraSamples: [2] }), null);
    assert.deepEqual(rgba.bands, [0, 1, 2]);
    assert.equal(rgba.alphaBand, 3);
    assert.deepEqual(defaultBidx({ bands: 6, extraSamples: [0, 0, 0] }), [1, 2, 3]);
    assert.deepEqual(defaultBidx({ bands: 1, extraSamples: [] }), [1]);
  });

  it('draws palette images through their colour table with nearest neighbour', () => {
    const colorMap = [...Array(256).keys()].map((i) => i * 256).concat(Array(256).fill(0), Array(256).fill(65535));
    const s = resolveStyle(asInfo({ bands: 1, photometric: 3, colorMap }), null);
    assert.equal(s.resampling, 'nearest');
    assert.deepEqual([...s.palette!.subarray(3 * 7, 3 * 7 + 3)], [7, 0, 255]);
  });

  it('rescales 16-bit data by the defaults, overridable per request; bad bidx is 422', () => {
    const info = asInfo({ bands: 4, dataType: 'uint16', extraSamples: [0] });
    const s = resolveStyle(info, { rescale: [[100, 3000]], bidx: [1, 2, 3] });
    assert.deepEqual(s.rescale, [[100, 3000], [100, 3000], [100, 3000]]);
    const o = resolveStyle(info, { rescale: [[100, 3000]] }, { bidx: [4], rescale: [[0, 10000]] });
    assert.deepEqual(o.bands, [3]);
    assert.deepEqual(o.rescale, [[0, 10000]]);
    assert.throws(() => resolveStyle(info, null, { bidx: [5] }), (e: { code?: string }) => e.code === 'invalid_input');
    assert.throws(() => resolveStyle(info, null, { bidx: [1, 2] }), (e: { code?: string }) => e.code === 'invalid_input');
    assert.throws(() => resolveStyle(info, null, { rescale: [[0, 1], [0, 2]] }), (e: { code?: string }) => e.code === 'invalid_input');
  });
});

describe('render defaults', () => {
  it('8-bit RGB needs none; 16-bit gets one 2-98 % range over the drawn bands, ignoring nodata and masked pixels', () => {
    assert.deepEqual(computeRenderDefaults(base, null), {});
    const n = 10000;
    const pixels = new Uint16Array(n * 4);
    const valid = new Uint8Array(n).fill(1);
    for (let i = 0; i < n; i++) {
      pixels[i * 4] = 1000 + (i % 100);
      pixels[i * 4 + 1] = 2000 + (i % 100) * 2;
      pixels[i * 4 + 2] = 500 + (i % 100);
      pixels[i * 4 + 3] = 60000; // NIR, not drawn
      if (i % 10 === 0) pixels[i * 4] = pixels[i * 4 + 1] = pixels[i * 4 + 2] = 0; // nodata
      if (i % 10 === 1) { valid[i] = 0; pixels[i * 4] = 65000; } // masked
    }
    const d = computeRenderDefaults({ bands: 4, extraSamples: [0], dataType: 'uint16', nodata: 0, photometric: 2 }, { pixels, width: 100, height: 100, valid });
    assert.deepEqual(d.bidx, [1, 2, 3]);
    assert.equal(d.nodata, 0);
    const [[lo, hi]] = d.rescale!;
    assert.ok(lo >= 500 && lo <= 503, `low ${lo}`);
    assert.ok(hi >= 2190 && hi <= 2198, `high ${hi}`);
  });

  it('reads stored defaults: NaN nodata, one range per raster band narrowed to the drawn ones; junk dropped', () => {
    const info = { bands: 4, extraSamples: [0] };
    const d = readStoredDefaults({ rescale: [[1, 2], [3, 4], [5, 6], [7, 8]], bidx: [1, 2, 3], nodata: 'nan', percentiles: [2, 98] }, info)!;
    assert.deepEqual(d.rescale, [[1, 2], [3, 4], [5, 6]]);
    assert.ok(Number.isNaN(d.nodata));
    assert.deepEqual(defaultsJson(d).nodata, 'nan');
    assert.equal(readStoredDefaults('nope', info), null);
    assert.equal(readStoredDefaults({ rescale: [[5, 1]] }, info), null);
    assert.ok(needsRescale({ dataType: 'float32', photometric: 1 }, null));
    assert.ok(!needsRescale({ dataType: 'float32', photometric: 1 }, { rescale: [[0, 1]] }));
    assert.ok(!needsRescale({ dataType: 'uint8', photometric: 2 }, null));
  });
});

/** A window of `w × h` RGB bytes with a gradient and some invalid pixels. */
function testWindow(w: number, h: number, holes: boolean): PixelWindow {
  const data = new Uint8Array(w * h * 3);
  const valid = new Uint8Array(w * h).fill(1);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const p = (y * w + x) * 3;
      data[p] = (x * 7) & 255;
      data[p + 1] = (y * 5) & 255;
      data[p + 2] = ((x * y) >> 3) & 255;
      if (holes && (x * 13 + y * 7) % 11 === 0) valid[y * w + x] = 0;
    }
  }
  return { data, width: w, height: h, bands: 3, x0: 0, y0: 0, valid: holes ? valid : null };
}

function planOf(size: number, f: (i: number, j: number) => [number, number]): { size: number; cols: Float64Array; rows: Float64Array } {
  const cols = new Float64Array(size * size);
  const rows = new Float64Array(size * size);
  for (let j = 0; j < size; j++) for (let i = 0; i < size; i++) [cols[j * size + i], rows[j * size + i]] = f(i, j);
  return { size, cols, rows };
}

describe('resampling', () => {
  it('nearest takes the pixel under the centre; outside the window and invalid pixels are transparent', () => {
    const win = testWindow(8, 8, false);
    win.valid = new Uint8Array(64).fill(1);
    win.valid[2 * 8 + 3] = 0;
    const plan = planOf(4, (i, j) => [i * 2 + 1.5, j * 2 + 0.5]);
    const r = resample(win, plan, { bands: [0, 1, 2], method: 'nearest', levelScale: [1, 1], ratio: [2, 2] });
    assert.equal(r.values[0], win.data[0 * 3 + 1 * 3]);
    assert.equal(r.alpha[1 * 4 + 1], 0, 'the pixel at (3, 2) is invalid');
    const out = resample(win, planOf(2, () => [-1, 3]), { bands: [0], method: 'nearest', levelScale: [1, 1], ratio: [1, 1] });
    assert.equal(out.validCount, 0);
  });

  it('bilinear interpolates between pixel centres and skips invalid neighbours', () => {
    const win: PixelWindow = { data: new Float32Array([0, 10, 20, 30]), width: 2, height: 2, bands: 1, x0: 0, y0: 0, valid: null };
    const centre = resample(win, planOf(1, () => [1, 1]), { bands: [0], method: 'bilinear', levelScale: [1, 1], ratio: [1, 1] });
    assert.equal(centre.values[0], 15);
    win.valid = new Uint8Array([1, 1, 1, 0]);
    const skip = resample(win, planOf(1, () => [0.9, 0.9]), { bands: [0], method: 'bilinear', levelScale: [1, 1], ratio: [1, 1] });
    assert.ok(Math.abs(skip.values[0]! - (10 * 0.24 + 20 * 0.24) / 0.84) < 1e-4, 'weights renormalised over the valid neighbours');
    const under = resample(win, planOf(1, () => [1.2, 1.2]), { bands: [0], method: 'bilinear', levelScale: [1, 1], ratio: [1, 1] });
    assert.equal(under.alpha[0], 0, 'the pixel under the centre is invalid');
  });

  for (const holes of [false, true]) {
    for (const ratio of [0.6, 1.0, 1.3, 1.8]) {
      it(`the RGB fast path equals the general path (ratio ${ratio}${holes ? ', with invalid pixels' : ''})`, () => {
        const win = testWindow(Math.ceil(64 * ratio) + 8, Math.ceil(64 * ratio) + 8, holes);
        const angle = 0.3;
        const plan = planOf(64, (i, j) => [3 + ratio * ((i + 0.5) * Math.cos(angle) - (j + 0.5) * Math.sin(angle) * 0.2) + 10, 2 + ratio * (j + 0.5)]);
        const opts: ResampleOptions = { bands: [0, 1, 2], method: 'bilinear', levelScale: [1, 1], ratio: [ratio, ratio] };
        const fast = new Uint8Array(64 * 64 * 4);
        const count = resampleRgb(win, 64, planRows(plan), opts, byteMapping({ rescale: null }), fast);
        const r = resample(win, plan, opts);
        const slow = colourise(r, { rescale: null, palette: null }, 64 * 64);
        assert.equal(count, r.validCount);
        let worst = 0;
        for (let k = 0; k < fast.length; k++) worst = Math.max(worst, Math.abs(fast[k]! - slow[k]!));
        assert.ok(worst <= 1, `largest difference ${worst}`);
      });
    }
  }
});

describe('colours', () => {
  it('maps values through rescale ranges, clamps, and keeps invalid pixels transparent', () => {
    const r = { values: new Float32Array([0, 500, 1000, 2000, 1000, 1000, 7, 7, 7]), alpha: new Uint8Array([255, 0, 255]), validCount: 2 };
    const out = colourise(r, { rescale: [[0, 1000], [0, 1000], [0, 1000]], palette: null }, 3);
    assert.deepEqual([...out.subarray(0, 4)], [0, 128, 255, 255]);
    assert.deepEqual([...out.subarray(4, 8)], [0, 0, 0, 0]);
    assert.deepEqual([...out.subarray(8, 12)], [2, 2, 2, 255]);
  });

  it('encodes PNG and WEBP with alpha, JPEG without', async () => {
    const rgba = new Uint8Array(16 * 16 * 4);
    for (let i = 0; i < 128; i++) rgba.set([200, 100, 50, 255], i * 4);
    const png = await sharp(await encodeTile(rgba, 16, 'png')).metadata();
    assert.equal(png.format, 'png');
    assert.equal(png.hasAlpha, true);
    assert.equal((await sharp(await encodeTile(rgba, 16, 'webp')).metadata()).hasAlpha, true);
    const jpg = await sharp(await encodeTile(rgba, 16, 'jpg')).metadata();
    assert.equal(jpg.format, 'jpeg');
    assert.equal(jpg.hasAlpha, false);
    rgba.fill(255);
    assert.equal((await sharp(await encodeTile(rgba, 16, 'png')).metadata()).channels, 3, 'an opaque tile drops its alpha channel');
  });
});

describe('raster caches', () => {
  const dirs: string[] = [];
  after(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  it('shares one open between concurrent callers and forgets a failed open', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'geopera-tile-cache-'));
    dirs.push(dir);
    const cache = new RasterCache();
    const file = path.join(dir, 'late.tif');
    await assert.rejects(cache.open(file, 'k1'));
    await writeFile(file, 'not a tiff');
    await assert.rejects(cache.open(file, 'k1'), (e: { code?: string }) => e.code !== 'ENOENT', 'the ENOENT was not remembered');
    const a = cache.open(file, 'k2');
    assert.equal(cache.open(file, 'k2'), a);
    await assert.rejects(a);
    await cache.close();
  });

  it('keeps decoded tiles within its byte budget', { skip: skipUnlessRealFixtures }, async () => {
    const file = path.join(realFixturesDir, 's2_tci_utm34n_deflate_cog.tif');
    const budget = 64 * 64 * 3 * 10; // ten 64x64 RGB tiles
    const cache = new RasterCache({ tileBytes: budget });
    const r = await cache.open(file, file);
    const lvl = r.info.levels[0]!;
    for (let ty = 0; ty < 4; ty++) for (let tx = 0; tx < lvl.tilesAcross; tx++) await cache.tile(r, 0, tx, ty);
    assert.ok(cache.tileBytes <= budget, `${cache.tileBytes} > ${budget}`);
    assert.ok(cache.tileBytes > 0);
    await cache.close();
  });
});
