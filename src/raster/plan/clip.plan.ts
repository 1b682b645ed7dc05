/**
 * The clip plan: which source tiles make the output and how each one is treated. The output grid is the
 * source's pixel grid cut to a window aligned on the source's tile grid, so output tile (tx, ty) is source
 * tile (tx + tileOffset.tx, ty + tileOffset.ty), and is either
 * - `inside`: every pixel centre of the tile that lies within the raster is inside the AOI (the source's
 *   compressed bytes can be copied unchanged),
 * - `outside`: none is (the tile is left empty), or
 * - `boundary`: some are (decode, mask, re-encode).
 * Pure planning: computed from row spans, one tile row at a time (memory O(tile height x spans)).
 */
import type { PixelPolygons } from '../aoi/aoi.project.js';
import { fillSpans, SpanScanner, type GdalCompat, type RowSpans, type ScanWork, type SpanOptions } from './mask.spans.js';

/** How an output tile relates to the AOI. */
export type TileClass = 'inside' | 'boundary' | 'outside';

export interface ClipPlanInput {
  /** Source raster size in pixels */
  width: number;
  height: number;
  /** Source tile size in pixels (a strip is a tile of width `width`) */
  tileWidth: number;
  tileHeight: number;
  /** The AOI in the source's pixel space (see `toPixelSpace`) */
  polygons: PixelPolygons;
  /** Rasterize exactly as GDAL does, given the geotransform's orientation (see `SpanOptions.gdalCompat`) */
  gdalCompat?: GdalCompat;
  /** When given, counts the row scans of the plan and of its rows (for tests) */
  work?: ScanWork;
}

/** A pixel rectangle: columns `[x, x + width)`, rows `[y, y + height)`. */
export interface PixelWindow {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface ClipPlan {
  /** Source raster and tile sizes, pixels */
  source: { width: number; height: number; tileWidth: number; tileHeight: number };
  /** The output's extent on the source grid: the AOI's pixel-centre bbox snapped outward to the tile grid, clamped to the raster */
  window: PixelWindow;
  /** Output size in tiles */
  tilesAcross: number;
  tilesDown: number;
  /** Source tile index of output tile (0, 0) */
  tileOffset: { tx: number; ty: number };
  /** Bounds of the pixels whose centres are inside the AOI (tight, not snapped) */
  aoiPixels: PixelWindow;
  /** The AOI in source pixel space */
  polygons: PixelPolygons;
  /** How rows are rasterized */
  spanOptions: SpanOptions;
}

/** One output tile of a tile row. */
export interface PlanTile {
  /** Output tile column, and the source tile column it is */
  tx: number;
  sourceTx: number;
  cls: TileClass;
  /** Pixels of the tile inside the AOI, and pixels of the tile within the raster */
  insidePixels: number;
  validPixels: number;
}

/** One output tile row. */
export interface PlanRow {
  /** Output tile row, and the source tile row it is */
  ty: number;
  sourceTy: number;
  tiles: PlanTile[];
  /**
   * The AOI mask of output tile `tx` of this row: tileWidth x tileHeight, row-major, 255 inside, 0 outside
   * and beyond the raster's edge. Written over `into` when given (tileWidth x tileHeight bytes), else a fresh array.
   */
  mask(tx: number, into?: Uint8Array): Uint8Array;
}

/**
 * Plan a clip, or null when the AOI contains no pixel centre of the raster (the caller raises
 * `aoi_outside_area`). One pass over the AOI's rows to find the pixels it covers.
 */
export function planClip(input: ClipPlanInput): ClipPlan | null {
  const { width, height, tileWidth, tileHeight, polygons } = input;
  const spanOptions: SpanOptions = { width, height, ...(input.gdalCompat ? { gdalCompat: input.gdalCompat } : {}), ...(input.work ? { work: input.work } : {}) };
  const scanner = new SpanScanner(polygons, spanOptions);
  const [r0, r1] = scanner.rowRange();
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (let r = r0; r < r1; r++) {
    const spans = scanner.row(r);
    if (spans.length === 0) continue;
    if (r < minY) minY = r;
    maxY = r;
    if (spans[0]! < minX) minX = spans[0]!;
    if (spans[spans.length - 1]! > maxX) maxX = spans[spans.length - 1]!;
  }
  if (minY === Infinity) return null;
  const x = Math.floor(minX / tileWidth) * tileWidth;
  const y = Math.floor(minY / tileHeight) * tileHeight;
  const xEnd = Math.min(width, Math.ceil(maxX / tileWidth) * tileWidth);
  const yEnd = Math.min(height, Math.ceil((maxY + 1) / tileHeight) * tileHeight);
  return {
    source: { width, height, tileWidth, tileHeight },
    window: { x, y, width: xEnd - x, height: yEnd - y },
    tilesAcross: Math.ceil((xEnd - x) / tileWidth),
    tilesDown: Math.ceil((yEnd - y) / tileHeight),
    tileOffset: { tx: x / tileWidth, ty: y / tileHeight },
    aoiPixels: { x: minX, y: minY, width: maxX - minX, height: maxY + 1 - minY },
    polygons,
    spanOptions,
  };
}

/** The plan's output tile rows, top to bottom, each classified from its rows' spans. */
export function* planRows(plan: ClipPlan): Generator<PlanRow> {
  const { width, height, tileWidth, tileHeight } = plan.source;
  const scanner = new SpanScanner(plan.polygons, plan.spanOptions);
  const counts = new Float64Array(plan.tilesAcross);
  for (let ty = 0; ty < plan.tilesDown; ty++) {
    const sourceTy = ty + plan.tileOffset.ty;
    const rowStart = sourceTy * tileHeight;
    const rowsInRaster = Math.min(tileHeight, height - rowStart);
    const rows: RowSpans[] = [];
    counts.fill(0);
    for (let i = 0; i < rowsInRaster; i++) {
      const spans = scanner.row(rowStart + i);
      rows.push(spans);
      addCoverage(spans, counts, plan.window.x, tileWidth);
    }
    const tiles: PlanTile[] = [];
    for (let tx = 0; tx < plan.tilesAcross; tx++) {
      const sourceTx = tx + plan.tileOffset.tx;
      const validPixels = rowsInRaster * Math.min(tileWidth, width - sourceTx * tileWidth);
      const insidePixels = counts[tx]!;
      const cls: TileClass = insidePixels === 0 ? 'outside' : insidePixels === validPixels ? 'inside' : 'boundary';
      tiles.push({ tx, sourceTx, cls, insidePixels, validPixels });
    }
    yield {
      ty,
      sourceTy,
      tiles,
      mask(tx: number, into?: Uint8Array): Uint8Array {
        const out = into?.fill(0) ?? new Uint8Array(tileWidth * tileHeight);
        const colStart = (tx + plan.tileOffset.tx) * tileWidth;
        rows.forEach((spans, i) => fillSpans(spans, out, i * tileWidth, colStart, tileWidth));
        return out;
      },
    };
  }
}

/** Add each span's pixels to the count of the output tile column they fall in (columns from `x0`). */
function addCoverage(spans: RowSpans, counts: Float64Array, x0: number, tileWidth: number): void {
  const end = x0 + counts.length * tileWidth;
  for (let s = 0; s < spans.length; s += 2) {
    let a = Math.max(spans[s]!, x0);
    const b = Math.min(spans[s + 1]!, end);
    while (a < b) {
      const t = Math.floor((a - x0) / tileWidth);
      const tileEnd = x0 + (t + 1) * tileWidth;
      const stop = Math.min(b, tileEnd);
      counts[t] += stop - a;
      a = stop;
    }
  }
}

/** Counts of output tiles by class (one pass over the plan's rows). */
export function planSummary(plan: ClipPlan): Record<TileClass, number> {
  const out: Record<TileClass, number> = { inside: 0, boundary: 0, outside: 0 };
  for (const row of planRows(plan)) for (const tile of row.tiles) out[tile.cls]++;
  return out;
}
