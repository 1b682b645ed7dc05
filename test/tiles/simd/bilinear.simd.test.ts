/**
 * GDAL's bilinear kernels in WebAssembly SIMD (src/tiles/simd: the 2×2 kernel and the 3 × 3 triangle
 * kernel) write the same bytes as the JavaScript kernels they stand in for.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { byteMapping } from '../../../src/tiles/tile.colour.js';
import type { PixelWindow, ResampleOptions } from '../../../src/tiles/tile.resample.js';
import { resampleRgb } from '../../../src/tiles/tile.resample.rgb.js';
import { useSimdKernel } from '../../../src/tiles/tile.resample.rgb8.js';
import { bilinearSimd } from '../../../src/tiles/simd/bilinear.simd.js';
import { planRows, type SamplePlan } from '../../../src/tiles/warp.plan.js';
import { alignedPlan, axesOf, noiseWindow } from '../aligned.windows.js';

/** The tile from each kernel, with and without grid axes. */
function bothKernels(win: PixelWindow, plan: SamplePlan, ratio: number): { simd: Uint8Array; js: Uint8Array; simdCount: number; jsCount: number }[] {
  const opts: ResampleOptions = { bands: [0, 1, 2], method: 'bilinear', levelScale: [1, 1], ratio: [ratio, ratio] };
  const map = byteMapping({ rescale: null });
  const size = plan.size;
  return [null, axesOf(plan)].map((axes) => {
    const simd = new Uint8Array(size * size * 4);
    const js = new Uint8Array(size * size * 4);
    const simdCount = resampleRgb(win, size, planRows(plan), opts, map, simd, axes);
    useSimdKernel(false);
    try {
      const jsCount = resampleRgb(win, size, planRows(plan), opts, map, js, axes);
      return { simd, js, simdCount, jsCount };
    } finally {
      useSimdKernel(true);
    }
  });
}

describe('the SIMD bilinear kernels', () => {
  it('loads on this runtime (Node 20 has WebAssembly SIMD)', () => {
    assert.ok(bilinearSimd);
  });

  // Magnified (a map zoomed past the data), 1:1, the 2×2 kernel's smallest scale and the triangle
  // kernel's (ratios 1.1 to 1.5); windows that cover the tile, and ones that leave samples outside them
  // and taps on their edges.
  const cases: [number, number, number, number, number][] = [
    // ratio, size, window width, window height, sample origin
    [0.125, 256, 36, 36, 1.3],
    [0.37, 256, 100, 98, 0.2],
    [0.97, 256, 252, 251, 2.2],
    [1.0, 256, 260, 258, 0],
    [1.04, 64, 50, 47, 3.6],
    [0.5, 512, 700, 690, 4.1],
    // A zoomed-in tile from a corner of a whole decoded 512² tile (only the rows and columns it needs are copied in).
    [0.25, 256, 512, 512, 300.6],
    [1.1, 256, 290, 288, 0.4],
    [1.3, 128, 150, 171, 2.9],
    [1.5, 256, 390, 385, 1.7],
  ];
  for (const [ratio, size, w, h, at] of cases) {
    it(`writes the JavaScript kernel's bytes: ${size}-pixel tile at ratio ${ratio} from a ${w}×${h} window`, () => {
      const win = noiseWindow(w, h, { x0: 1, y0: 2, seed: Math.round(ratio * 1000) + size });
      const plan = alignedPlan(size, ratio, at, at * 0.7);
      const rows = bilinearSimd!.rows;
      for (const { simd, js, simdCount, jsCount } of bothKernels(win, plan, ratio)) {
        assert.equal(simdCount, jsCount, 'valid pixels');
        assert.ok(Buffer.from(simd.buffer).equals(Buffer.from(js.buffer)), 'same bytes');
        assert.ok(simdCount > 0);
      }
      // Both passes (with and without axes) took the SIMD kernel for every row whose taps (2, or 3 for the
      // triangle kernel) are inside.
      let inside = 0;
      for (let j = 0; j < size; j++) {
        const fy = at * 0.7 + ratio * (j + 0.5) - win.y0 - 0.5;
        const first = ratio <= 1 / 0.95 ? Math.floor(fy) : Math.floor(fy - ratio) + 1;
        const taps = ratio <= 1 / 0.95 ? 2 : 3;
        if (first >= 0 && first + taps - 1 < h) inside++;
      }
      assert.ok(inside > size / 2);
      assert.equal(bilinearSimd!.rows - rows, 2 * inside, 'rows taken by the SIMD kernel');
    });
  }

  // Windows with invalid pixels: scattered holes, and an AOI's edge (a disc) as a clip's tiles have.
  for (const [ratio, shape] of [[1, 'holes'], [0.3, 'holes'], [0.97, 'disc'], [0.2, 'disc'], [1.3, 'disc']] as const) {
    it(`writes the JavaScript kernel's bytes where the window has invalid pixels (${shape}, ratio ${ratio})`, () => {
      const w = Math.ceil(256 * ratio) + 6;
      const win = noiseWindow(w, w, { holes: shape === 'holes', x0: 1, y0: 1, seed: 99 });
      const valid = shape === 'holes' ? win.valid! : Uint8Array.from({ length: w * w }, (_, i) => (Math.hypot((i % w) - w * 0.3, Math.floor(i / w) - w * 0.6) < w * 0.5 ? 1 : 0));
      const rows = bilinearSimd!.rows;
      for (const { simd, js, simdCount, jsCount } of bothKernels({ ...win, valid }, alignedPlan(256, ratio, 1.4, 1.2), ratio)) {
        assert.equal(simdCount, jsCount, 'valid pixels');
        assert.ok(Buffer.from(simd.buffer).equals(Buffer.from(js.buffer)), 'same bytes');
        assert.ok(simdCount > 0 && simdCount < 256 * 256);
      }
      // The 2x2 kernel takes these rows too; the triangle kernel leaves them to JavaScript.
      if (ratio <= 1 / 0.95) assert.ok(bilinearSimd!.rows - rows > 256, `rows taken by the SIMD kernel: ${bilinearSimd!.rows - rows}`);
      else assert.equal(bilinearSimd!.rows, rows);
    });
  }
});
