/** Read one output tile's pixels and validity (AOI ∧ source mask ∧ raster extent), and its passthrough bytes. */
import { allocPixels } from '../decode/pixel.array.js';
import type { PixelPool } from '../decode/pixel.pool.js';
import { decodeMaskTile, decodeTile } from '../decode/tile.decode.js';
import type { PlanTile } from '../plan/clip.plan.js';
import type { Source } from '../read/source.js';
import { readMaskTileBytes, readTileBytes } from '../read/tile.reader.js';
import { readMaskWindow, readWindow } from '../read/window.read.js';
import type { PixelArray, RasterInfo } from '../raster.types.js';
import { alphaBand, type OutputFormat } from './output.format.js';
import { timed, timedSync, type StageClock } from './stage.clock.js';
import { clipToExtent } from './tile.cut.js';

export interface OutputTile {
  /** tileWidth x tileHeight x bands, pixel-interleaved */
  pixels: PixelArray;
  /** 0/255 per pixel */
  valid: Uint8Array;
  /** The source's compressed bytes, when the tile is inside and can be copied as is */
  passBytes?: Uint8Array;
}

function and(a: Uint8Array, b: Uint8Array): void {
  for (let i = 0; i < a.length; i++) if (b[i] === 0) a[i] = 0;
}

/** Pixels whose alpha is 0 are invalid, as GDAL's mask band of an alpha image says. */
function andAlpha(valid: Uint8Array, pixels: PixelArray, bands: number, alpha: number): void {
  if (alpha < 0) return;
  for (let i = 0; i < valid.length; i++) if (pixels[i * bands + alpha] === 0) valid[i] = 0;
}

/**
 * The tile's pixels come from `pools.pixels` and, without an AOI mask, its validity from `pools.valid`
 * when given (the caller gives both back when done with them).
 */
export async function readOutputTile(source: Source, info: RasterInfo, fmt: OutputFormat, sourceTy: number, tile: PlanTile, aoiMask: Uint8Array | null, clock?: StageClock, pools?: { pixels: PixelPool; valid: PixelPool }): Promise<OutputTile> {
  const pool = pools?.pixels;
  const { tileWidth: tw, tileHeight: th } = fmt;
  const l0 = info.levels[0]!;
  const x = tile.sourceTx * tw;
  const y = sourceTy * th;
  const cols = Math.min(tw, l0.width - x);
  const rows = Math.min(th, l0.height - y);
  const valid = aoiMask ?? ((pools?.valid.take() as Uint8Array | undefined) ?? new Uint8Array(tw * th)).fill(255);
  clipToExtent(valid, tw, th, cols, rows);
  if (fmt.passthrough) {
    const planes = await timed(clock, 'read', () => readTileBytes(source, info, 0, tile.sourceTx, sourceTy));
    const into = pool?.take();
    const pixels = await timed(clock, 'decode', () => decodeTile(info, 0, { tx: tile.sourceTx, ty: sourceTy }, planes, into));
    if (into && pixels.buffer !== into.buffer) pool!.give(into);
    if (info.mask) {
      const bytes = await timed(clock, 'read', () => readMaskTileBytes(source, info, 0, tile.sourceTx, sourceTy));
      const m = await timed(clock, 'decode', () => decodeMaskTile(info, 0, tile.sourceTx, sourceTy, bytes));
      timedSync(clock, 'mask', () => and(valid, m));
    }
    timedSync(clock, 'mask', () => andAlpha(valid, pixels, info.bands, alphaBand(info)));
    const only = planes.length === 1 ? planes[0] : null;
    return { pixels, valid, ...(tile.cls === 'inside' && only ? { passBytes: only } : {}) };
  }
  const window = await timed(clock, 'decode', () => readWindow(source, info, 0, x, y, cols, rows));
  // Every sample is written below: a pooled buffer's old contents do not show.
  const pixels = pool?.take() ?? allocPixels(info.dataType, tw * th * info.bands);
  if (cols === tw && rows === th) pixels.set(window as never);
  else {
    // Pad a partial edge window into a whole tile, row by row.
    const padded = allocPixels(info.dataType, cols * th * info.bands);
    padded.set(window as never);
    const tmp = allocPixels(info.dataType, tw * th * info.bands);
    for (let r = 0; r < rows; r++) tmp.set(padded.subarray(r * cols * info.bands, (r + 1) * cols * info.bands) as never, r * tw * info.bands);
    pixels.set(tmp as never);
  }
  andAlpha(valid, pixels, info.bands, alphaBand(info));
  if (info.mask) {
    const m = await readMaskWindow(source, info, 0, x, y, cols, rows);
    if (!m) return { pixels, valid };
    const full = new Uint8Array(tw * th);
    for (let r = 0; r < rows; r++) full.set(m.subarray(r * cols, (r + 1) * cols), r * tw);
    and(valid, full);
  }
  return { pixels, valid };
}
