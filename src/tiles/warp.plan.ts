/**
 * Where each pixel of a Web Mercator tile comes from in a source raster: the exact transform
 * (EPSG:3857 → source CRS with proj4 → source pixel) is evaluated on a sparse grid of tile pixels and
 * bilinearly interpolated in between, the grid refined until interpolation stays within 1/8 of an
 * output pixel of the exact transform (GDAL's approximate transformer uses the same 0.125 threshold).
 *
 * Two phases: `planGrid` (the sparse grid: enough to choose the level and the source window) and
 * `fillSamples` (every pixel, into caller-provided arrays, so a renderer can reuse them).
 */
import type { MercatorBounds } from './tile.grid.js';
import { isAffine, type ToSourcePixel } from './warp.transform.js';

/** Source pixel coordinates of every tile pixel centre, row by row; NaN where the transform has no answer. */
export interface SamplePlan {
  /** Output tile edge, pixels */
  size: number;
  /** Source column (level-0 pixels, corner at integers) of each output pixel centre */
  cols: Float64Array;
  /** Source row of each output pixel centre */
  rows: Float64Array;
}

/** Exact source coordinates at grid nodes i, j = 0, step, 2·step, …, (n-1)·step (the last may lie past the tile). */
export interface SampleGrid {
  size: number;
  step: number;
  /** Nodes per side */
  n: number;
  cols: Float64Array;
  rows: Float64Array;
  /** False when some node has no answer (outside the projection's domain): cells there are computed exactly */
  complete: boolean;
  /** Output pixel centre → EPSG:3857 → source pixel */
  at: (i: number, j: number) => [number, number];
}

export interface PlanOptions {
  /** Largest allowed interpolation error, output pixels (default 0.125) */
  maxErrorPx?: number;
  /** First grid step, output pixels (default 16); halved while the error is too large */
  step?: number;
}

/** The sparse grid of a tile, refined until interpolating it is accurate enough. */
export function planGrid(bounds: MercatorBounds, size: number, toSource: ToSourcePixel, opts: PlanOptions = {}): SampleGrid {
  const maxError = opts.maxErrorPx ?? 0.125;
  const res = (bounds[2] - bounds[0]) / size;
  const at = (i: number, j: number): [number, number] => toSource(bounds[0] + (i + 0.5) * res, bounds[3] - (j + 0.5) * res);
  let step = Math.max(1, Math.min(size, opts.step ?? 16));
  for (;;) {
    const grid = evalGrid(size, step, at);
    // The threshold is in output pixels; errors are measured in level-0 source pixels.
    const ratio = gridRatio(grid);
    if (step === 1 || isAffine(toSource) || gridError(grid) <= maxError * (ratio > 1 ? ratio : 1)) return grid;
    step = Math.max(1, step >> 1);
  }
}

function evalGrid(size: number, step: number, at: SampleGrid['at']): SampleGrid {
  const n = Math.ceil(size / step) + 1;
  const cols = new Float64Array(n * n);
  const rows = new Float64Array(n * n);
  let complete = true;
  for (let gj = 0; gj < n; gj++) {
    for (let gi = 0; gi < n; gi++) {
      const [c, r] = at(gi * step, gj * step);
      cols[gj * n + gi] = c;
      rows[gj * n + gi] = r;
      if (!(c === c && r === r)) complete = false; // NaN
    }
  }
  return { size, step, n, cols, rows, complete, at };
}

/**
 * Level-0 source pixels per output pixel: the mean over grid cells with four defined nodes of the
 * square root of the cell's source area per output pixel (NaN when no cell is defined).
 */
export function gridRatio(g: SampleGrid): number {
  const { n, step, size } = g;
  let sum = 0;
  let cells = 0;
  for (let gj = 0; gj + 1 < n && gj * step < size; gj++) {
    for (let gi = 0; gi + 1 < n && gi * step < size; gi++) {
      const a = gj * n + gi;
      const dxc = g.cols[a + 1]! - g.cols[a]!, dxr = g.rows[a + 1]! - g.rows[a]!;
      const dyc = g.cols[a + n]! - g.cols[a]!, dyr = g.rows[a + n]! - g.rows[a]!;
      const r = Math.sqrt(Math.abs(dxc * dyr - dxr * dyc)) / step;
      if (Number.isFinite(r)) {
        sum += r;
        cells++;
      }
    }
  }
  return cells > 0 ? sum / cells : NaN;
}

/** Largest difference between interpolation and the exact transform at the cell centres and edge midpoints. */
function gridError(g: SampleGrid): number {
  const { step, size, n } = g;
  if (step === 1) return 0;
  const half = step / 2;
  let worst = 0;
  const probes: [number, number][] = [[half, half], [half, 0], [0, half]];
  for (let gj = 0; gj + 1 < n; gj++) {
    for (let gi = 0; gi + 1 < n; gi++) {
      if (gi * step >= size || gj * step >= size) continue;
      for (const [di, dj] of probes) {
        const exact = g.at(gi * step + di, gj * step + dj);
        const fx = di / step;
        const fy = dj / step;
        const a = gj * n + gi;
        const c = bilerp(g.cols[a]!, g.cols[a + 1]!, g.cols[a + n]!, g.cols[a + n + 1]!, fx, fy);
        const r = bilerp(g.rows[a]!, g.rows[a + 1]!, g.rows[a + n]!, g.rows[a + n + 1]!, fx, fy);
        // A cell touching the projection's edge is evaluated exactly anyway; it does not drive refinement.
        if (!Number.isFinite(c) || !Number.isFinite(r) || !Number.isFinite(exact[0])) continue;
        worst = Math.max(worst, Math.abs(c - exact[0]), Math.abs(r - exact[1]));
      }
    }
  }
  return worst;
}

function bilerp(v00: number, v10: number, v01: number, v11: number, fx: number, fy: number): number {
  const top = v00 + (v10 - v00) * fx;
  const bottom = v01 + (v11 - v01) * fx;
  return top + (bottom - top) * fy;
}

/** Every pixel's source coordinates, written into `cols` and `rows` (at least size² long). */
export function fillSamples(g: SampleGrid, cols: Float64Array, rows: Float64Array): SamplePlan {
  const { size, step, n } = g;
  for (let gj = 0; gj * step < size; gj++) {
    for (let gi = 0; gi * step < size; gi++) {
      const a = gj * n + gi;
      const c00 = g.cols[a]!, c10 = g.cols[a + 1]!, c01 = g.cols[a + n]!, c11 = g.cols[a + n + 1]!;
      const r00 = g.rows[a]!, r10 = g.rows[a + 1]!, r01 = g.rows[a + n]!, r11 = g.rows[a + n + 1]!;
      const exact = !Number.isFinite(c00 + c10 + c01 + c11 + r00 + r10 + r01 + r11);
      const jEnd = Math.min(size, (gj + 1) * step);
      const iEnd = Math.min(size, (gi + 1) * step);
      for (let j = gj * step; j < jEnd; j++) {
        const fy = (j - gj * step) / step;
        // Left and right edges of this cell row; then a linear walk across.
        const cl = c00 + (c01 - c00) * fy, cr = c10 + (c11 - c10) * fy;
        const rl = r00 + (r01 - r00) * fy, rr = r10 + (r11 - r10) * fy;
        const dc = (cr - cl) / step, dr = (rr - rl) / step;
        let o = j * size + gi * step;
        for (let i = gi * step, k = 0; i < iEnd; i++, k++, o++) {
          if (exact) {
            const [c, r] = g.at(i, j);
            cols[o] = c;
            rows[o] = r;
          } else {
            cols[o] = cl + dc * k;
            rows[o] = rl + dr * k;
          }
        }
      }
    }
  }
  return { size, cols, rows };
}

/** Writes the level-0 source coordinates of tile row `j` into `xs`, `ys` (`size` long each). */
export type RowSamples = (j: number, xs: Float64Array, ys: Float64Array) => void;

/** Row coordinates interpolated from a complete grid (no per-tile megabyte arrays; every cell linear). */
export function gridRows(g: SampleGrid): RowSamples {
  const { size, step, n } = g;
  return (j, xs, ys) => {
    const gj = Math.min(n - 2, Math.floor(j / step));
    const fy = (j - gj * step) / step;
    for (let gi = 0; gi * step < size; gi++) {
      const a = gj * n + gi;
      const cl = g.cols[a]! + (g.cols[a + n]! - g.cols[a]!) * fy;
      const cr = g.cols[a + 1]! + (g.cols[a + n + 1]! - g.cols[a + 1]!) * fy;
      const rl = g.rows[a]! + (g.rows[a + n]! - g.rows[a]!) * fy;
      const rr = g.rows[a + 1]! + (g.rows[a + n + 1]! - g.rows[a + 1]!) * fy;
      const dc = (cr - cl) / step;
      const dr = (rr - rl) / step;
      const iEnd = Math.min(size, (gi + 1) * step);
      for (let i = gi * step, k = 0; i < iEnd; i++, k++) {
        xs[i] = cl + dc * k;
        ys[i] = rl + dr * k;
      }
    }
  };
}

/** Source coordinates of a north-up tile: sample (i, j) is `(xs[i], ys[j])`. */
export interface PlanAxes {
  xs: Float64Array;
  ys: Float64Array;
}

/**
 * The axes of a complete grid whose node columns do not change down the tile and node rows not across
 * it (a north-up raster in EPSG:3857), into `xs`, `ys` (`size` long); null for any other grid. The values
 * are exactly those `gridRows` interpolates (the zero differences drop out).
 */
export function gridAxes(g: SampleGrid, xs: Float64Array, ys: Float64Array): PlanAxes | null {
  const { size, step, n, cols, rows } = g;
  if (!g.complete) return null;
  for (let gj = 0; gj < n; gj++) {
    for (let gi = 0; gi < n; gi++) {
      if (cols[gj * n + gi] !== cols[gi] || rows[gj * n + gi] !== rows[gj * n]) return null;
    }
  }
  gridRows(g)(0, xs, ys);
  for (let j = 0; j < size; j++) {
    const gj = Math.min(n - 2, Math.floor(j / step));
    const fy = (j - gj * step) / step;
    const a = gj * n;
    ys[j] = rows[a]! + (rows[a + n]! - rows[a]!) * fy;
  }
  return { xs, ys };
}

/** Row coordinates copied from a dense plan. */
export function planRows(p: SamplePlan): RowSamples {
  return (j, xs, ys) => {
    xs.set(p.cols.subarray(j * p.size, (j + 1) * p.size));
    ys.set(p.rows.subarray(j * p.size, (j + 1) * p.size));
  };
}

/** The whole plan in new arrays. */
export function planSamples(bounds: MercatorBounds, size: number, toSource: ToSourcePixel, opts: PlanOptions = {}): SamplePlan {
  return fillSamples(planGrid(bounds, size, toSource, opts), new Float64Array(size * size), new Float64Array(size * size));
}

