/**
 * One map tile from one raster: plan where each tile pixel comes from, pick the level that matches
 * the zoom, read only the COG tiles under the plan (through the cache), resample, colour.
 * Everything after the read is synchronous, so the per-pixel arrays are scratch buffers reused by
 * every render (no megabytes of garbage per tile).
 */
import { AppError } from '../errors/app.error.js';
import { sampleBytes } from '../raster/decode/pixel.array.js';
import type { RasterInfo } from '../raster/raster.types.js';
import { chooseLevel, levelScale } from './level.choose.js';
import type { OpenRaster, RasterCache } from './raster.cache.js';
import type { RenderStyle } from './render.style.js';
import { byteMapping, colourise } from './tile.colour.js';
import { tileBounds, type TileAddress } from './tile.grid.js';
import { resample, type ResampleOptions } from './tile.resample.js';
import { resampleRgb, rgbFastPath } from './tile.resample.rgb.js';
import { assembleWindow, fetchWindowTiles } from './tile.window.js';
import { fillSamples, gridAxes, gridRows, planRows, gridRatio, planGrid, type SamplePlan } from './warp.plan.js';
import { mercatorToSourcePixel, type ToSourcePixel } from './warp.transform.js';
import { coordExtent, gridExtent, levelRatio, levelWindow } from './warp.window.js';

/** Largest source window one tile may read, bytes (a tile of a raster without overviews seen from far away). */
const MaxWindowBytes = 64 * 1024 * 1024;

/** A rendered tile: RGBA bytes and how many pixels hold data. */
export interface RenderedTile {
  size: number;
  rgba: Uint8Array;
  validCount: number;
  /** Level read (0 = full resolution) */
  level: number;
  /** True when every pixel is known to be opaque (alpha 255); false when unknown */
  opaque?: boolean;
}

const transforms = new WeakMap<RasterInfo, ToSourcePixel>();

/** The EPSG:3857 → source pixel transform of a raster (cached per header). */
export function toSourceOf(info: RasterInfo): ToSourcePixel {
  let t = transforms.get(info);
  if (!t) {
    const crs = info.geo.crs;
    if (!crs) throw new AppError('unsupported_crs', `${info.path} has no coordinate reference system; it cannot be drawn on a map`);
    t = mercatorToSourcePixel(crs, info.geo.transform);
    transforms.set(info, t);
  }
  return t;
}

/** Scratch coordinate arrays per tile size (filled and consumed synchronously). */
const scratch = new Map<number, { cols: Float64Array; rows: Float64Array; xs: Float64Array; ys: Float64Array }>();

function scratchPlan(size: number): { cols: Float64Array; rows: Float64Array; xs: Float64Array; ys: Float64Array } {
  let s = scratch.get(size);
  if (!s) {
    s = { cols: new Float64Array(size * size), rows: new Float64Array(size * size), xs: new Float64Array(size), ys: new Float64Array(size) };
    scratch.set(size, s);
  }
  return s;
}

/** Spare RGBA buffers per tile size (`releaseTile`), so each tile does not leave a quarter megabyte to the GC. */
const spare = new Map<number, Uint8Array[]>();
/** Spare buffers kept per size. */
const MaxSpare = 64;

/** A zeroed `size² × 4` buffer, reused when one was released. */
function rgbaOf(size: number): Uint8Array {
  const b = spare.get(size)?.pop();
  return b ? b.fill(0) : new Uint8Array(size * size * 4);
}

/** Hand a tile's RGBA buffer back for reuse once nothing reads it any more (after encoding). */
export function releaseTile(t: RenderedTile): void {
  let list = spare.get(t.size);
  if (!list) {
    list = [];
    spare.set(t.size, list);
  }
  if (t.rgba.length === t.size * t.size * 4 && list.length < MaxSpare && !list.includes(t.rgba)) list.push(t.rgba);
}

/**
 * Render tile `addr` at `size` pixels a side. `timing`, when given, receives the ms spent reading (planning,
 * and waiting for the COG tiles under the window to be read and decoded) and drawing (resampling, colouring).
 */
export async function renderTile(cache: RasterCache, raster: OpenRaster, addr: TileAddress, size: number, style: RenderStyle, timing?: { read: number; draw: number }): Promise<RenderedTile> {
  const started = timing ? performance.now() : 0;
  if (timing) timing.read = 0;
  const read = timing ? (): void => { timing.read = performance.now() - started; } : undefined;
  const tile = await drawTile(cache, raster, addr, size, style, read);
  if (timing) timing.draw = performance.now() - started - timing.read;
  return tile;
}

/** `renderTile`'s work; `read` is called once the COG tiles under the window are at hand. */
async function drawTile(cache: RasterCache, raster: OpenRaster, addr: TileAddress, size: number, style: RenderStyle, read?: () => void): Promise<RenderedTile> {
  const { info } = raster;
  const grid = planGrid(tileBounds(addr), size, toSourceOf(info));
  // Near a projection's edge some cells are computed exactly: their extent needs the dense plan.
  let dense: SamplePlan | null = null;
  if (!grid.complete) dense = fillSamples(grid, new Float64Array(size * size), new Float64Array(size * size));
  const extent = dense ? coordExtent(dense.cols, dense.rows, size - 1) : gridExtent(grid);
  const level = chooseLevel(info.levels, gridRatio(grid));
  const empty = (): RenderedTile => ({ size, rgba: rgbaOf(size), validCount: 0, level });
  if (!extent) return empty();
  const lvl = info.levels[level]!;
  const [sx, sy] = levelScale(info.levels, level);
  const ratio = levelRatio(extent, sx, sy);
  const pad = style.resampling === 'nearest' ? 0 : Math.ceil(Math.min(4, Math.max(1, ratio[0], ratio[1])));
  const win = levelWindow(extent, sx, sy, lvl.width, lvl.height, pad);
  if (!win) return empty();
  if (win.width * win.height * info.bands * sampleBytes(info.dataType) > MaxWindowBytes) {
    throw new AppError('raster_too_large', `Tile ${addr.z}/${addr.x}/${addr.y} needs ${win.width}x${win.height} source pixels of level ${level}; zoom in`);
  }
  const parts = await fetchWindowTiles(cache, raster, level, win);
  read?.();
  // From here on: synchronous, so the scratch arrays (window included) cannot be shared by two renders at once.
  const opts: ResampleOptions = { bands: style.bands, method: style.resampling, levelScale: [sx, sy], ratio };
  const fast = !style.palette && rgbFastPath(opts);
  // The 8-bit RGB fast path reads the window in place (the other paths first copy its drawn bands).
  const inPlace = fast && info.dataType === 'uint8' && info.bands === 3 && style.bands.every((b, i) => b === i);
  const pixels = assembleWindow(info, parts, { bands: style.bands, nodata: style.nodata, alphaBand: style.alphaBand }, { shared: true, wholeTile: inPlace });
  if (fast) {
    const rgba = rgbaOf(size);
    const s = scratchPlan(size);
    const axes = dense ? null : gridAxes(grid, s.xs, s.ys);
    const validCount = resampleRgb(pixels, size, dense ? planRows(dense) : gridRows(grid), opts, byteMapping(style), rgba, axes);
    // The fast path sets alpha 255 exactly on the valid pixels.
    return { size, rgba, validCount, level, opaque: validCount === size * size };
  }
  const s = scratchPlan(size);
  const plan = dense ?? fillSamples(grid, s.cols, s.rows);
  const r = resample(pixels, plan, opts);
  if (r.validCount === 0) return empty();
  return { size, rgba: colourise(r, style, size * size), validCount: r.validCount, level };
}
