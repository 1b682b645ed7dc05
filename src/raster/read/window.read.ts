/**
 * A pixel window of one level, assembled from the tiles it touches (read and decoded a few at a
 * time), pixel-interleaved in the file's data type. The mask window is 0/255 per pixel.
 */
import { decodeMaskTile, decodeTile } from '../decode/tile.decode.js';
import { allocPixels } from '../decode/pixel.array.js';
import type { PixelArray, RasterInfo, RasterLevel } from '../raster.types.js';
import { readMaskTileBytes, readTileBytes } from './tile.reader.js';
import type { Source } from './source.js';

/** Tiles decoded at the same time by one window read. */
const CONCURRENCY = 4;

interface Window {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Read `w` x `h` pixels at (`x`, `y`) of `level` (all bands, pixel-interleaved). */
export async function readWindow(source: Source, info: RasterInfo, level: number, x: number, y: number, w: number, h: number): Promise<PixelArray> {
  const lvl = info.levels[level];
  const win = checkWindow(info, lvl, level, { x, y, w, h });
  const out = allocPixels(info.dataType, w * h * info.bands);
  await forEachTile(lvl, win, async (tx, ty) => {
    const tile = await decodeTile(info, level, { tx, ty }, await readTileBytes(source, info, level, tx, ty));
    copyTile(tile, out, lvl, win, tx, ty, info.bands);
  });
  return out;
}

/** Read the internal mask over a window of `level` (0 invalid, 255 valid), or null when that level has no internal mask. */
export async function readMaskWindow(source: Source, info: RasterInfo, level: number, x: number, y: number, w: number, h: number): Promise<Uint8Array | null> {
  const lvl = info.mask?.levels[level];
  if (!lvl) return null;
  const win = checkWindow(info, lvl, level, { x, y, w, h });
  const out = new Uint8Array(w * h);
  await forEachTile(lvl, win, async (tx, ty) => {
    const tile = await decodeMaskTile(info, level, tx, ty, await readMaskTileBytes(source, info, level, tx, ty));
    copyTile(tile, out, lvl, win, tx, ty, 1);
  });
  return out;
}

function checkWindow(info: RasterInfo, lvl: RasterLevel | undefined, level: number, win: Window): Window {
  if (!lvl) throw new RangeError(`${info.path}: no level ${level}`);
  const { x, y, w, h } = win;
  if (![x, y, w, h].every(Number.isInteger) || x < 0 || y < 0 || w < 1 || h < 1 || x + w > lvl.width || y + h > lvl.height) {
    throw new RangeError(`${info.path}: window ${x},${y} ${w}x${h} is outside level ${level} (${lvl.width}x${lvl.height})`);
  }
  return win;
}

async function forEachTile(lvl: RasterLevel, win: Window, fn: (tx: number, ty: number) => Promise<void>): Promise<void> {
  const tiles: [number, number][] = [];
  for (let ty = Math.floor(win.y / lvl.tileHeight); ty <= Math.floor((win.y + win.h - 1) / lvl.tileHeight); ty++) {
    for (let tx = Math.floor(win.x / lvl.tileWidth); tx <= Math.floor((win.x + win.w - 1) / lvl.tileWidth); tx++) tiles.push([tx, ty]);
  }
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tiles.length) {
      const [tx, ty] = tiles[next++];
      await fn(tx, ty);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, tiles.length) }, worker));
}

/** Copy the part of tile (tx, ty) inside the window into the window's buffer. */
function copyTile(tile: PixelArray, out: PixelArray, lvl: RasterLevel, win: Window, tx: number, ty: number, bands: number): void {
  const x0 = Math.max(win.x, tx * lvl.tileWidth);
  const x1 = Math.min(win.x + win.w, (tx + 1) * lvl.tileWidth);
  const y0 = Math.max(win.y, ty * lvl.tileHeight);
  const y1 = Math.min(win.y + win.h, (ty + 1) * lvl.tileHeight);
  const len = (x1 - x0) * bands;
  for (let row = y0; row < y1; row++) {
    const src = ((row - ty * lvl.tileHeight) * lvl.tileWidth + (x0 - tx * lvl.tileWidth)) * bands;
    const dst = ((row - win.y) * win.w + (x0 - win.x)) * bands;
    (out as Uint8Array).set((tile as Uint8Array).subarray(src, src + len), dst);
  }
}
