/**
 * The source pixels a map tile needs: the level window of its sample plan, assembled from cached decoded
 * COG tiles (only the tiles the window touches are read), with per-pixel validity from the internal mask,
 * the nodata value and the alpha band.
 */
import { allocPixels, viewPixels } from '../raster/decode/pixel.array.js';
import type { DataType, PixelArray, RasterInfo } from '../raster/raster.types.js';
import type { OpenRaster, RasterCache } from './raster.cache.js';
import type { PixelWindow } from './tile.resample.js';
import type { SourceWindow } from './warp.window.js';

/** What decides validity besides the mask. */
export interface ValidityRule {
  /** Bands whose values are compared with nodata (a pixel is nodata when all of them are) and checked for NaN */
  bands: readonly number[];
  nodata: number | null;
  alphaBand: number | null;
}

/** Tiles of `level` a window touches, as `[tx, ty]`. */
export function tilesOfWindow(info: RasterInfo, level: number, win: SourceWindow): [number, number][] {
  const lvl = info.levels[level]!;
  const out: [number, number][] = [];
  const ty0 = Math.floor(win.y0 / lvl.tileHeight);
  const ty1 = Math.floor((win.y0 + win.height - 1) / lvl.tileHeight);
  const tx0 = Math.floor(win.x0 / lvl.tileWidth);
  const tx1 = Math.floor((win.x0 + win.width - 1) / lvl.tileWidth);
  for (let ty = ty0; ty <= ty1; ty++) for (let tx = tx0; tx <= tx1; tx++) out.push([tx, ty]);
  return out;
}

/** The decoded COG tiles under a window (image and mask), in `tilesOfWindow` order. */
export interface WindowTiles {
  level: number;
  win: SourceWindow;
  tiles: [number, number][];
  images: PixelArray[];
  masks: (Uint8Array | null)[];
}

/** Fetch (through the cache) the tiles a window of `level` needs. */
export async function fetchWindowTiles(cache: RasterCache, r: OpenRaster, level: number, win: SourceWindow): Promise<WindowTiles> {
  const hasMask = r.info.mask?.levels[level] !== undefined;
  const tiles = tilesOfWindow(r.info, level, win);
  const [images, masks] = await Promise.all([
    Promise.all(tiles.map(([tx, ty]) => cache.tile(r, level, tx, ty))),
    hasMask ? Promise.all(tiles.map(([tx, ty]) => cache.maskTile(r, level, tx, ty))) : tiles.map(() => null),
  ]);
  return { level, win, tiles, images, masks };
}

/** Read a window of `level` through the cache, with validity, into arrays of its own. */
export async function readPixelWindow(cache: RasterCache, r: OpenRaster, level: number, win: SourceWindow, rule: ValidityRule): Promise<PixelWindow> {
  return assembleWindow(r.info, await fetchWindowTiles(cache, r, level, win), rule, {});
}

/** Mask tiles known to be all set (255), so a window on one of them needs no validity array. */
const fullMasks = new WeakMap<Uint8Array, boolean>();

function maskFull(mask: Uint8Array): boolean {
  let full = fullMasks.get(mask);
  if (full === undefined) {
    full = !mask.includes(0);
    fullMasks.set(mask, full);
  }
  return full;
}

/** Grow-only buffers of shared windows, per data type (every use is synchronous). */
const scratch = { data: new Map<DataType, PixelArray>(), valid: new Uint8Array(0) };

function scratchPixels(type: DataType, length: number): PixelArray {
  let a = scratch.data.get(type);
  if (!a || a.length < length) {
    a = allocPixels(type, Math.max(length, 2 * (a?.length ?? 0)));
    scratch.data.set(type, a);
  }
  return a.subarray(0, length);
}

function scratchValid(length: number): Uint8Array {
  if (scratch.valid.length < length) scratch.valid = new Uint8Array(Math.max(length, 2 * scratch.valid.length));
  return scratch.valid.subarray(0, length).fill(1);
}

/** How the caller uses an assembled window. */
export interface AssembleOptions {
  /** The caller reads the window synchronously and lets go of it (a tile render): scratch buffers may hold it */
  shared?: boolean;
  /** The caller reads the window in place, whatever its size: a window inside one whole decoded tile may be that tile */
  wholeTile?: boolean;
}

/**
 * The window's pixels with validity. A `shared` window is held in scratch buffers reused by the next call;
 * with `wholeTile`, a window inside one tile that has no masked pixel (the common case when zoomed in)
 * is the decoded tile itself, with no copy. A window grown to its whole tile only gives the kernels more
 * real pixels near its edge.
 */
export function assembleWindow(info: RasterInfo, t: WindowTiles, rule: ValidityRule, opts: AssembleOptions): PixelWindow {
  const shared = opts.shared === true;
  const { level, win, tiles, images, masks } = t;
  const lvl = info.levels[level]!;
  const bands = info.bands;
  const float = info.dataType === 'float32' || info.dataType === 'float64';
  const byValue = rule.nodata !== null || rule.alphaBand !== null || (float && rule.bands.length > 0);
  if (shared && opts.wholeTile === true && tiles.length === 1 && !byValue) {
    const [tx, ty] = tiles[0]!;
    const mask = masks[0]!;
    const { tileWidth: tw, tileHeight: th } = lvl;
    if ((tx + 1) * tw <= lvl.width && (ty + 1) * th <= lvl.height && (mask === null || maskFull(mask))) {
      // A plain typed array view (a decoder may hand back a Buffer): the resampler's loops stay monomorphic.
      const d = images[0]!;
      return { data: viewPixels(info.dataType, d.buffer, d.byteOffset, d.length), width: tw, height: th, bands, x0: tx * tw, y0: ty * th, valid: null };
    }
  }
  const n = win.width * win.height;
  const data = shared ? scratchPixels(info.dataType, n * bands) : allocPixels(info.dataType, n * bands);
  const hasMask = masks.some((m) => m !== null);
  const valid = hasMask || byValue ? (shared ? scratchValid(n) : new Uint8Array(n).fill(1)) : null;
  for (let k = 0; k < tiles.length; k++) {
    const [tx, ty] = tiles[k]!;
    copyTile(images[k]!, masks[k]!, data, valid, lvl.tileWidth, lvl.tileHeight, tx, ty, win, bands);
  }
  // Values are compared as stored: float32 data holds the nodata value rounded to float32.
  if (valid) applyValues(data, valid, bands, info.dataType === 'float32' && rule.nodata !== null ? { ...rule, nodata: Math.fround(rule.nodata) } : rule, float);
  // An all-valid window skips every validity test downstream.
  return { data, width: win.width, height: win.height, bands, x0: win.x0, y0: win.y0, valid: valid && valid.includes(0) ? valid : null };
}

function copyTile(tile: PixelArray, mask: Uint8Array | null, out: PixelArray, valid: Uint8Array | null, tw: number, th: number, tx: number, ty: number, win: SourceWindow, bands: number): void {
  const x0 = Math.max(win.x0, tx * tw);
  const x1 = Math.min(win.x0 + win.width, (tx + 1) * tw);
  const y0 = Math.max(win.y0, ty * th);
  const y1 = Math.min(win.y0 + win.height, (ty + 1) * th);
  const len = x1 - x0;
  for (let row = y0; row < y1; row++) {
    const srcPx = (row - ty * th) * tw + (x0 - tx * tw);
    const dstPx = (row - win.y0) * win.width + (x0 - win.x0);
    (out as Uint8Array).set((tile as Uint8Array).subarray(srcPx * bands, (srcPx + len) * bands), dstPx * bands);
    if (mask && valid) {
      for (let i = 0; i < len; i++) if (mask[srcPx + i] === 0) valid[dstPx + i] = 0;
    }
  }
}

/**
 * Clear validity where the alpha band is 0, where every compared band holds nodata (NaN nodata matches
 * NaN), and for float data where a compared band is NaN (never a drawable value).
 */
function applyValues(data: PixelArray, valid: Uint8Array, bands: number, rule: ValidityRule, float: boolean): void {
  const { nodata, alphaBand } = rule;
  const nanNodata = nodata !== null && Number.isNaN(nodata);
  const cmp = rule.bands;
  const n = valid.length;
  for (let i = 0; i < n; i++) {
    if (valid[i] === 0) continue;
    const p = i * bands;
    if (alphaBand !== null && data[p + alphaBand] === 0) {
      valid[i] = 0;
      continue;
    }
    if (float) {
      let nan = false;
      for (let k = 0; k < cmp.length; k++) if (Number.isNaN(data[p + cmp[k]!]!)) nan = true;
      if (nan) {
        valid[i] = 0;
        continue;
      }
    }
    if (nodata === null) continue;
    let all = true;
    for (let k = 0; k < cmp.length; k++) {
      const v = data[p + cmp[k]!]!;
      if (nanNodata ? v === v : v !== nodata) {
        all = false;
        break;
      }
    }
    if (all) valid[i] = 0;
  }
}
