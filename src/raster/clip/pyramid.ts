/**
 * Streaming overviews: each level keeps one tile row of pixels (and validity); a finished row of level
 * k−1 is halved into half a tile row of level k, and a level's row is encoded and written as soon as
 * both halves are in. Memory: one tile row per level, whatever the image height (two for the first
 * overview, whose halves the full-resolution tiles write in place: see `halfTarget`).
 */
import { downsample2x } from '../plan/downsample.js';
import type { DataType, PixelArray } from '../raster.types.js';
import { allocPixels } from '../decode/pixel.array.js';
import { copyRows } from './tile.cut.js';

/** Writes one finished tile row of a level: pixels and 0/255 validity, `rowWidth` x tileHeight, pixel-interleaved. */
export type RowSink = (level: number, ty: number, pixels: PixelArray, valid: Uint8Array) => Promise<void>;

interface RowBuffer {
  pixels: PixelArray;
  valid: Uint8Array;
}

interface LevelRow {
  width: number;
  height: number;
  tilesDown: number;
  /** Row buffer width: whole tiles */
  rowWidth: number;
  /** Tile row `ty` is assembled in buffers[ty % buffers.length] */
  buffers: RowBuffer[];
  ty: number;
  halves: number;
}

/** Where the half of a full-resolution tile row goes in the first overview's row buffer: `rowWidth` wide, tileHeight/2 rows. */
export interface HalfTarget {
  pixels: PixelArray;
  valid: Uint8Array;
  rowWidth: number;
}

export class Pyramid {
  private readonly levels: LevelRow[];
  /** Each level's halved row, reused row after row (addHalfRow copies it before anything awaits). */
  private readonly halves: ({ pixels: PixelArray; mask: Uint8Array } | undefined)[] = [];

  constructor(
    sizes: { width: number; height: number }[],
    tileWidth: number,
    private readonly tileHeight: number,
    private readonly bands: number,
    dataType: DataType,
    private readonly method: 'average' | 'nearest',
    private readonly nodata: number | null,
    /**
     * Full-resolution tile rows that may be writing their halves (`halfTarget`) while an older one is given
     * to `halfWritten` (and its first-overview row written out)
     */
    rowsAhead: number,
    private readonly sink: RowSink,
  ) {
    // sizes[0] is level 1 (the first overview). Its rows take a buffer for each first-overview row that
    // full-resolution rows in flight may be writing into: the next row's halves are written while the last
    // one is still being written out.
    const firstRows = Math.ceil(rowsAhead / 2) + 1;
    this.levels = sizes.map((s, i) => {
      const rowWidth = Math.ceil(s.width / tileWidth) * tileWidth;
      const buffer = (): RowBuffer => ({ pixels: allocPixels(dataType, rowWidth * tileHeight * bands), valid: new Uint8Array(rowWidth * tileHeight) });
      return { ...s, tilesDown: Math.ceil(s.height / tileHeight), rowWidth, buffers: Array.from({ length: i === 0 ? firstRows : 1 }, buffer), ty: 0, halves: 0 };
    });
  }

  /**
   * Where full-resolution tile row `ty` writes its half (zeroed, ready): the top or bottom half of first
   * overview row ty/2. Valid from when row ty − rowsAhead − 1 has been given to `halfWritten` until row ty is.
   */
  halfTarget(ty: number): HalfTarget {
    const row = this.levels[0]!;
    const buffer = row.buffers[(ty >> 1) % row.buffers.length]!;
    const yOff = (ty % 2) * (this.tileHeight / 2);
    return { pixels: buffer.pixels.subarray(yOff * row.rowWidth * this.bands), valid: buffer.valid.subarray(yOff * row.rowWidth), rowWidth: row.rowWidth };
  }

  /** Full-resolution tile row `ty` has written its half into `halfTarget(ty)` (rows in order). */
  async halfWritten(ty: number, last: boolean): Promise<void> {
    const target = this.levels[0];
    if (!target) return;
    target.halves++;
    if (ty % 2 === 1 || last) await this.flush(1, target);
  }

  /** Feed tile row `ty` of level `level - 1` (full tile rows, `rowWidth` wide, padded). */
  async addRow(level: number, ty: number, pixels: PixelArray, valid: Uint8Array, rowWidth: number, last: boolean): Promise<void> {
    if (!this.levels[level - 1]) return;
    const into = this.halves[level];
    const half = downsample2x(pixels, rowWidth, this.tileHeight, this.bands, { method: this.method, mask: valid, nodata: this.nodata, ...(into ? { into } : {}) });
    this.halves[level] = { pixels: half.pixels, mask: half.mask! };
    await this.addHalfRow(level, ty, half.pixels, half.mask!, half.width, last);
  }

  /**
   * Feed the already halved tile row `ty` of level `level - 1` (`halfWidth` x tileHeight/2); it becomes
   * the top or bottom half of a tile row of `level`.
   */
  private async addHalfRow(level: number, ty: number, pixels: PixelArray, valid: Uint8Array, halfWidth: number, last: boolean): Promise<void> {
    const target = this.levels[level - 1];
    if (!target) return;
    const { pixels: rowPixels, valid: rowValid } = target.buffers[target.ty % target.buffers.length]!;
    const yOff = (ty % 2) * (this.tileHeight / 2);
    const copyW = Math.min(halfWidth, target.rowWidth);
    const b = this.bands;
    copyRows(rowPixels, yOff * target.rowWidth * b, target.rowWidth * b, pixels, 0, halfWidth * b, copyW * b, this.tileHeight / 2);
    copyRows(rowValid, yOff * target.rowWidth, target.rowWidth, valid, 0, halfWidth, copyW, this.tileHeight / 2);
    target.halves++;
    if (ty % 2 === 1 || last) await this.flush(level, target);
  }

  private async flush(level: number, row: LevelRow): Promise<void> {
    const { pixels, valid } = row.buffers[row.ty % row.buffers.length]!;
    if (row.halves === 1) {
      // Odd number of child rows: the bottom half has no source rows; mark it invalid.
      const startRow = this.tileHeight / 2;
      valid.fill(0, startRow * row.rowWidth);
      pixels.fill(0 as never, startRow * row.rowWidth * this.bands);
    }
    const ty = row.ty;
    // The next row may be filled in the other buffer meanwhile (level 1): this one is counted done first.
    row.ty++;
    row.halves = 0;
    await this.sink(level, ty, pixels, valid);
    await this.addRow(level + 1, ty, pixels, valid, row.rowWidth, ty === row.tilesDown - 1);
    pixels.fill(0 as never);
    valid.fill(0);
  }
}
