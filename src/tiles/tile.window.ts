/**
 * The source pixels a map tile needs: the level window of its sample plan, assembled from cached decoded
 * COG tiles (only the tiles the window touches are read), with per-pixel validity from the internal mask,
 * the nodata value and the alpha band.
 */
import { allocPixels } from '../raster/decode/pixel.array.js';
import type { PixelArray, RasterInfo } from '../raster/raster.types.js';
import type { OpenRaster, RasterCache } from './raster.cache.js';
import type { PixelWindow } from './tile.resample.js';
import type { SourceWindow } from './warp.plan.js';

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

/** Read a window of `level` through the cache, with validity. */
export async function readPixelWindow(cache: RasterCache, r: OpenRaster, level: number, win: SourceWindow, rule: ValidityRule): Promise<PixelWindow> {
  const { info } = r;
  const lvl = info.levels[level]!;
  const bands = info.bands;
  const data = allocPixels(info.dataType, win.width * win.height * bands);
  const hasMask = info.mask?.levels[level] !== undefined;
  const float = info.dataType === 'float32' || info.dataType === 'float64';
  const valid = hasMask || rule.nodata !== null || rule.alphaBand !== null || (float && rule.bands.length > 0) ? new Uint8Array(win.width * win.height).fill(1) : null;
  const tiles = tilesOfWindow(info, level, win);
  await Promise.all(tiles.map(async ([tx, ty]) => {
    const [tile, mask] = await Promise.all([cache.tile(r, level, tx, ty), hasMask ? cache.maskTile(r, level, tx, ty) : Promise.resolve(null)]);
    copyTile(tile, mask, data, valid, lvl.tileWidth, lvl.tileHeight, tx, ty, win, bands);
  }));
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
