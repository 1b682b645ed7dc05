/**
 * What a tile's samples cover in the source: their extent in level-0 pixels, the window of level pixels
 * they need (padded for the kernel, clamped to the level), and the level pixels per output pixel.
 */
import type { SampleGrid } from './warp.plan.js';

/** Level-0 extent of sample coordinates, and how many output pixels lie between the first and the last sample. */
export interface SampleExtent {
  minC: number;
  maxC: number;
  minR: number;
  maxR: number;
  /** Output pixels spanned by the samples along each axis (size - 1 for a dense plan) */
  spanPx: number;
}

/** Extent of finite coordinates, or null when there is none. */
export function coordExtent(cols: Float64Array, rows: Float64Array, spanPx: number): SampleExtent | null {
  let minC = Infinity, minR = Infinity, maxC = -Infinity, maxR = -Infinity;
  for (let k = 0; k < cols.length; k++) {
    const c = cols[k]!;
    const r = rows[k]!;
    if (!(c === c) || !(r === r)) continue; // NaN
    if (c < minC) minC = c;
    if (c > maxC) maxC = c;
    if (r < minR) minR = r;
    if (r > maxR) maxR = r;
  }
  return minC === Infinity ? null : { minC, maxC, minR, maxR, spanPx };
}

/** The extent a tile's samples cover: from the grid nodes (bilinear interpolation stays within them) or the dense plan. */
export function gridExtent(g: SampleGrid): SampleExtent | null {
  return coordExtent(g.cols, g.rows, g.step * (g.n - 1));
}

/** Window of level pixels (clamped to the level), padded for the resampling kernel. */
export interface SourceWindow {
  x0: number;
  y0: number;
  width: number;
  height: number;
}

/**
 * The level pixels samples within `e` need, padded by `pad` pixels, clamped to `[0, w) × [0, h)`; null when
 * no sample lands near the level. `scaleX`, `scaleY`: level-0 pixels per level pixel.
 */
export function levelWindow(e: SampleExtent, scaleX: number, scaleY: number, levelWidth: number, levelHeight: number, pad: number): SourceWindow | null {
  const x0 = Math.max(0, Math.floor(e.minC / scaleX - 0.5) - pad);
  const y0 = Math.max(0, Math.floor(e.minR / scaleY - 0.5) - pad);
  const x1 = Math.min(levelWidth, Math.ceil(e.maxC / scaleX + 0.5) + pad);
  const y1 = Math.min(levelHeight, Math.ceil(e.maxR / scaleY + 0.5) + pad);
  if (x1 <= x0 || y1 <= y0) return null;
  return { x0, y0, width: x1 - x0, height: y1 - y0 };
}

/** Level pixels per output pixel along each axis (the bilinear kernel's widening), from an extent. */
export function levelRatio(e: SampleExtent, scaleX: number, scaleY: number): [number, number] {
  const span = Math.max(1, e.spanPx);
  return [(e.maxC - e.minC) / scaleX / span, (e.maxR - e.minR) / scaleY / span];
}
