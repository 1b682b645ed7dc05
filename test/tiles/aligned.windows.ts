/**
 * Inputs of the 8-bit RGB fast path's specs (tile.resample.rgb8.test.ts, simd/bilinear.simd.test.ts):
 * noisy windows and north-up sample plans.
 */
import type { PixelWindow } from '../../src/tiles/tile.resample.js';
import type { SamplePlan } from '../../src/tiles/warp.plan.js';

/** Noisy RGB bytes (every rounding of a kernel shows), holes every few pixels when asked. */
export function noiseWindow(w: number, h: number, opts: { holes?: boolean; x0?: number; y0?: number; seed?: number } = {}): PixelWindow {
  const data = new Uint8Array(w * h * 3);
  let s = opts.seed ?? 12345;
  for (let i = 0; i < data.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    data[i] = s >>> 24;
  }
  const valid = new Uint8Array(w * h).fill(1);
  if (opts.holes) for (let i = 0; i < w * h; i++) if ((i * 7) % 13 === 0) valid[i] = 0;
  return { data, width: w, height: h, bands: 3, x0: opts.x0 ?? 0, y0: opts.y0 ?? 0, valid: opts.holes ? valid : null };
}

/** An axis-aligned plan: sample (i, j) at (cx + ratio·(i + 0.5), cy + ratio·(j + 0.5)). */
export function alignedPlan(size: number, ratio: number, cx: number, cy: number): SamplePlan {
  const cols = new Float64Array(size * size);
  const rows = new Float64Array(size * size);
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      cols[j * size + i] = cx + ratio * (i + 0.5);
      rows[j * size + i] = cy + ratio * (j + 0.5);
    }
  }
  return { size, cols, rows };
}

/** The grid axes of an aligned plan (its first row's columns, its first column's rows). */
export function axesOf(p: SamplePlan): { xs: Float64Array; ys: Float64Array } {
  const ys = new Float64Array(p.size);
  for (let j = 0; j < p.size; j++) ys[j] = p.rows[j * p.size]!;
  return { xs: p.cols.slice(0, p.size), ys };
}
