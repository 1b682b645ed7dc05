/**
 * The north-up 8-bit fast path (tile.resample.rgb8.ts) equals the general path: per-column and per-row
 * kernel tables, fixed-point weights, the vertical blend, the window's edges, invalid pixels, rescaled
 * bytes, and the grid axes that feed it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { byteMapping, colourise } from '../../src/tiles/tile.colour.js';
import { resample, type PixelWindow, type ResampleOptions, type Resampling } from '../../src/tiles/tile.resample.js';
import { resampleRgb } from '../../src/tiles/tile.resample.rgb.js';
import { gridAxes, gridRows, planGrid, planRows, type SamplePlan } from '../../src/tiles/warp.plan.js';
import { invertTransform } from '../../src/tiles/warp.transform.js';
import { alignedPlan, axesOf, noiseWindow } from './aligned.windows.js';

/** Largest per-byte difference between the fast path (with and without axes) and the general path. */
function compare(win: PixelWindow, plan: SamplePlan, opts: ResampleOptions, rescale: [number, number][] | null): number {
  const size = plan.size;
  const map = byteMapping({ rescale });
  const general = resample(win, plan, opts);
  const slow = colourise(general, { rescale, palette: null }, size * size);
  let worst = 0;
  for (const axes of [null, axesOf(plan)]) {
    const fast = new Uint8Array(size * size * 4);
    const count = resampleRgb(win, size, planRows(plan), opts, map, fast, axes);
    assert.equal(count, general.validCount, 'valid pixel count');
    for (let k = 0; k < fast.length; k++) {
      if (k % 4 === 3) assert.equal(fast[k], slow[k], `alpha of pixel ${k >> 2}`);
      worst = Math.max(worst, Math.abs(fast[k]! - slow[k]!));
    }
  }
  return worst;
}

describe('north-up 8-bit fast path', () => {
  const cases: [Resampling, number][] = [['bilinear', 0.15], ['bilinear', 0.6], ['bilinear', 0.97], ['bilinear', 1.0], ['bilinear', 1.3], ['bilinear', 1.5], ['nearest', 0.7], ['nearest', 1.7]];
  for (const [method, ratio] of cases) {
    for (const holes of [false, true]) {
      it(`${method} at ratio ${ratio}${holes ? ' with invalid pixels' : ''} equals the general path within 1`, () => {
        const size = 64;
        // The window covers part of the plan only: samples fall outside it and taps on its edges.
        const win = noiseWindow(Math.ceil(size * ratio * 0.8) + 2, Math.ceil(size * ratio * 0.7) + 2, { holes, x0: 3, y0: 2 });
        const plan = alignedPlan(size, ratio, 2.2, 1.7);
        const opts: ResampleOptions = { bands: [0, 1, 2], method, levelScale: [1, 1], ratio: [ratio, ratio] };
        assert.ok(compare(win, plan, opts, null) <= 1);
      });
    }
  }

  it('applies rescale ranges to 8-bit data the same way', () => {
    const win = noiseWindow(80, 80, { holes: true });
    const plan = alignedPlan(64, 1.2, 1, 1);
    const opts: ResampleOptions = { bands: [0, 1, 2], method: 'bilinear', levelScale: [1, 1], ratio: [1.2, 1.2] };
    assert.ok(compare(win, plan, opts, [[20, 200], [0, 100], [50, 60]]) <= 1);
  });

  it('reads overview levels (level scale 2) and rows that are not axis-aligned fall back to the general loop', () => {
    const win = noiseWindow(60, 60, { x0: 5, y0: 5 });
    const plan = alignedPlan(48, 2 * 0.9, 10, 12);
    const opts: ResampleOptions = { bands: [0, 1, 2], method: 'bilinear', levelScale: [2, 2], ratio: [0.9, 0.9] };
    assert.ok(compare(win, plan, opts, null) <= 1);
    // Skew the lower half: the fast path stops at the first skewed row and the general loop finishes.
    for (let j = 24; j < 48; j++) for (let i = 0; i < 48; i++) plan.rows[j * 48 + i] += i * 0.01;
    const general = resample(win, plan, opts);
    const slow = colourise(general, { rescale: null, palette: null }, 48 * 48);
    const fast = new Uint8Array(48 * 48 * 4);
    assert.equal(resampleRgb(win, 48, planRows(plan), opts, byteMapping({ rescale: null }), fast), general.validCount);
    for (let k = 0; k < fast.length; k++) assert.ok(Math.abs(fast[k]! - slow[k]!) <= 1, `byte ${k}`);
  });

  it('grid axes equal the interpolated rows of a north-up grid and are null for a rotated one', () => {
    const toPixel = invertTransform([-1000, 0.5, 0, 2000, 0, -0.5]);
    const grid = planGrid([-900, 1800, -800, 1900], 256, toPixel);
    const xs = new Float64Array(256);
    const ys = new Float64Array(256);
    const axes = gridAxes(grid, xs, ys);
    assert.ok(axes);
    const rx = new Float64Array(256);
    const ry = new Float64Array(256);
    for (const j of [0, 17, 128, 255]) {
      gridRows(grid)(j, rx, ry);
      assert.deepEqual([...rx], [...axes.xs]);
      assert.ok(ry.every((v) => v === axes.ys[j]));
    }
    const rotated = planGrid([-900, 1800, -800, 1900], 256, invertTransform([-1000, 0.5, 0.1, 2000, 0.1, -0.5]));
    assert.equal(gridAxes(rotated, xs, ys), null);
  });
});
