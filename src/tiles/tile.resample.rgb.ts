/**
 * The hot path of most tiles: three bands resampled straight into RGBA bytes (rescale included), one
 * loop per method with everything in locals. Same semantics as `resample` + `colourise` (see
 * tile.resample.ts): GDAL's 2×2 bilinear at scale ≥ 0.95, else its triangle kernel (radius ≤ 2 here),
 * invalid pixels skipped, output valid where the pixel under the centre is.
 */
import { compactBands, FourSampleScale, validOrAll, type PixelWindow, type ResampleOptions } from './tile.resample.js';
import { tri } from './rgb8.tables.js';
import { resampleRgb8 } from './tile.resample.rgb8.js';
import type { PlanAxes, RowSamples } from './warp.plan.js';
import { pixelRgb, resamplePixel } from './tile.resample.pixel.js';

/** Byte = clamp(round((v - offset[b]) · scale[b])), per band. */
export interface ByteMapping {
  scale: [number, number, number];
  offset: [number, number, number];
}

/** True when `resampleRgb` handles these options (3 bands, kernel radius ≤ 2). */
export function rgbFastPath(opts: ResampleOptions): boolean {
  if (opts.bands.length !== 3) return false;
  return opts.method === 'nearest' || Math.max(opts.ratio[0], opts.ratio[1]) <= 2;
}

/**
 * Resample into `rgba` (size² × 4 bytes, zeroed) row by row; returns the number of valid pixels.
 * `axes`, when the plan is north-up (`gridAxes`), spares the per-row coordinates of the 8-bit path.
 */
export function resampleRgb(win: PixelWindow, size: number, rowSamples: RowSamples, opts: ResampleOptions, map: ByteMapping, rgba: Uint8Array, axes: PlanAxes | null = null): number {
  // 8-bit RGB windows are read as they are; anything else is first copied to floats.
  const b = opts.bands;
  const src = win.data instanceof Uint8Array && win.bands === 3 && b[0] === 0 && b[1] === 1 && b[2] === 2 ? win.data : compactBands(win, b);
  const valid = validOrAll(win);
  const { width, height, x0, y0 } = win;
  const xs = new Float64Array(size);
  const ys = new Float64Array(size);
  const isx = 1 / opts.levelScale[0];
  const isy = 1 / opts.levelScale[1];
  const [s0, s1, s2] = map.scale;
  const [o0, o1, o2] = map.offset;
  const four = 1 / opts.ratio[0] >= FourSampleScale && 1 / opts.ratio[1] >= FourSampleScale;
  const rx = Math.max(1, opts.ratio[0]);
  const ry = Math.max(1, opts.ratio[1]);
  const irx = 1 / rx;
  const iry = 1 / ry;
  const nearest = opts.method === 'nearest';
  const three = rx <= 1.5 && ry <= 1.5;
  const allValid = win.valid === null;
  let count = 0;
  let start = 0;
  if (src instanceof Uint8Array && (nearest || four || three)) {
    // North-up tiles of 8-bit data: per-column and per-row kernel tables (tile.resample.rgb8.ts).
    const kernel = nearest ? 'nearest' : four ? 'four' : 'three';
    const done = resampleRgb8({ src, valid, allValid, width, height, x0, y0, isx, isy, kernel, rx, ry }, size, rowSamples, axes, map.scale, map.offset, rgba);
    start = done.rows;
    count = done.count;
  }
  for (let j = start, o = start * size; j < size; j++) {
    rowSamples(j, xs, ys);
    for (let i = 0; i < size; i++, o++) {
      const lx = xs[i]! * isx - x0;
      const ly = ys[i]! * isy - y0;
      if (!(lx >= 0 && ly >= 0 && lx < width && ly < height)) continue; // also NaN
      const centre = (ly | 0) * width + (lx | 0);
      if (!allValid && valid[centre] === 0) continue;
      count++;
      let r = 0, g = 0, b = 0, wsum = 0;
      if (nearest) {
        const p = centre * 3;
        r = src[p]!;
        g = src[p + 1]!;
        b = src[p + 2]!;
        wsum = 1;
      } else if (four) {
        // Pixel-centre coordinates; +1 keeps the truncation a floor for fx, fy >= -0.5.
        const fx = lx - 0.5;
        const fy = ly - 0.5;
        const ix = ((fx + 1) | 0) - 1;
        const iy = ((fy + 1) | 0) - 1;
        const ax = fx - ix;
        const ay = fy - iy;
        const q = iy * width + ix;
        if (ix >= 0 && iy >= 0 && ix + 1 < width && iy + 1 < height && (allValid || (valid[q] !== 0 && valid[q + 1] !== 0 && valid[q + width] !== 0 && valid[q + width + 1] !== 0))) {
          // All four neighbours hold data: the plain formula, weights summing to 1.
          const w00 = (1 - ax) * (1 - ay), w10 = ax * (1 - ay), w01 = (1 - ax) * ay, w11 = ax * ay;
          const p = q * 3;
          const p2 = p + width * 3;
          r = w00 * src[p]! + w10 * src[p + 3]! + w01 * src[p2]! + w11 * src[p2 + 3]!;
          g = w00 * src[p + 1]! + w10 * src[p + 4]! + w01 * src[p2 + 1]! + w11 * src[p2 + 4]!;
          b = w00 * src[p + 2]! + w10 * src[p + 5]! + w01 * src[p2 + 2]! + w11 * src[p2 + 5]!;
          wsum = 1;
        } else {
          resamplePixel(src, valid, width, height, lx, ly, true, rx, ry, irx, iry);
          r = pixelRgb[0]!;
          g = pixelRgb[1]!;
          b = pixelRgb[2]!;
          wsum = 1;
        }
      } else {
        const fx = lx - 0.5;
        const fy = ly - 0.5;
        const i0 = Math.floor(fx - rx) + 1;
        const j0 = Math.floor(fy - ry) + 1;
        if (three && allValid && i0 >= 0 && j0 >= 0 && i0 + 2 < width && j0 + 2 < height) {
          // Radius ≤ 1.5: at most 3 × 3 taps, all inside and valid; weights clamped at 0 past the radius.
          const wx0 = tri(i0 - fx, irx), wx1 = tri(i0 + 1 - fx, irx), wx2 = tri(i0 + 2 - fx, irx);
          const wy0 = tri(j0 - fy, iry), wy1 = tri(j0 + 1 - fy, iry), wy2 = tri(j0 + 2 - fy, iry);
          const p0 = (j0 * width + i0) * 3;
          const p1 = p0 + width * 3;
          const p2 = p1 + width * 3;
          r = wy0 * (wx0 * src[p0]! + wx1 * src[p0 + 3]! + wx2 * src[p0 + 6]!) + wy1 * (wx0 * src[p1]! + wx1 * src[p1 + 3]! + wx2 * src[p1 + 6]!) + wy2 * (wx0 * src[p2]! + wx1 * src[p2 + 3]! + wx2 * src[p2 + 6]!);
          g = wy0 * (wx0 * src[p0 + 1]! + wx1 * src[p0 + 4]! + wx2 * src[p0 + 7]!) + wy1 * (wx0 * src[p1 + 1]! + wx1 * src[p1 + 4]! + wx2 * src[p1 + 7]!) + wy2 * (wx0 * src[p2 + 1]! + wx1 * src[p2 + 4]! + wx2 * src[p2 + 7]!);
          b = wy0 * (wx0 * src[p0 + 2]! + wx1 * src[p0 + 5]! + wx2 * src[p0 + 8]!) + wy1 * (wx0 * src[p1 + 2]! + wx1 * src[p1 + 5]! + wx2 * src[p1 + 8]!) + wy2 * (wx0 * src[p2 + 2]! + wx1 * src[p2 + 5]! + wx2 * src[p2 + 8]!);
          wsum = (wx0 + wx1 + wx2) * (wy0 + wy1 + wy2);
        } else {
          resamplePixel(src, valid, width, height, lx, ly, false, rx, ry, irx, iry);
          r = pixelRgb[0]!;
          g = pixelRgb[1]!;
          b = pixelRgb[2]!;
          wsum = 1;
        }
      }
      const inv = 1 / wsum;
      const q = o * 4;
      const vr = (r * inv - o0) * s0;
      const vg = (g * inv - o1) * s1;
      const vb = (b * inv - o2) * s2;
      rgba[q] = vr > 0 ? (vr >= 255 ? 255 : (vr + 0.5) | 0) : 0;
      rgba[q + 1] = vg > 0 ? (vg >= 255 ? 255 : (vg + 0.5) | 0) : 0;
      rgba[q + 2] = vb > 0 ? (vb >= 255 ? 255 : (vb + 0.5) | 0) : 0;
      rgba[q + 3] = 255;
    }
  }
  return count;
}
