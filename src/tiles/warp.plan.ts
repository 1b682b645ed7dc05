/**
 * Where each pixel of a Web Mercator tile comes from in a source raster: the exact transform
 * (EPSG:3857 → source CRS with proj4 → source pixel) is evaluated on a sparse grid of tile pixels and
 * bilinearly interpolated in between, the grid refined until interpolation stays within
 * `maxErrorPx` of the exact transform (GDAL's approximate transformer does the same with 0.125 px).
 */
import proj4 from 'proj4';
import { proj4Definition } from '../raster/aoi/aoi.project.js';
import type { CrsInfo, GeoTransform } from '../raster/raster.types.js';
import type { MercatorBounds } from './tile.grid.js';

/** Maps EPSG:3857 metres to full-resolution source pixel coordinates `[col, row]` (pixel corners at integers). */
export type ToSourcePixel = (x: number, y: number) => [number, number];

/** Inverse of a geotransform: `[col, row]` of a CRS position. Throws on a degenerate transform. */
export function invertTransform(t: GeoTransform): (x: number, y: number) => [number, number] {
  const det = t[1] * t[5] - t[2] * t[4];
  if (!Number.isFinite(det) || det === 0) throw new Error(`degenerate geotransform ${t.join(',')}`);
  return (x, y) => {
    const dx = x - t[0];
    const dy = y - t[3];
    return [(t[5] * dx - t[2] * dy) / det, (-t[4] * dx + t[1] * dy) / det];
  };
}

/** True when a proj4 definition is EPSG:3857 (so no reprojection is needed). */
function isWebMercator(crs: CrsInfo): boolean {
  if (crs.epsg === 3857 || crs.epsg === 900913) return true;
  return /\+proj=merc/.test(crs.proj4) && /\+a=6378137/.test(crs.proj4) && /\+b=6378137/.test(crs.proj4) && !/\+lat_ts=[^0]/.test(crs.proj4);
}

/** EPSG:3857 → source pixel transform of a raster (its CRS and level-0 geotransform). */
export function mercatorToSourcePixel(crs: CrsInfo, transform: GeoTransform): ToSourcePixel {
  const toPixel = invertTransform(transform);
  if (isWebMercator(crs)) return toPixel;
  const converter = proj4('EPSG:3857', proj4Definition(crs.proj4));
  return (x, y) => {
    let p: number[];
    try {
      p = converter.forward([x, y]);
    } catch {
      return [NaN, NaN];
    }
    const px = p[0]!;
    const py = p[1]!;
    if (!Number.isFinite(px) || !Number.isFinite(py)) return [NaN, NaN];
    return toPixel(px, py);
  };
}

/** Source pixel coordinates of every tile pixel centre, row by row; NaN where the transform has no answer. */
export interface SamplePlan {
  /** Output tile edge, pixels */
  size: number;
  /** Source column (level-0 pixels, corner at integers) of each output pixel centre */
  cols: Float64Array;
  /** Source row of each output pixel centre */
  rows: Float64Array;
  /** Grid step finally used (pixels between exact evaluations; 1 = every pixel exact) */
  step: number;
}

export interface PlanOptions {
  /**
   * Largest allowed interpolation error in output pixels (default 0.125, GDAL's threshold), checked in
   * level-0 source pixels scaled by the tile's downsampling ratio (at least 1)
   */
  maxErrorPx?: number;
  /** First grid step, output pixels (default 16); halved while the error is too large */
  step?: number;
}

/**
 * Source coordinates of the tile's `size × size` pixel centres. Exact at grid nodes, bilinear between;
 * cells with a node outside the projection's domain are evaluated exactly pixel by pixel.
 */
export function planSamples(bounds: MercatorBounds, size: number, toSource: ToSourcePixel, opts: PlanOptions = {}): SamplePlan {
  const maxError = opts.maxErrorPx ?? 0.125;
  const res = (bounds[2] - bounds[0]) / size;
  const centre = (i: number, j: number): [number, number] => [bounds[0] + (i + 0.5) * res, bounds[3] - (j + 0.5) * res];
  let step = Math.max(1, Math.min(size, opts.step ?? 16));
  for (;;) {
    const grid = evalGrid(size, step, (i, j) => toSource(...centre(i, j)));
    const ratio = gridRatio(grid, step);
    if (step === 1 || gridError(grid, size, step, (i, j) => toSource(...centre(i, j))) <= maxError * Math.max(1, ratio)) {
      return { size, ...interpolate(grid, size, step, (i, j) => toSource(...centre(i, j))), step };
    }
    step = Math.max(1, step >> 1);
  }
}

/** Exact values at grid nodes i = 0, step, 2·step, …, size (the last node may lie past the tile). */
interface Grid {
  n: number;
  cols: Float64Array;
  rows: Float64Array;
}

function evalGrid(size: number, step: number, f: (i: number, j: number) => [number, number]): Grid {
  const n = Math.ceil(size / step) + 1;
  const cols = new Float64Array(n * n);
  const rows = new Float64Array(n * n);
  for (let gj = 0; gj < n; gj++) {
    for (let gi = 0; gi < n; gi++) {
      const [c, r] = f(gi * step, gj * step);
      cols[gj * n + gi] = c;
      rows[gj * n + gi] = r;
    }
  }
  return { n, cols, rows };
}

/** Level-0 source pixels per output pixel along the grid's diagonal (NaN when undefined). */
function gridRatio(g: Grid, step: number): number {
  const last = g.n * g.n - 1;
  return Math.hypot(g.cols[last]! - g.cols[0]!, g.rows[last]! - g.rows[0]!) / (Math.SQRT2 * step * (g.n - 1));
}

/** Largest difference between interpolation and the exact transform at the cell centres (and edge midpoints). */
function gridError(g: Grid, size: number, step: number, f: (i: number, j: number) => [number, number]): number {
  if (step === 1) return 0;
  const half = step / 2;
  let worst = 0;
  const probes: [number, number][] = [[half, half], [half, 0], [0, half]];
  for (let gj = 0; gj + 1 < g.n; gj++) {
    for (let gi = 0; gi + 1 < g.n; gi++) {
      if (gi * step >= size || gj * step >= size) continue;
      for (const [di, dj] of probes) {
        const exact = f(gi * step + di, gj * step + dj);
        const fx = di / step;
        const fy = dj / step;
        const a = gj * g.n + gi;
        const c = bilerp(g.cols[a]!, g.cols[a + 1]!, g.cols[a + g.n]!, g.cols[a + g.n + 1]!, fx, fy);
        const r = bilerp(g.rows[a]!, g.rows[a + 1]!, g.rows[a + g.n]!, g.rows[a + g.n + 1]!, fx, fy);
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

function interpolate(g: Grid, size: number, step: number, f: (i: number, j: number) => [number, number]): { cols: Float64Array; rows: Float64Array } {
  const cols = new Float64Array(size * size);
  const rows = new Float64Array(size * size);
  const n = g.n;
  for (let gj = 0; gj * step < size; gj++) {
    for (let gi = 0; gi * step < size; gi++) {
      const a = gj * n + gi;
      const c00 = g.cols[a]!, c10 = g.cols[a + 1]!, c01 = g.cols[a + n]!, c11 = g.cols[a + n + 1]!;
      const r00 = g.rows[a]!, r10 = g.rows[a + 1]!, r01 = g.rows[a + n]!, r11 = g.rows[a + n + 1]!;
      const exact = !(Number.isFinite(c00 + c10 + c01 + c11 + r00 + r10 + r01 + r11));
      const jEnd = Math.min(size, (gj + 1) * step);
      const iEnd = Math.min(size, (gi + 1) * step);
      for (let j = gj * step; j < jEnd; j++) {
        const fy = (j - gj * step) / step;
        // Left and right edges of this cell row; then a linear walk across.
        const cl = c00 + (c01 - c00) * fy, cr = c10 + (c11 - c10) * fy;
        const rl = r00 + (r01 - r00) * fy, rr = r10 + (r11 - r10) * fy;
        let o = j * size + gi * step;
        for (let i = gi * step; i < iEnd; i++, o++) {
          if (exact) {
            const [c, r] = f(i, j);
            cols[o] = c;
            rows[o] = r;
          } else {
            const fx = (i - gi * step) / step;
            cols[o] = cl + (cr - cl) * fx;
            rows[o] = rl + (rr - rl) * fx;
          }
        }
      }
    }
  }
  return { cols, rows };
}

/**
 * Level-0 source pixels per output pixel, along both diagonals of the tile (where defined); the ratio
 * GDAL's overview choice compares against. NaN when no diagonal is defined.
 */
export function sourceRatio(plan: SamplePlan): number {
  const { size, cols, rows } = plan;
  const d = Math.SQRT2 * (size - 1);
  const diag = (a: number, b: number): number => Math.hypot(cols[b]! - cols[a]!, rows[b]! - rows[a]!) / d;
  const values = [diag(0, size * size - 1), diag(size - 1, (size - 1) * size)].filter((v) => Number.isFinite(v) && v > 0);
  if (values.length === 0) return NaN;
  return values.reduce((s, v) => s + v, 0) / values.length;
}

/** Bounding window (pixels, clamped to the level) of plan samples scaled to a level of `scale` level-0 pixels per pixel. */
export interface SourceWindow {
  x0: number;
  y0: number;
  width: number;
  height: number;
  /** Span of the samples (level pixels) across and down, before padding (for the resampling kernel's scale) */
  spanX: number;
  spanY: number;
}

/**
 * The level pixels the samples need, padded by `pad` pixels for the kernel, clamped to `[0, w) × [0, h)`;
 * null when no sample lands near the level.
 */
export function sampleWindow(plan: SamplePlan, scaleX: number, scaleY: number, levelWidth: number, levelHeight: number, pad: number): SourceWindow | null {
  let minC = Infinity, minR = Infinity, maxC = -Infinity, maxR = -Infinity;
  const { cols, rows } = plan;
  for (let k = 0; k < cols.length; k++) {
    const c = cols[k]!;
    const r = rows[k]!;
    if (!(c === c) || !(r === r)) continue; // NaN
    if (c < minC) minC = c;
    if (c > maxC) maxC = c;
    if (r < minR) minR = r;
    if (r > maxR) maxR = r;
  }
  if (minC === Infinity) return null;
  const c0 = minC / scaleX, c1 = maxC / scaleX, r0 = minR / scaleY, r1 = maxR / scaleY;
  const x0 = Math.max(0, Math.floor(c0 - 0.5) - pad);
  const y0 = Math.max(0, Math.floor(r0 - 0.5) - pad);
  const x1 = Math.min(levelWidth, Math.ceil(c1 + 0.5) + pad);
  const y1 = Math.min(levelHeight, Math.ceil(r1 + 0.5) + pad);
  if (x1 <= x0 || y1 <= y0) return null;
  return { x0, y0, width: x1 - x0, height: y1 - y0, spanX: c1 - c0, spanY: r1 - r0 };
}
