/**
 * The tables of the 8-bit RGB fast path (tile.resample.rgb8.ts): its kernels and input, the fixed-point
 * weights, and the per-column taps and weights of a tile (computed once per tile, or again when a row's
 * columns differ from the last).
 */
import type { BilinearSimd } from './simd/bilinear.simd.js';

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

/** Fixed-point weight of 1 per axis: 2^11, so sums of 255 × One² stay inside int32 and weights err by ≤ 1/4096. */
export const OneBits = 11;
export const One = 1 << OneBits;
export const Half2 = 1 << (2 * OneBits - 1);

/** Triangle weight 1 - |d| / r (with `ir` = 1 / r), 0 past the radius. */
export function tri(d: number, ir: number): number {
  const w = 1 - (d < 0 ? -d : d) * ir;
  return w > 0 ? w : 0;
}

/** Per-column taps, weights and runs of one tile (grow-only, reused: every use is synchronous). */
export type ColumnTables = ReturnType<typeof makeColumns>;

/** Tables for `n` tile columns. */
export function makeColumns(n: number) {
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
    /** The SIMD kernels, holding this tile's window, when its rows may use them (bilinear, no rescaling) */
    simd: null as BilinearSimd | null,
  };
}

/** Per-column taps and weights of the row samples in `c.xs` (remembered in `c.ref`). */
export function columnTables(c: ColumnTables, size: number, isx: number, x0: number, width: number, kernel: Rgb8Kernel, rx: number, irx: number): void {
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
  c.simd?.columnsChanged();
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
