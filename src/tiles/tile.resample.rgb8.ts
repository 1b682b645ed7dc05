/**
 * The axis-aligned case of the RGB fast path, for 8-bit windows: when every sample of a tile row has
 * the same source row and the rows share their source columns (a north-up raster in EPSG:3857, most
 * tiles), the kernel taps and weights depend on the column or the row alone. They are computed once
 * per column (per tile) and once per row. Without rescaling (8-bit RGB as is) the weights are fixed
 * point (2^11 per axis, exact sums, so bytes stay within 1 of the float formula) and each row first
 * blends its source rows once per window column, so a pixel only mixes 2 or 3 blended columns.
 * Same kernels as tile.resample.rgb.ts (GDAL's 2×2 bilinear, its triangle kernel of radius ≤ 1.5,
 * nearest); pixels near invalid data or the window's edge take the general per-pixel formula.
 */
import { rowFour, rowThree } from './rgb8.rows.js';
import { columnTables, makeColumns, One, tri, type Rgb8Input } from './rgb8.tables.js';
import { pixelRgb, resamplePixel } from './tile.resample.pixel.js';
import type { PlanAxes, RowSamples } from './warp.plan.js';
import { HostLittleEndian } from '../raster/decode/pixel.array.js';
import { bilinearSimd } from './simd/bilinear.simd.js';

export type { Rgb8Input, Rgb8Kernel } from './rgb8.tables.js';

/** Rows written and valid pixels among them. */
export interface Rgb8Progress {
  rows: number;
  count: number;
}

/** Grow-only per-column tables (every use is synchronous). */
let cols = makeColumns(0);

/** The SIMD kernel when this runtime has one and it is not turned off. */
let simdKernel = bilinearSimd;

/** Turns the SIMD bilinear kernels off (or on again, where the runtime has it): the specs and benches compare both kernels. */
export function useSimdKernel(on: boolean): void {
  simdKernel = on ? bilinearSimd : null;
}

/**
 * Resample rows of an axis-aligned plan into `rgba` (zeroed) until a row is not axis-aligned; returns
 * how many rows were done (the caller finishes the rest with the general loop) and their valid pixels.
 */
export function resampleRgb8(a: Rgb8Input, size: number, rowSamples: RowSamples, axes: PlanAxes | null, scale: readonly number[], offset: readonly number[], rgba: Uint8Array): Rgb8Progress {
  if (!HostLittleEndian || (rgba.byteOffset & 3) !== 0) return { rows: 0, count: 0 };
  if (cols.n < size) cols = makeColumns(size);
  const c = cols;
  const { xs, ys, ref, lx: cLx, ok: cOk, centre: cCentre, tap: cTap, inside: cIn, w0: cW0, w1: cW1, w2: cW2 } = c;
  const { src, valid, allValid, width, height, x0, y0, isx, isy, kernel, rx, ry } = a;
  const irx = 1 / rx;
  const iry = 1 / ry;
  const out = new Uint32Array(rgba.buffer, rgba.byteOffset, size * size);
  const s0 = scale[0]!, s1 = scale[1]!, s2 = scale[2]!;
  const o0 = offset[0]!, o1 = offset[1]!, o2 = offset[2]!;
  const w3 = width * 3;
  const identity = s0 === 1 && s1 === 1 && s2 === 1 && o0 === 0 && o1 === 0 && o2 === 0;
  let haveCols = false;
  let count = 0;
  c.simd = kernel !== 'nearest' && identity ? simdKernel : null;
  c.simd?.begin(src, allValid ? null : valid, width, size);
  if (axes) {
    xs.set(axes.xs.subarray(0, size));
    columnTables(c, size, isx, x0, width, kernel, rx, irx);
    haveCols = true;
  }
  for (let j = 0; j < size; j++) {
    let y: number;
    if (axes) {
      y = axes.ys[j]!;
    } else {
      rowSamples(j, xs, ys);
      y = ys[0]!;
      for (let i = 1; i < size; i++) if (ys[i] !== y) return { rows: j, count };
    }
    if (!(y === y)) return { rows: j, count };
    if (!axes) {
      // Columns are recomputed only when this row's differ from the last tables'.
      let same = haveCols;
      for (let i = 0; same && i < size; i++) if (xs[i] !== ref[i]) same = false;
      if (!same) {
        columnTables(c, size, isx, x0, width, kernel, rx, irx);
        haveCols = true;
      }
    }
    const ly = y * isy - y0;
    if (!(ly >= 0 && ly < height)) continue;
    const rowCentre = (ly | 0) * width;
    // Per-row taps and weights.
    const fy = ly - 0.5;
    let rTap = 0, rIn = false, v0 = 0, v1 = 0, v2 = 0;
    if (kernel === 'four') {
      const iy = ((fy + 1) | 0) - 1;
      const ay = fy - iy;
      rTap = iy * width;
      rIn = iy >= 0 && iy + 1 < height;
      v0 = 1 - ay;
      v1 = ay;
    } else if (kernel === 'three') {
      const j0 = Math.floor(fy - ry) + 1;
      v0 = tri(j0 - fy, iry);
      v1 = tri(j0 + 1 - fy, iry);
      v2 = tri(j0 + 2 - fy, iry);
      const inv = 1 / (v0 + v1 + v2);
      v0 *= inv;
      v1 *= inv;
      v2 *= inv;
      rTap = j0 * width;
      rIn = allValid && j0 >= 0 && j0 + 2 < height;
    }
    const o = j * size;
    if (identity && kernel !== 'nearest') {
      // Integer weights: the same kernel in fixed point, no float conversions per tap.
      if (kernel === 'four') {
        const m1 = Math.round(v1 * One);
        count += rowFour(a, c, out, o, size, rowCentre, rTap, rIn, One - m1, m1, ly, irx, iry);
      } else {
        const m0 = Math.floor(v0 * One), m1 = Math.floor(v1 * One);
        count += rowThree(a, c, out, o, size, rowCentre, rTap, rIn, m0, m1, One - m0 - m1, ly, irx, iry);
      }
      continue;
    }
    for (let i = 0; i < size; i++) {
      if (cOk[i] === 0) continue;
      const centre = rowCentre + cCentre[i]!;
      if (!allValid && valid[centre] === 0) continue;
      count++;
      let r = 0, g = 0, b = 0;
      if (kernel === 'nearest') {
        const p = centre * 3;
        r = src[p]!;
        g = src[p + 1]!;
        b = src[p + 2]!;
      } else if (kernel === 'four') {
        const q = rTap + cTap[i]!;
        const p = q * 3;
        if (rIn && cIn[i] === 1 && (allValid || (valid[q] !== 0 && valid[q + 1] !== 0 && valid[q + width] !== 0 && valid[q + width + 1] !== 0))) {
          const u0 = cW0[i]!, u1 = cW1[i]!;
          const p2 = p + w3;
          r = v0 * (u0 * src[p]! + u1 * src[p + 3]!) + v1 * (u0 * src[p2]! + u1 * src[p2 + 3]!);
          g = v0 * (u0 * src[p + 1]! + u1 * src[p + 4]!) + v1 * (u0 * src[p2 + 1]! + u1 * src[p2 + 4]!);
          b = v0 * (u0 * src[p + 2]! + u1 * src[p + 5]!) + v1 * (u0 * src[p2 + 2]! + u1 * src[p2 + 5]!);
        } else {
          resamplePixel(src, valid, width, height, cLx[i]!, ly, true, rx, ry, irx, iry);
          r = pixelRgb[0]!;
          g = pixelRgb[1]!;
          b = pixelRgb[2]!;
        }
      } else if (rIn && cIn[i] === 1) {
        const u0 = cW0[i]!, u1 = cW1[i]!, u2 = cW2[i]!;
        const p0 = (rTap + cTap[i]!) * 3;
        const p1 = p0 + w3;
        const p2 = p1 + w3;
        r = v0 * (u0 * src[p0]! + u1 * src[p0 + 3]! + u2 * src[p0 + 6]!) + v1 * (u0 * src[p1]! + u1 * src[p1 + 3]! + u2 * src[p1 + 6]!) + v2 * (u0 * src[p2]! + u1 * src[p2 + 3]! + u2 * src[p2 + 6]!);
        g = v0 * (u0 * src[p0 + 1]! + u1 * src[p0 + 4]! + u2 * src[p0 + 7]!) + v1 * (u0 * src[p1 + 1]! + u1 * src[p1 + 4]! + u2 * src[p1 + 7]!) + v2 * (u0 * src[p2 + 1]! + u1 * src[p2 + 4]! + u2 * src[p2 + 7]!);
        b = v0 * (u0 * src[p0 + 2]! + u1 * src[p0 + 5]! + u2 * src[p0 + 8]!) + v1 * (u0 * src[p1 + 2]! + u1 * src[p1 + 5]! + u2 * src[p1 + 8]!) + v2 * (u0 * src[p2 + 2]! + u1 * src[p2 + 5]! + u2 * src[p2 + 8]!);
      } else {
        resamplePixel(src, valid, width, height, cLx[i]!, ly, false, rx, ry, irx, iry);
        r = pixelRgb[0]!;
        g = pixelRgb[1]!;
        b = pixelRgb[2]!;
      }
      const vr = (r - o0) * s0;
      const vg = (g - o1) * s1;
      const vb = (b - o2) * s2;
      const R = vr > 0 ? (vr >= 255 ? 255 : (vr + 0.5) | 0) : 0;
      const G = vg > 0 ? (vg >= 255 ? 255 : (vg + 0.5) | 0) : 0;
      const B = vb > 0 ? (vb >= 255 ? 255 : (vb + 0.5) | 0) : 0;
      out[o + i] = R | (G << 8) | (B << 16) | 0xff000000;
    }
  }
  return { rows: size, count };
}

