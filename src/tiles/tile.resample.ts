/**
 * Resampling a window of source pixels at the positions of a sample plan: nearest neighbour (palette and
 * categorical data) or bilinear (continuous data). Bilinear follows GDAL's warper: 2×2 samples when the
 * tile is not smaller than the window (scale ≥ 0.95), else a triangle kernel widened by the downsampling
 * ratio. Invalid source pixels (mask, nodata, alpha, outside the level) never contribute; an output pixel
 * is valid when the source pixel under its centre is.
 *
 * The drawn bands are first copied into one float array, so the hot loops see a single array type
 * (V8 keeps them monomorphic) whatever the file's data type. This is the general path (any band count,
 * palette indices, any kernel radius) and the reference the three-band fast path (tile.resample.rgb.ts)
 * is tested against.
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

/**
 * Resampled values: `size × size × bands.length` floats and an alpha (0 or 255) per output pixel.
 * `values` is a scratch buffer overwritten by the next call: consume it synchronously.
 */
export interface Resampled {
  values: Float32Array;
  alpha: Uint8Array;
  /** Number of valid output pixels */
  validCount: number;
}

/** GDAL uses its 4-sample bilinear formula above this scale (output pixels per source pixel). */
export const FourSampleScale = 0.95;
/** Widest kernel radius, level pixels (bounds the cost when no suitable overview exists). */
const MaxRadius = 4;

/** Grow-only scratch buffers (every use is synchronous). */
const scratch = { src: new Float32Array(0), values: new Float32Array(0), valid: new Uint8Array(0) };

function floats(key: 'src' | 'values', n: number): Float32Array {
  if (scratch[key].length < n) scratch[key] = new Float32Array(n);
  return scratch[key].subarray(0, n);
}

/** The drawn bands of a window as one float array (`nb` per pixel), in scratch memory. */
export function compactBands(win: PixelWindow, bands: readonly number[]): Float32Array {
  const nb = bands.length;
  const n = win.width * win.height;
  const out = floats('src', n * nb);
  const { data } = win;
  const stride = win.bands;
  if (stride === nb && bands.every((b, i) => b === i)) {
    out.set(data.subarray(0, n * nb)); // native conversion of every sample
    return out;
  }
  for (let b = 0; b < nb; b++) {
    const band = bands[b]!;
    for (let i = 0, p = band, q = b; i < n; i++, p += stride, q += nb) out[q] = data[p]!;
  }
  return out;
}

/** The window's validity, or a scratch all-valid array of its size. */
export function validOrAll(win: PixelWindow): Uint8Array {
  const n = win.width * win.height;
  if (win.valid) return win.valid;
  if (scratch.valid.length < n) scratch.valid = new Uint8Array(n).fill(1);
  return scratch.valid.subarray(0, n);
}

export function resample(win: PixelWindow, plan: SamplePlan, opts: ResampleOptions): Resampled {
  const n = plan.size * plan.size;
  const nb = opts.bands.length;
  const values = floats('values', n * nb);
  const alpha = new Uint8Array(n);
  const src = compactBands(win, opts.bands);
  const valid = validOrAll(win);
  const [sx, sy] = opts.levelScale;
  const { width, height, x0, y0 } = win;
  const cols = plan.cols;
  const rows = plan.rows;
  const scaleX = 1 / Math.max(opts.ratio[0], 1e-9);
  const scaleY = 1 / Math.max(opts.ratio[1], 1e-9);
  const four = scaleX >= FourSampleScale && scaleY >= FourSampleScale;
  const rx = four ? 1 : Math.min(MaxRadius, Math.max(1, 1 / scaleX));
  const ry = four ? 1 : Math.min(MaxRadius, Math.max(1, 1 / scaleY));
  const ctx: KernelContext = { src, valid, width, height, nb, rx, ry, values, wx: new Float64Array(2 * MaxRadius + 2), wy: new Float64Array(2 * MaxRadius + 2), acc: new Float64Array(nb) };
  const nearest = opts.method === 'nearest';
  let validCount = 0;
  for (let o = 0; o < n; o++) {
    const lx = cols[o]! / sx - x0;
    const ly = rows[o]! / sy - y0;
    if (!(lx >= 0 && ly >= 0 && lx < width && ly < height)) continue; // also NaN
    const centre = (ly | 0) * width + (lx | 0);
    if (valid[centre] === 0) continue;
    alpha[o] = 255;
    validCount++;
    if (nearest) {
      for (let b = 0; b < nb; b++) values[o * nb + b] = src[centre * nb + b]!;
    } else if (four) {
      if (nb === 3) bilinear3(ctx, lx - 0.5, ly - 0.5, o * 3);
      else bilinearN(ctx, lx - 0.5, ly - 0.5, o * nb);
    } else {
      kernel(ctx, lx - 0.5, ly - 0.5, o * nb);
    }
  }
  return { values, alpha, validCount };
}

interface KernelContext {
  src: Float32Array;
  valid: Uint8Array;
  width: number;
  height: number;
  nb: number;
  rx: number;
  ry: number;
  values: Float32Array;
  wx: Float64Array;
  wy: Float64Array;
  acc: Float64Array;
}

/** 2×2 bilinear of three bands at (fx, fy) in pixel-centre coordinates; invalid neighbours are skipped. */
function bilinear3(c: KernelContext, fx: number, fy: number, out: number): void {
  const { src, valid, width, height, values } = c;
  const ix = Math.floor(fx);
  const iy = Math.floor(fy);
  const ax = fx - ix;
  const ay = fy - iy;
  let r = 0, g = 0, b = 0, wsum = 0;
  for (let dy = 0; dy < 2; dy++) {
    const y = iy + dy;
    if (y < 0 || y >= height) continue;
    const wyv = dy === 0 ? 1 - ay : ay;
    if (wyv === 0) continue;
    for (let dx = 0; dx < 2; dx++) {
      const x = ix + dx;
      if (x < 0 || x >= width) continue;
      const q = y * width + x;
      if (valid[q] === 0) continue;
      const w = wyv * (dx === 0 ? 1 - ax : ax);
      const p = q * 3;
      r += w * src[p]!;
      g += w * src[p + 1]!;
      b += w * src[p + 2]!;
      wsum += w;
    }
  }
  values[out] = r / wsum;
  values[out + 1] = g / wsum;
  values[out + 2] = b / wsum;
}

/** 2×2 bilinear of any number of bands. */
function bilinearN(c: KernelContext, fx: number, fy: number, out: number): void {
  const { src, valid, width, height, values, nb, acc } = c;
  const ix = Math.floor(fx);
  const iy = Math.floor(fy);
  const ax = fx - ix;
  const ay = fy - iy;
  acc.fill(0);
  let wsum = 0;
  for (let dy = 0; dy < 2; dy++) {
    const y = iy + dy;
    if (y < 0 || y >= height) continue;
    const wyv = dy === 0 ? 1 - ay : ay;
    for (let dx = 0; dx < 2; dx++) {
      const x = ix + dx;
      if (x < 0 || x >= width) continue;
      const q = y * width + x;
      if (valid[q] === 0) continue;
      const w = wyv * (dx === 0 ? 1 - ax : ax);
      if (w === 0) continue;
      for (let k = 0; k < nb; k++) acc[k] += w * src[q * nb + k]!;
      wsum += w;
    }
  }
  for (let k = 0; k < nb; k++) values[out + k] = acc[k]! / wsum;
}

/** Triangle kernel of radius (rx, ry): taps at pixel centres closer than the radius, weight 1 - |d| / r. */
function kernel(c: KernelContext, fx: number, fy: number, out: number): void {
  const { src, valid, width, height, values, nb, rx, ry, wx, wy, acc } = c;
  const i0 = Math.max(0, Math.floor(fx - rx) + 1);
  const i1 = Math.min(width - 1, Math.ceil(fx + rx) - 1);
  const j0 = Math.max(0, Math.floor(fy - ry) + 1);
  const j1 = Math.min(height - 1, Math.ceil(fy + ry) - 1);
  for (let i = i0; i <= i1; i++) {
    const d = i - fx;
    wx[i - i0] = 1 - (d < 0 ? -d : d) / rx;
  }
  for (let j = j0; j <= j1; j++) {
    const d = j - fy;
    wy[j - j0] = 1 - (d < 0 ? -d : d) / ry;
  }
  let wsum = 0;
  if (nb === 3) {
    let r = 0, g = 0, b = 0;
    for (let j = j0; j <= j1; j++) {
      const wj = wy[j - j0]!;
      let q = j * width + i0;
      for (let i = i0; i <= i1; i++, q++) {
        if (valid[q] === 0) continue;
        const w = wj * wx[i - i0]!;
        const p = q * 3;
        r += w * src[p]!;
        g += w * src[p + 1]!;
        b += w * src[p + 2]!;
        wsum += w;
      }
    }
    values[out] = r / wsum;
    values[out + 1] = g / wsum;
    values[out + 2] = b / wsum;
    return;
  }
  acc.fill(0);
  for (let j = j0; j <= j1; j++) {
    const wj = wy[j - j0]!;
    let q = j * width + i0;
    for (let i = i0; i <= i1; i++, q++) {
      if (valid[q] === 0) continue;
      const w = wj * wx[i - i0]!;
      for (let k = 0; k < nb; k++) acc[k] += w * src[q * nb + k]!;
      wsum += w;
    }
  }
  for (let k = 0; k < nb; k++) values[out + k] = acc[k]! / wsum;
}
