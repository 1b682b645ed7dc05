/**
 * Resampling a window of source pixels at the positions of a sample plan: nearest neighbour (palette and
 * categorical data) or bilinear (continuous data). Bilinear follows GDAL's warper: 2×2 samples when the
 * tile is not smaller than the window (scale ≥ 0.95), else a triangle kernel widened by the downsampling
 * ratio. Invalid source pixels (mask, nodata, alpha, outside the level) never contribute; an output pixel
 * is valid when the source pixel under its centre is.
 */
import type { PixelArray } from '../raster/raster.types.js';
import type { SamplePlan } from './warp.plan.js';

/** Source pixels of one level window, pixel-interleaved, with per-pixel validity. */
export interface PixelWindow {
  /** `width × height × bands` samples */
  data: PixelArray;
  width: number;
  height: number;
  bands: number;
  /** Level pixel of the window's top-left corner */
  x0: number;
  y0: number;
  /** 1 where the pixel holds data, 0 where it is masked, nodata or transparent; null when all are valid */
  valid: Uint8Array | null;
}

export type Resampling = 'nearest' | 'bilinear';

export interface ResampleOptions {
  /** 0-based band indices to sample, in output order */
  bands: readonly number[];
  method: Resampling;
  /** Level-0 pixels per level pixel (the level's overview factor), across and down */
  levelScale: [number, number];
  /** Level pixels per output pixel across and down (sets the bilinear kernel's width) */
  ratio: [number, number];
}

/** Resampled values: `size × size × bands.length` floats and an alpha (0 or 255) per output pixel. */
export interface Resampled {
  values: Float32Array;
  alpha: Uint8Array;
  /** Number of valid output pixels */
  validCount: number;
}

/** GDAL uses its 4-sample bilinear formula above this scale (output pixels per source pixel). */
const FourSampleScale = 0.95;
/** Widest kernel radius, level pixels (bounds the cost when no suitable overview exists). */
const MaxRadius = 4;

export function resample(win: PixelWindow, plan: SamplePlan, opts: ResampleOptions): Resampled {
  const n = plan.size * plan.size;
  const nb = opts.bands.length;
  const values = new Float32Array(n * nb);
  const alpha = new Uint8Array(n);
  const [sx, sy] = opts.levelScale;
  const { data, width, height, bands, valid, x0, y0 } = win;
  const bandIdx = Int32Array.from(opts.bands);
  const nearest = opts.method === 'nearest';
  const scaleX = 1 / Math.max(opts.ratio[0], 1e-9);
  const scaleY = 1 / Math.max(opts.ratio[1], 1e-9);
  const four = scaleX >= FourSampleScale && scaleY >= FourSampleScale;
  const rx = four ? 1 : Math.min(MaxRadius, Math.max(1, 1 / scaleX));
  const ry = four ? 1 : Math.min(MaxRadius, Math.max(1, 1 / scaleY));
  const maxTaps = 2 * Math.ceil(MaxRadius) + 2;
  const wx = new Float64Array(maxTaps);
  const wy = new Float64Array(maxTaps);
  const acc = new Float64Array(nb);
  let validCount = 0;

  for (let o = 0; o < n; o++) {
    const lx = plan.cols[o]! / sx - x0;
    const ly = plan.rows[o]! / sy - y0;
    if (!(lx >= 0 && ly >= 0 && lx < width && ly < height)) continue; // also NaN
    const cx = lx | 0;
    const cy = ly | 0;
    const centre = cy * width + cx;
    if (valid !== null && valid[centre] === 0) continue;
    alpha[o] = 255;
    validCount++;
    const out = o * nb;
    if (nearest) {
      const p = centre * bands;
      for (let b = 0; b < nb; b++) values[out + b] = data[p + bandIdx[b]!]!;
      continue;
    }
    // Kernel taps: columns i with |i + 0.5 - lx| < rx (pixel centres), weight 1 - |d| / rx.
    const fx = lx - 0.5;
    const fy = ly - 0.5;
    const i0 = Math.max(0, Math.floor(fx - rx) + 1);
    const i1 = Math.min(width - 1, Math.ceil(fx + rx) - 1);
    const j0 = Math.max(0, Math.floor(fy - ry) + 1);
    const j1 = Math.min(height - 1, Math.ceil(fy + ry) - 1);
    for (let i = i0; i <= i1; i++) wx[i - i0] = Math.max(0, 1 - Math.abs(i - fx) / rx);
    for (let j = j0; j <= j1; j++) wy[j - j0] = Math.max(0, 1 - Math.abs(j - fy) / ry);
    acc.fill(0);
    let wsum = 0;
    for (let j = j0; j <= j1; j++) {
      const wj = wy[j - j0]!;
      if (wj === 0) continue;
      const row = j * width;
      for (let i = i0; i <= i1; i++) {
        const w = wj * wx[i - i0]!;
        if (w === 0) continue;
        const q = row + i;
        if (valid !== null && valid[q] === 0) continue;
        const p = q * bands;
        for (let b = 0; b < nb; b++) acc[b] += w * data[p + bandIdx[b]!]!;
        wsum += w;
      }
    }
    for (let b = 0; b < nb; b++) values[out + b] = acc[b]! / wsum;
  }
  return { values, alpha, validCount };
}
