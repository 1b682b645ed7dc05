/**
 * The first overview of full-resolution tiles deep inside the AOI, taken from the source's own first
 * overview instead of being rebuilt: one decode of a source overview tile serves the halves of four
 * full-resolution tiles, which are then copied as bytes and never decoded.
 *
 * Which pixels: output first-overview pixel (x, y) under such a tile is the source's first-overview
 * pixel (window.x / 2 + x, window.y / 2 + y). A tile qualifies when it is wholly inside the AOI and so is
 * every pixel within `DeepMargin` (16) pixels of it, so whatever kernel the source's overview was made with
 * (GDAL's reach at most 6 full-resolution pixels at this level: Lanczos) read only pixels inside the AOI;
 * a tile on the output window's edge never qualifies (past the window lies outside the AOI). Used only when the source's
 * first overview is exactly half its size (every overview pixel a 2x2 block) and every source pixel is
 * valid (no mask, alpha or nodata), and not for palettes (whose overview method the file does not tell).
 */
import { decodeTile } from '../decode/tile.decode.js';
import { allocPixels } from '../decode/pixel.array.js';
import type { PixelPool } from '../decode/pixel.pool.js';
import type { TileClass } from '../plan/clip.plan.js';
import { readTileBytes } from '../read/tile.reader.js';
import type { Source } from '../read/source.js';
import type { PixelArray, RasterInfo } from '../raster.types.js';
import { alphaBand, usableNodata, type OutputFormat } from './output.format.js';
import { allValidHalf, type HalfInto, type HalfTile } from './tile.half.js';
import { timed, type StageClock } from './stage.clock.js';

/** Whether a clip of `info` in `fmt` may take first-overview halves from the source (see the file comment). */
export function sourceHalvesUsable(info: RasterInfo, fmt: OutputFormat): boolean {
  const [l0, l1] = info.levels;
  if (!l0 || !l1 || !l1.tiled || !fmt.passthrough) return false;
  if (l0.width !== 2 * l1.width || l0.height !== 2 * l1.height) return false;
  return !info.mask && alphaBand(info) < 0 && usableNodata(info) === null && info.photometric !== 3;
}

/** Pixels around a tile that must be inside the AOI for its half to come from the source, full-resolution pixels. */
export const DeepMargin = 16;

/** Bit of the neighbour at (dx, dy) (each -1, 0 or 1, not both 0) in `RowEdges.bands`. */
const bitOf = (dx: number, dy: number): number => 1 << ((dy + 1) * 3 + (dx + 1));

/**
 * For a boundary tile's AOI mask (tw x th, 0/255): one bit per side and corner band `DeepMargin` wide that
 * is wholly inside, named by where the tile sits relative to the tile that needs the band (the tile below
 * needs this one's bottom band: bit of (0, -1)).
 */
export function edgeBands(mask: Uint8Array, tw: number, th: number): number {
  const m = DeepMargin;
  let bits = 0;
  for (let dy = -1; dy <= 1; dy++) {
    for (let dx = -1; dx <= 1; dx++) {
      if (dx === 0 && dy === 0) continue;
      const [r0, r1] = dy < 0 ? [th - m, th] : dy > 0 ? [0, m] : [0, th];
      const [c0, c1] = dx < 0 ? [tw - m, tw] : dx > 0 ? [0, m] : [0, tw];
      let whole = true;
      for (let r = r0; r < r1 && whole; r++) for (let c = c0; c < c1; c++) if (mask[r * tw + c] !== 255) { whole = false; break; }
      if (whole) bits |= bitOf(dx, dy);
    }
  }
  return bits;
}

/** A tile row's classes and, for its boundary tiles, their wholly inside bands (`edgeBands`). */
export interface RowEdges {
  tiles: readonly { cls: TileClass }[];
  bands: Uint8Array | Uint16Array;
}

/**
 * Whether full-resolution tile `tx` of a row qualifies: inside, and each of its eight neighbours inside or a
 * boundary tile whose band next to it is inside (the rows above and below as given, null past the window).
 */
export function deepInside(above: RowEdges | null, row: RowEdges, below: RowEdges | null, tx: number): boolean {
  if (row.tiles[tx]?.cls !== 'inside') return false;
  const rows = [above, row, below];
  for (let dy = -1; dy <= 1; dy++) {
    const r = rows[dy + 1];
    for (let dx = -1; dx <= 1; dx++) {
      if (dx === 0 && dy === 0) continue;
      const cls = r?.tiles[tx + dx]?.cls;
      if (cls === 'inside') continue;
      if (cls !== 'boundary' || (r!.bands[tx + dx]! & bitOf(dx, dy)) === 0) return false;
    }
  }
  return true;
}

/** A decoded source overview tile, shared by the halves under it. */
interface Decoded {
  pixels: Promise<PixelArray>;
  /** Halves still to ask for it */
  left: number;
  /** Halves copying from it now */
  users: number;
  /** Out of the map: no half asks for it again */
  dropped: boolean;
}

/**
 * Halves cut from decoded source first-overview tiles; each decode is kept until its last half is taken.
 * With a pool, the decodes go into its buffers and back to it once no half reads them.
 */
export class SourceHalves {
  private readonly decoded = new Map<string, Decoded>();

  constructor(
    private readonly source: Source,
    private readonly info: RasterInfo,
    /** Full-resolution tile size */
    private readonly tw: number,
    private readonly th: number,
    private readonly clock: StageClock | undefined,
    /** Buffers of a whole tile (the overview's tile size) to decode into */
    private readonly pool?: PixelPool,
  ) {}

  /**
   * The half of full-resolution source tile (sx, sy): (tw/2) x (th/2) pixels of the source's first overview,
   * all valid; into `into` when given.
   */
  async half(sx: number, sy: number, into?: HalfInto): Promise<HalfTile> {
    const l1 = this.info.levels[1]!;
    const bands = this.info.bands;
    const hw = this.tw / 2;
    const hh = this.th / 2;
    const x0 = sx * hw;
    const y0 = sy * hh;
    const out = into?.pixels.length === hw * hh * bands ? into.pixels.fill(0 as never) : allocPixels(this.info.dataType, hw * hh * bands);
    // The overview tiles under the half (one when the tile sizes match, as in COGs).
    for (let ty = Math.floor(y0 / l1.tileHeight); ty * l1.tileHeight < y0 + hh; ty++) {
      for (let tx = Math.floor(x0 / l1.tileWidth); tx * l1.tileWidth < x0 + hw; tx++) {
        const entry = this.tile(tx, ty);
        try {
          const pixels = await entry.pixels;
          const cx0 = Math.max(x0, tx * l1.tileWidth);
          const cx1 = Math.min(x0 + hw, (tx + 1) * l1.tileWidth);
          const cy0 = Math.max(y0, ty * l1.tileHeight);
          const cy1 = Math.min(y0 + hh, (ty + 1) * l1.tileHeight);
          for (let y = cy0; y < cy1; y++) {
            const from = ((y - ty * l1.tileHeight) * l1.tileWidth + (cx0 - tx * l1.tileWidth)) * bands;
            out.set(pixels.subarray(from, from + (cx1 - cx0) * bands) as never, ((y - y0) * hw + (cx0 - x0)) * bands);
          }
        } finally {
          entry.users--;
          this.release(entry);
        }
      }
    }
    return { pixels: out, valid: allValidHalf(hw * hh, into) };
  }

  /**
   * Decoded overview tile (tx, ty), shared by the halves under it and dropped after the last; counted as in
   * use (the caller ends that with `users--` and `release`) before it may be dropped.
   */
  private tile(tx: number, ty: number): Decoded {
    const l1 = this.info.levels[1]!;
    const key = `${tx},${ty}`;
    let entry = this.decoded.get(key);
    if (!entry) {
      // Halves under this tile: each full-resolution tile's half lies in the tiles it overlaps.
      const hw = this.tw / 2;
      const hh = this.th / 2;
      const cols = Math.ceil(Math.min((tx + 1) * l1.tileWidth, l1.width) / hw) - Math.floor((tx * l1.tileWidth) / hw);
      const rows = Math.ceil(Math.min((ty + 1) * l1.tileHeight, l1.height) / hh) - Math.floor((ty * l1.tileHeight) / hh);
      const into = this.pool?.take();
      entry = {
        pixels: timed(this.clock, 'overviews', async () => decodeTile(this.info, 1, { tx, ty }, await readTileBytes(this.source, this.info, 1, tx, ty), into)),
        left: cols * rows,
        users: 0,
        dropped: false,
      };
      this.decoded.set(key, entry);
    }
    entry.users++;
    // Forget the decode once every half under it was asked for (or its rows are done: `rowDone`).
    if (--entry.left <= 0) this.drop(key, entry);
    return entry;
  }

  private drop(key: string, entry: Decoded): void {
    this.decoded.delete(key);
    entry.dropped = true;
    this.release(entry);
  }

  /** A dropped decode no half reads any more goes back to the pool (a failed one is left alone). */
  private release(entry: Decoded): void {
    if (!this.pool || !entry.dropped || entry.users > 0) return;
    const pool = this.pool;
    entry.pixels.then((pixels) => pool.give(pixels), () => undefined);
  }

  /** Full-resolution source tile row `sy` and those above it are done: drop the decodes no later half needs. */
  rowDone(sy: number): void {
    const l1 = this.info.levels[1]!;
    const doneTo = (sy + 1) * (this.th / 2);
    for (const [key, entry] of this.decoded) {
      const ty = Number(key.split(',')[1]);
      if ((ty + 1) * l1.tileHeight <= doneTo) this.drop(key, entry);
    }
  }
}
