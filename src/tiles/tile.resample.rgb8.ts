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
import type { PlanAxes, RowSamples } from './warp.plan.js';
import { pixelRgb, resamplePixel } from './tile.resample.pixel.js';

/** Which kernel: nearest, GDAL's 2×2 bilinear, or the triangle kernel of radius ≤ 1.5 (3 × 3 taps). */
export type Rgb8Kernel = 'nearest' | 'four' | 'three';

/** A window and kernel to resample (see `resampleRgb`). */
export interface Rgb8Input {
  /** `width × height × 3` bytes */
  src: Uint8Array;
  /** 1 where valid (all ones when `allValid`) */
  valid: Uint8Array;
  allValid: boolean;
  width: number;
  height: number;
  /** Level pixel of the window's top-left corner */
  x0: number;
  y0: number;
  /** Level pixels per level-0 pixel, across and down */
  isx: number;
  isy: number;
  kernel: Rgb8Kernel;
  /** Triangle radii, level pixels (≥ 1), and their inverses */
  rx: number;
  ry: number;
}

/** Rows written and valid pixels among them. */
export interface Rgb8Progress {
  rows: number;
  count: number;
}

/** Grow-only per-column tables (every use is synchronous). */
let cols = makeColumns(0);

function makeColumns(n: number) {
  return {
    n,
    xs: new Float64Array(n),
    ys: new Float64Array(n),
    ref: new Float64Array(n),
    lx: new Float64Array(n),
    ok: new Uint8Array(n),
    centre: new Int32Array(n),
    tap: new Int32Array(n),
    inside: new Uint8Array(n),
    w0: new Float64Array(n),
    w1: new Float64Array(n),
    w2: new Float64Array(n),
    n0: new Int32Array(n),
    n1: new Int32Array(n),
    n2: new Int32Array(n),
    /** Window columns the bilinear taps span (first, last), for the per-row vertical blend */
    lo: 0,
    hi: -1,
    /** Tile columns [runLo, runHi) all inside the window with all their taps (0, 0 when they are not one run) */
    runLo: 0,
    runHi: 0,
    /** A row of vertically blended window pixels (3 per column, fixed point) */
    vrow: new Int32Array(0),
  };
}

/** Fixed-point weight of 1 per axis: 2^11, so sums of 255 × One² stay inside int32 and weights err by ≤ 1/4096. */
const OneBits = 11;
const One = 1 << OneBits;
const Half2 = 1 << (2 * OneBits - 1);
const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Triangle weight 1 - |d| / r (with `ir` = 1 / r), 0 past the radius. */
function tri(d: number, ir: number): number {
  const w = 1 - (d < 0 ? -d : d) * ir;
  return w > 0 ? w : 0;
}

/**
 * Resample rows of an axis-aligned plan into `rgba` (zeroed) until a row is not axis-aligned; returns
 * how many rows were done (the caller finishes the rest with the general loop) and their valid pixels.
 */
export function resampleRgb8(a: Rgb8Input, size: number, rowSamples: RowSamples, axes: PlanAxes | null, scale: readonly number[], offset: readonly number[], rgba: Uint8Array): Rgb8Progress {
  if (!littleEndian || (rgba.byteOffset & 3) !== 0) return { rows: 0, count: 0 };
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

/** A byte of the general formula's value: rounded, clamped. */
function byte(v: number): number {
  return v > 0 ? (v >= 255 ? 255 : (v + 0.5) | 0) : 0;
}

/** One row of the 2×2 bilinear with integer weights (identity mapping); returns its valid pixels. */
function rowFour(a: Rgb8Input, c: typeof cols, out: Uint32Array, o: number, size: number, rowCentre: number, rTap: number, rIn: boolean, m0: number, m1: number, ly: number, irx: number, iry: number): number {
  const { src, valid, allValid, width, height, rx, ry } = a;
  const { ok, centre, tap, inside, n0, n1, lx } = c;
  if (c.vrow.length < width * 3) c.vrow = new Int32Array(width * 3);
  const v = c.vrow;
  if (rIn) {
    // The two source rows blended once per column: taps are shared by neighbouring output pixels.
    const top = rTap * 3;
    const bottom = top + width * 3;
    for (let x = c.lo * 3, end = c.hi * 3 + 3; x < end; x++) v[x] = m0 * src[top + x]! + m1 * src[bottom + x]!;
  }
  let count = 0;
  let skipLo = 0, skipHi = 0;
  if (rIn && allValid) {
    // The bulk of the row: no validity or edge tests.
    skipLo = c.runLo;
    skipHi = c.runHi;
    count += skipHi - skipLo;
    bulkFour(v, tap, n1, out, o, skipLo, skipHi);
  }
  for (let i = 0; i < size; i++) {
    if (i === skipLo && skipHi > skipLo) i = skipHi;
    if (i >= size) break;
    if (ok[i] === 0) continue;
    if (!allValid && valid[rowCentre + centre[i]!] === 0) continue;
    count++;
    const q = rTap + tap[i]!;
    if (rIn && inside[i] === 1 && (allValid || (valid[q] !== 0 && valid[q + 1] !== 0 && valid[q + width] !== 0 && valid[q + width + 1] !== 0))) {
      const u0 = n0[i]!, u1 = n1[i]!;
      const p = tap[i]! * 3;
      const r = (u0 * v[p]! + u1 * v[p + 3]! + Half2) >> (2 * OneBits);
      const g = (u0 * v[p + 1]! + u1 * v[p + 4]! + Half2) >> (2 * OneBits);
      const b = (u0 * v[p + 2]! + u1 * v[p + 5]! + Half2) >> (2 * OneBits);
      out[o + i] = r | (g << 8) | (b << 16) | 0xff000000;
    } else {
      resamplePixel(src, valid, width, height, lx[i]!, ly, true, rx, ry, irx, iry);
      out[o + i] = byte(pixelRgb[0]!) | (byte(pixelRgb[1]!) << 8) | (byte(pixelRgb[2]!) << 16) | 0xff000000;
    }
  }
  return count;
}

/**
 * The bulk of a 2×2 row: output columns [lo, hi) whose taps are all inside and valid, from the row's
 * vertically blended pixels `v`. Output pixels sharing a pair of columns (all of them when magnifying)
 * differ only in the weight: u0·a + u1·b = One·a + u1·(b - a), the same integers with half the loads
 * and multiplies. A small function of its own, so V8 optimises this loop alone.
 */
function bulkFour(v: Int32Array, tap: Int32Array, n1: Int32Array, out: Uint32Array, o: number, lo: number, hi: number): void {
  for (let i = lo; i < hi;) {
    const t = tap[i]!;
    const p = t * 3;
    const a0 = v[p]!, a1 = v[p + 1]!, a2 = v[p + 2]!;
    const d0 = v[p + 3]! - a0, d1 = v[p + 4]! - a1, d2 = v[p + 5]! - a2;
    const b0 = a0 * One + Half2, b1 = a1 * One + Half2, b2 = a2 * One + Half2;
    do {
      const u1 = n1[i]!;
      out[o + i] = ((b0 + u1 * d0) >> (2 * OneBits)) | (((b1 + u1 * d1) >> (2 * OneBits)) << 8) | (((b2 + u1 * d2) >> (2 * OneBits)) << 16) | 0xff000000;
      i++;
    } while (i < hi && tap[i] === t);
  }
}

/** One row of the 3 × 3 triangle kernel with integer weights (identity mapping); returns its valid pixels. */
function rowThree(a: Rgb8Input, c: typeof cols, out: Uint32Array, o: number, size: number, rowCentre: number, rTap: number, rIn: boolean, m0: number, m1: number, m2: number, ly: number, irx: number, iry: number): number {
  const { src, valid, allValid, width, height, rx, ry } = a;
  const { ok, centre, tap, inside, n0, n1, n2, lx } = c;
  const w3 = width * 3;
  let count = 0;
  let skipLo = 0, skipHi = 0;
  if (rIn) {
    // Every tap valid (rIn implies it): the three source rows blended once per column, then the run of
    // columns with every tap inside the window, with no tests.
    if (c.vrow.length < w3) c.vrow = new Int32Array(w3);
    const v = c.vrow;
    const t0 = rTap * 3;
    const t1 = t0 + w3;
    const t2 = t1 + w3;
    for (let x = c.lo * 3, end = c.hi * 3 + 3; x < end; x++) v[x] = m0 * src[t0 + x]! + m1 * src[t1 + x]! + m2 * src[t2 + x]!;
    skipLo = c.runLo;
    skipHi = c.runHi;
    count += skipHi - skipLo;
    for (let i = skipLo; i < skipHi; i++) {
      const u0 = n0[i]!, u1 = n1[i]!, u2 = n2[i]!;
      const p = tap[i]! * 3;
      const r = (u0 * v[p]! + u1 * v[p + 3]! + u2 * v[p + 6]! + Half2) >> (2 * OneBits);
      const g = (u0 * v[p + 1]! + u1 * v[p + 4]! + u2 * v[p + 7]! + Half2) >> (2 * OneBits);
      const b = (u0 * v[p + 2]! + u1 * v[p + 5]! + u2 * v[p + 8]! + Half2) >> (2 * OneBits);
      out[o + i] = r | (g << 8) | (b << 16) | 0xff000000;
    }
  }
  for (let i = 0; i < size; i++) {
    if (i === skipLo && skipHi > skipLo) i = skipHi;
    if (i >= size) break;
    if (ok[i] === 0) continue;
    if (!allValid && valid[rowCentre + centre[i]!] === 0) continue;
    count++;
    if (rIn && inside[i] === 1) {
      const u0 = n0[i]!, u1 = n1[i]!, u2 = n2[i]!;
      const p0 = (rTap + tap[i]!) * 3;
      const p1 = p0 + w3;
      const p2 = p1 + w3;
      const r = (m0 * (u0 * src[p0]! + u1 * src[p0 + 3]! + u2 * src[p0 + 6]!) + m1 * (u0 * src[p1]! + u1 * src[p1 + 3]! + u2 * src[p1 + 6]!) + m2 * (u0 * src[p2]! + u1 * src[p2 + 3]! + u2 * src[p2 + 6]!) + Half2) >> (2 * OneBits);
      const g = (m0 * (u0 * src[p0 + 1]! + u1 * src[p0 + 4]! + u2 * src[p0 + 7]!) + m1 * (u0 * src[p1 + 1]! + u1 * src[p1 + 4]! + u2 * src[p1 + 7]!) + m2 * (u0 * src[p2 + 1]! + u1 * src[p2 + 4]! + u2 * src[p2 + 7]!) + Half2) >> (2 * OneBits);
      const b = (m0 * (u0 * src[p0 + 2]! + u1 * src[p0 + 5]! + u2 * src[p0 + 8]!) + m1 * (u0 * src[p1 + 2]! + u1 * src[p1 + 5]! + u2 * src[p1 + 8]!) + m2 * (u0 * src[p2 + 2]! + u1 * src[p2 + 5]! + u2 * src[p2 + 8]!) + Half2) >> (2 * OneBits);
      out[o + i] = r | (g << 8) | (b << 16) | 0xff000000;
    } else {
      resamplePixel(src, valid, width, height, lx[i]!, ly, false, rx, ry, irx, iry);
      out[o + i] = byte(pixelRgb[0]!) | (byte(pixelRgb[1]!) << 8) | (byte(pixelRgb[2]!) << 16) | 0xff000000;
    }
  }
  return count;
}

/** Per-column taps and weights of the row samples in `c.xs` (remembered in `c.ref`). */
function columnTables(c: typeof cols, size: number, isx: number, x0: number, width: number, kernel: Rgb8Kernel, rx: number, irx: number): void {
  const { xs, ref, lx: cLx, ok, centre, tap, inside, w0, w1, w2, n0, n1, n2 } = c;
  let lo = width, hi = -1;
  for (let i = 0; i < size; i++) {
    const x = xs[i]!;
    ref[i] = x;
    const lx = x * isx - x0;
    cLx[i] = lx;
    ok[i] = lx >= 0 && lx < width ? 1 : 0; // also NaN
    centre[i] = lx | 0;
    const fx = lx - 0.5;
    if (kernel === 'four') {
      const ix = ((fx + 1) | 0) - 1;
      const ax = fx - ix;
      tap[i] = ix;
      inside[i] = ix >= 0 && ix + 1 < width ? 1 : 0;
      if (inside[i] === 1 && ok[i] === 1) {
        if (ix < lo) lo = ix;
        if (ix + 1 > hi) hi = ix + 1;
      }
      w0[i] = 1 - ax;
      w1[i] = ax;
      const k1 = Math.round(ax * One);
      n1[i] = k1;
      n0[i] = One - k1;
    } else if (kernel === 'three') {
      const i0 = Math.floor(fx - rx) + 1;
      const u0 = tri(i0 - fx, irx), u1 = tri(i0 + 1 - fx, irx), u2 = tri(i0 + 2 - fx, irx);
      const inv = 1 / (u0 + u1 + u2);
      tap[i] = i0;
      inside[i] = i0 >= 0 && i0 + 2 < width ? 1 : 0;
      if (inside[i] === 1 && ok[i] === 1) {
        if (i0 < lo) lo = i0;
        if (i0 + 2 > hi) hi = i0 + 2;
      }
      w0[i] = u0 * inv;
      w1[i] = u1 * inv;
      w2[i] = u2 * inv;
      // Floors, so the third weight (the rest) is never negative; the three sum to One exactly.
      const k0 = Math.floor(u0 * inv * One), k1 = Math.floor(u1 * inv * One);
      n0[i] = k0;
      n1[i] = k1;
      n2[i] = One - k0 - k1;
    }
  }
  c.lo = lo;
  c.hi = hi;
  // The columns with every tap inside, when they form one run (xs monotonic: north-up rasters).
  let a = 0;
  while (a < size && !(ok[a] === 1 && inside[a] === 1)) a++;
  let b = a;
  while (b < size && ok[b] === 1 && inside[b] === 1) b++;
  let run = true;
  for (let i = b; i < size; i++) if (ok[i] === 1 && inside[i] === 1) run = false;
  c.runLo = run ? a : 0;
  c.runHi = run ? b : 0;
}
