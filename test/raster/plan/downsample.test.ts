import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { allocPixels, RANGES } from '../../../src/raster/decode/pixel.array.js';
import { downsample2x } from '../../../src/raster/plan/downsample.js';
import { useAverageSimd } from '../../../src/raster/plan/downsample.u8.js';
import { averageSimd } from '../../../src/raster/simd/average.simd.js';
import type { DataType, PixelArray } from '../../../src/raster/raster.types.js';
import { gdalPy, skipUnlessGdal } from '../../support/gdal.js';
import { rng } from './polygon.fixtures.js';

/** Value spans of the seeded cases: each type's whole range, floats within ±1e6 / ±1e9. */
const ranges: Record<DataType, readonly [number, number]> = { ...RANGES, float32: [-1e6, 1e6], float64: [-1e9, 1e9] };

/** Written from the definition, one block at a time, with no shortcuts. */
function reference(src: PixelArray, w: number, h: number, bands: number, method: 'average' | 'nearest', mask: Uint8Array | undefined, nodata: number | null, isInt: boolean) {
  const ow = Math.ceil(w / 2);
  const oh = Math.ceil(h / 2);
  const out: number[] = [];
  const outMask: number[] = [];
  for (let oy = 0; oy < oh; oy++) {
    for (let ox = 0; ox < ow; ox++) {
      const block: number[] = [];
      for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]] as const) {
        const x = 2 * ox + dx;
        const y = 2 * oy + dy;
        if (x < w && y < h && (!mask || mask[y * w + x] !== 0)) block.push(y * w + x);
      }
      outMask.push(block.length ? 255 : 0);
      for (let b = 0; b < bands; b++) {
        const vals = block.map((p) => src[p * bands + b]!).filter((v) => nodata === null || !(v === nodata || (Number.isNaN(nodata) && Number.isNaN(v))));
        if (vals.length === 0) out.push(nodata ?? 0);
        else if (method === 'nearest') out.push(vals[0]!);
        else {
          const mean = vals.reduce((a, v) => a + v, 0) / vals.length;
          out.push(isInt ? Math.sign(mean) * Math.floor(Math.abs(mean) + 0.5) : mean);
        }
      }
    }
  }
  return { out, outMask };
}

describe('downsample2x', () => {
  it('averages full 2x2 blocks and partial edge blocks of odd sizes', () => {
    // 3x3 single band: blocks {1,2,4,5} {3,6} {7,8} {9}
    const src = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const r = downsample2x(src, 3, 3, 1, { method: 'average' });
    assert.equal(r.width, 2);
    assert.equal(r.height, 2);
    assert.deepEqual([...r.pixels], [3, 5, 8, 9]); // 3, 4.5→5, 7.5→8, 9
    assert.equal(r.mask, undefined);
  });

  it('rounds integer means half away from zero, like GDAL', () => {
    const src = Int16Array.from([-2, -3, 2, 3, -1, 0, -2, -3, 2, 3, 0, 0]); // blocks: -2.5, 2.5, -0.25
    assert.deepEqual([...downsample2x(src, 6, 2, 1, { method: 'average' }).pixels], [-3, 3, 0]);
  });

  it('skips masked pixels, writes 0 and mask 0 where a block has no valid pixel', () => {
    const src = Uint8Array.from([10, 20, 30, 40, 50, 60, 70, 80]);
    const mask = Uint8Array.from([0, 0, 255, 0, 0, 0, 0, 0]);
    const r = downsample2x(src, 4, 2, 1, { method: 'average', mask });
    assert.deepEqual([...r.pixels], [0, 30]);
    assert.deepEqual([...r.mask!], [0, 255]);
  });

  it('nearest takes the first valid pixel (top-left, top-right, bottom-left, bottom-right)', () => {
    const src = Uint8Array.from([10, 20, 30, 40, 50, 60, 70, 80]);
    const mask = Uint8Array.from([0, 255, 0, 0, 0, 0, 255, 255]);
    const r = downsample2x(src, 4, 2, 1, { method: 'nearest', mask });
    assert.deepEqual([...r.pixels], [20, 70]);
    assert.deepEqual([...downsample2x(src, 4, 2, 1, { method: 'nearest' }).pixels], [10, 30]);
  });

  it('excludes nodata per band (NaN nodata included) and writes nodata where none is valid', () => {
    const src = Float32Array.from([1, NaN, NaN, NaN, 2, 4, NaN, NaN]);
    const r = downsample2x(src, 4, 2, 1, { method: 'average', nodata: NaN });
    assert.ok(Math.abs(r.pixels[0]! - 7 / 3) < 1e-6);
    assert.ok(Number.isNaN(r.pixels[1]));
    const rgb = Uint8Array.from([0, 5, 7, 10, 0, 9, 0, 0, 0, 20, 30, 0]); // 2x2 RGB, nodata 0
    assert.deepEqual([...downsample2x(rgb, 2, 2, 3, { method: 'average', nodata: 0 }).pixels], [15, 18, 8]);
  });

  it('matches a from-the-definition reference for every type, odd and even sizes, masks and nodata (600 seeded cases)', () => {
    const r = rng(31337);
    const types = Object.keys(ranges) as DataType[];
    for (let t = 0; t < 600; t++) {
      const type = types[t % types.length]!;
      const w = 1 + Math.floor(r() * 9);
      const h = 1 + Math.floor(r() * 9);
      const bands = 1 + Math.floor(r() * 4);
      const [lo, hi] = ranges[type];
      const isInt = !type.startsWith('float');
      const src = allocPixels(type, w * h * bands);
      // Few distinct values so nodata and ties (x.5 means) actually occur.
      const palette = Array.from({ length: 5 }, () => (isInt ? Math.floor(lo + r() * (hi - lo)) : lo + r() * (hi - lo)));
      palette.push(lo, hi);
      for (let i = 0; i < src.length; i++) src[i] = palette[Math.floor(r() * palette.length)]!;
      const mask = r() < 0.5 ? Uint8Array.from({ length: w * h }, () => (r() < 0.4 ? 0 : 255)) : undefined;
      const nodata = r() < 0.5 ? src[Math.floor(r() * src.length)]! : null;
      for (const method of ['average', 'nearest'] as const) {
        const got = downsample2x(src, w, h, bands, { method, ...(mask ? { mask } : {}), nodata });
        const want = reference(src, w, h, bands, method, mask, nodata, isInt);
        const wantTyped = allocPixels(type, want.out.length);
        want.out.forEach((v, i) => (wantTyped[i] = v));
        assert.deepEqual(got.pixels, wantTyped, `case ${t} ${type} ${w}x${h}x${bands} ${method} mask=${!!mask} nodata=${nodata}`);
        if (mask) assert.deepEqual([...got.mask!], want.outMask);
        // Into reused buffers full of old values: the same result, in those buffers.
        const into = { pixels: allocPixels(type, want.out.length).fill(palette[0]! as never), mask: new Uint8Array(want.outMask.length).fill(7) };
        const again = downsample2x(src, w, h, bands, { method, ...(mask ? { mask } : {}), nodata, into });
        assert.equal(again.pixels, into.pixels);
        assert.deepEqual(again.pixels, wantTyped, `case ${t} into reused buffers`);
        if (mask) assert.deepEqual([again.mask, [...again.mask!]], [into.mask, want.outMask]);
      }
    }
  });

  it('averages 8-bit tiles masked by a disc (whole 2x2 blocks inside and outside, an edge between) as the reference does, 1-4 bands', () => {
    const r = rng(4242);
    for (let t = 0; t < 120; t++) {
      const w = 2 * (4 + Math.floor(r() * 40)) + (t % 5 === 0 ? 1 : 0);
      const h = 1 + Math.floor(r() * 60);
      const bands = 1 + (t % 4);
      const src = Uint8Array.from({ length: w * h * bands }, () => Math.floor(r() * 256));
      const [cx, cy, radius] = [r() * w, r() * h, r() * w];
      const mask = Uint8Array.from({ length: w * h }, (_, i) => (Math.hypot((i % w) - cx, Math.floor(i / w) - cy) < radius ? (t % 3 === 0 ? 1 + Math.floor(r() * 254) : 255) : 0));
      const got = downsample2x(src, w, h, bands, { method: 'average', mask });
      const want = reference(src, w, h, bands, 'average', mask, null, true);
      assert.deepEqual([...got.pixels], want.out, `case ${t}: ${w}x${h}x${bands}`);
      assert.deepEqual([...got.mask!], want.outMask, `case ${t}: mask`);
      const into = { pixels: new Uint8Array(want.out.length).fill(201), mask: new Uint8Array(want.outMask.length).fill(3) };
      const again = downsample2x(src, w, h, bands, { method: 'average', mask, into });
      assert.deepEqual([again.pixels === into.pixels, again.mask === into.mask], [true, true]);
      assert.deepEqual([[...again.pixels], [...again.mask!]], [want.out, want.outMask], `case ${t}: into reused buffers`);
    }
  });

  it('averages masked 8-bit RGB in WebAssembly SIMD to the JavaScript kernel\'s bytes (tile-sized images, discs, noise, all and none valid)', () => {
    assert.ok(averageSimd, 'Node 20 has WebAssembly SIMD');
    const r = rng(777);
    const shapes: [number, number][] = [[512, 512], [1024, 512], [512, 511], [18, 6], [2, 2], [30, 3]];
    for (const [w, h] of shapes) {
      const src = Uint8Array.from({ length: w * h * 3 }, () => Math.floor(r() * 256));
      const [cx, cy, radius] = [r() * w, r() * h, (0.3 + r() * 0.5) * w];
      const masks: [string, Uint8Array][] = [
        ['disc', Uint8Array.from({ length: w * h }, (_, i) => (Math.hypot((i % w) - cx, Math.floor(i / w) - cy) < radius ? 255 : 0))],
        ['noise', Uint8Array.from({ length: w * h }, () => (r() < 0.2 ? 0 : 1 + Math.floor(r() * 255)))],
        ['all valid', new Uint8Array(w * h).fill(255)],
        ['none valid', new Uint8Array(w * h)],
      ];
      for (const [name, mask] of masks) {
        const calls: number = averageSimd!.calls;
        const got = downsample2x(src, w, h, 3, { method: 'average', mask });
        assert.equal(averageSimd!.calls, calls + 1, 'the SIMD kernel ran');
        useAverageSimd(false);
        try {
          const want = downsample2x(src, w, h, 3, { method: 'average', mask });
          assert.ok(Buffer.from(got.pixels.buffer).equals(Buffer.from(want.pixels.buffer)), `${w}x${h} ${name}: pixels`);
          assert.ok(Buffer.from(got.mask!).equals(Buffer.from(want.mask!)), `${w}x${h} ${name}: mask`);
        } finally {
          useAverageSimd(true);
        }
      }
    }
  });

  describe('against GDAL (gdaladdo -r average / nearest, even sizes)', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'geopera-downsample-'));
    after(() => rmSync(dir, { recursive: true, force: true }));

    /** Write an image (and mask) with GDAL, build one overview, read it back. */
    function gdalOverview(type: 'Byte' | 'Int16' | 'Float32', w: number, h: number, bands: number, src: PixelArray, mask: Uint8Array | null, nodata: number | null, method: string) {
      const file = path.join(dir, `img-${type}-${method}-${mask ? 'm' : ''}${nodata ?? ''}.tif`);
      writeFileSync(`${file}.raw`, Buffer.from(src.buffer, src.byteOffset, src.byteLength));
      if (mask) writeFileSync(`${file}.mask`, mask);
      const code = `
import sys, numpy as np, subprocess
from osgeo import gdal
gdal.UseExceptions()
gdal.SetConfigOption('GDAL_TIFF_INTERNAL_MASK', 'YES')
f, t, w, h, b, hasmask, nodata, method = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6] == '1', sys.argv[7], sys.argv[8]
dt = {'Byte': np.uint8, 'Int16': np.int16, 'Float32': np.float32}[t]
a = np.fromfile(f + '.raw', dtype=dt).reshape(h, w, b)
d = gdal.GetDriverByName('GTiff').Create(f, w, h, b, getattr(gdal, 'GDT_' + t), ['INTERLEAVE=PIXEL'])
for i in range(b):
    d.GetRasterBand(i + 1).WriteArray(a[:, :, i])
    if nodata != 'none': d.GetRasterBand(i + 1).SetNoDataValue(float(nodata))
if hasmask:
    d.CreateMaskBand(gdal.GMF_PER_DATASET)
    d.GetRasterBand(1).GetMaskBand().WriteArray(np.fromfile(f + '.mask', dtype=np.uint8).reshape(h, w))
d = None
subprocess.run(['gdaladdo', '-q', '-r', method, f, '2'], check=True)
ds = gdal.Open(f)
o = np.stack([ds.GetRasterBand(i + 1).GetOverview(0).ReadAsArray() for i in range(b)], axis=-1)
sys.stdout.buffer.write(o.astype(o.dtype.newbyteorder('<')).tobytes())
if hasmask: sys.stdout.buffer.write(ds.GetRasterBand(1).GetMaskBand().GetOverview(0).ReadAsArray().tobytes())
`;
      return gdalPy(code, [file, type, String(w), String(h), String(bands), mask ? '1' : '0', nodata === null ? 'none' : String(nodata), method]);
    }

    const cases = [
      { type: 'Byte', ctor: Uint8Array, bands: 3, mask: true, nodata: null, method: 'average' },
      { type: 'Byte', ctor: Uint8Array, bands: 3, mask: false, nodata: 0, method: 'average' },
      { type: 'Int16', ctor: Int16Array, bands: 1, mask: true, nodata: null, method: 'average' },
      { type: 'Int16', ctor: Int16Array, bands: 2, mask: false, nodata: -5, method: 'average' },
      { type: 'Float32', ctor: Float32Array, bands: 1, mask: false, nodata: Number.NaN, method: 'average' },
      { type: 'Float32', ctor: Float32Array, bands: 1, mask: false, nodata: null, method: 'average' },
      { type: 'Byte', ctor: Uint8Array, bands: 1, mask: false, nodata: null, method: 'nearest' },
    ] as const;
    for (const c of cases) {
      it(`${c.type} x${c.bands} ${c.method}${c.mask ? ' with a mask' : ''}${c.nodata !== null ? ` nodata ${c.nodata}` : ''}`, { skip: skipUnlessGdal }, () => {
        const w = 64;
        const h = 38;
        const r = rng(c.type.length * 100 + c.bands);
        const src = new c.ctor(w * h * c.bands);
        for (let i = 0; i < src.length; i++) {
          src[i] = c.type === 'Byte' ? (r() * 6) | 0 : c.type === 'Int16' ? ((r() * 11) | 0) - 5 : r() < 0.2 ? Number.NaN : ((r() * 40) | 0) / 8;
        }
        const mask = c.mask ? Uint8Array.from({ length: w * h }, () => (r() < 0.5 ? 0 : 255)) : null;
        const got = downsample2x(src, w, h, c.bands, { method: c.method, ...(mask ? { mask } : {}), nodata: c.nodata });
        const bytes = gdalOverview(c.type, w, h, c.bands, src, mask, c.nodata, c.method);
        const n = got.pixels.byteLength;
        const ours = got.pixels;
        const gdalPixels = new c.ctor(ours.length);
        new Uint8Array(gdalPixels.buffer).set(bytes.subarray(0, n));
        let diffs = 0;
        for (let i = 0; i < ours.length; i++) if (!Object.is(ours[i], gdalPixels[i]) && ours[i] !== gdalPixels[i]) diffs++;
        assert.equal(diffs, 0, `${diffs} samples differ from GDAL`);
        if (mask) assert.deepEqual(got.mask, new Uint8Array(bytes.subarray(n)));
      });
    }
  });
});
