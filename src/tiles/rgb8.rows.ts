/**
 * The integer row kernels of the 8-bit RGB fast path, for rows without rescaling: GDAL's 2×2 bilinear
 * and its 3 × 3 triangle kernel with fixed-point weights. Each row first blends its source rows once per
 * window column, then the run of columns whose taps are all inside and valid goes without tests; the
 * other pixels (near invalid data or the window's edge) take the general per-pixel formula.
 */
import { Half2, One, OneBits, type ColumnTables, type Rgb8Input } from './rgb8.tables.js';
import { pixelRgb, resamplePixel } from './tile.resample.pixel.js';
import { Marker } from './simd/bilinear.simd.js';

/** A byte of the general formula's value: rounded, clamped. */
function byte(v: number): number {
  return v > 0 ? (v >= 255 ? 255 : (v + 0.5) | 0) : 0;
}

/** GDAL's general formula at window position (x, y) (`resamplePixel`; `four`: the 2×2 kernel), as an opaque RGBA word. */
function generalPixel(a: Rgb8Input, x: number, y: number, four: boolean, irx: number, iry: number): number {
  resamplePixel(a.src, a.valid, a.width, a.height, x, y, four, a.rx, a.ry, irx, iry);
  return byte(pixelRgb[0]!) | (byte(pixelRgb[1]!) << 8) | (byte(pixelRgb[2]!) << 16) | 0xff000000;
}

/** One row of the 2×2 bilinear with integer weights (identity mapping); returns its valid pixels. */
export function rowFour(a: Rgb8Input, c: ColumnTables, out: Uint32Array, o: number, size: number, rowCentre: number, rTap: number, rIn: boolean, m0: number, m1: number, ly: number, irx: number, iry: number): number {
  const { src, valid, allValid, width } = a;
  const { ok, centre, tap, inside, n0, n1, lx } = c;
  let count = 0;
  let skipLo = 0, skipHi = 0;
  // Rows with one run of inside columns go to the SIMD kernel when there is one (the same integers);
  // otherwise the source rows are blended here, once per column.
  const simd = rIn && c.runHi > c.runLo ? c.simd : null;
  const blended = rIn && simd === null;
  if (c.vrow.length < width * 3) c.vrow = new Int32Array(width * 3);
  const v = c.vrow;
  if (blended) {
    // Taps are shared by neighbouring output pixels.
    const top = rTap * 3;
    const bottom = top + width * 3;
    for (let x = c.lo * 3, end = c.hi * 3 + 3; x < end; x++) v[x] = m0 * src[top + x]! + m1 * src[bottom + x]!;
  }
  if (rIn && allValid) {
    // The bulk of the row: no validity or edge tests.
    skipLo = c.runLo;
    skipHi = c.runHi;
    count += skipHi - skipLo;
    if (simd) simd.row(c, size, rTap, m0, m1, skipLo, skipHi, out, o);
    else bulkFour(v, tap, n1, out, o, skipLo, skipHi);
  } else if (simd) {
    // The run of a window with invalid pixels: the kernel tells valid centres and taps apart; a pixel
    // with an invalid tap is left marked for the general formula.
    skipLo = c.runLo;
    skipHi = c.runHi;
    const counts = simd.rowMasked(c, size, rTap, m0, m1, skipLo, skipHi, out, o, rowCentre !== rTap);
    count += counts & 0xffff;
    for (let i = skipLo, marks = counts >>> 16; marks > 0 && i < skipHi; i++) {
      if (out[o + i] !== Marker) continue;
      marks--;
      out[o + i] = generalPixel(a, lx[i]!, ly, true, irx, iry);
    }
  }
  for (let i = 0; i < size; i++) {
    if (i === skipLo && skipHi > skipLo) i = skipHi;
    if (i >= size) break;
    if (ok[i] === 0) continue;
    if (!allValid && valid[rowCentre + centre[i]!] === 0) continue;
    count++;
    const q = rTap + tap[i]!;
    if (blended && inside[i] === 1 && (allValid || (valid[q] !== 0 && valid[q + 1] !== 0 && valid[q + width] !== 0 && valid[q + width + 1] !== 0))) {
      const u0 = n0[i]!, u1 = n1[i]!;
      const p = tap[i]! * 3;
      const r = (u0 * v[p]! + u1 * v[p + 3]! + Half2) >> (2 * OneBits);
      const g = (u0 * v[p + 1]! + u1 * v[p + 4]! + Half2) >> (2 * OneBits);
      const b = (u0 * v[p + 2]! + u1 * v[p + 5]! + Half2) >> (2 * OneBits);
      out[o + i] = r | (g << 8) | (b << 16) | 0xff000000;
    } else {
      out[o + i] = generalPixel(a, lx[i]!, ly, true, irx, iry);
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
export function rowThree(a: Rgb8Input, c: ColumnTables, out: Uint32Array, o: number, size: number, rowCentre: number, rTap: number, rIn: boolean, m0: number, m1: number, m2: number, ly: number, irx: number, iry: number): number {
  const { src, valid, allValid, width } = a;
  const { ok, centre, tap, inside, n0, n1, n2, lx } = c;
  const w3 = width * 3;
  let count = 0;
  let skipLo = 0, skipHi = 0;
  if (rIn && c.simd && c.runHi > c.runLo) {
    // Every tap valid (rIn implies it): the run in WebAssembly SIMD (the same integers).
    skipLo = c.runLo;
    skipHi = c.runHi;
    count += skipHi - skipLo;
    c.simd.row3(c, size, rTap, m0, m1, m2, skipLo, skipHi, out, o);
  } else if (rIn) {
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
      out[o + i] = generalPixel(a, lx[i]!, ly, false, irx, iry);
    }
  }
  return count;
}

