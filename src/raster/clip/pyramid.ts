/**
 * Streaming overviews: each level keeps one tile row of pixels (and validity); a finished row of level
 * k−1 is halved into half a tile row of level k, and a level's row is encoded and written as soon as
 * both halves are in. Memory: one tile row per level, whatever the image height.
 */
import { downsample2x } from '../plan/downsample.js';
import type { DataType, PixelArray } from '../raster.types.js';
import { allocPixels } from '../decode/pixel.array.js';

/** Writes one finished tile row of a level: pixels and 0/255 validity, `rowWidth` x tileHeight, pixel-interleaved. */
export type RowSink = (level: number, ty: number, pixels: PixelArray, valid: Uint8Array) => Promise<void>;

interface LevelRow {
  width: number;
  height: number;
  tilesDown: number;
  /** Row buffer width: whole tiles */
  rowWidth: number;
  pixels: PixelArray;
  valid: Uint8Array;
  ty: number;
  halves: number;
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
    private readonly sink: RowSink,
  ) {
    // sizes[0] is level 1 (the first overview).
    this.levels = sizes.map((s) => {
      const rowWidth = Math.ceil(s.width / tileWidth) * tileWidth;
      return { ...s, tilesDown: Math.ceil(s.height / tileHeight), rowWidth, pixels: allocPixels(dataType, rowWidth * tileHeight * bands), valid: new Uint8Array(rowWidth * tileHeight), ty: 0, halves: 0 };
    });
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
   * Feed the already halved tile row `ty` of level `level - 1` (`halfWidth` x tileHeight/2), e.g. made
   * tile by tile; it becomes the top or bottom half of a tile row of `level`.
   */
  async addHalfRow(level: number, ty: number, pixels: PixelArray, valid: Uint8Array, halfWidth: number, last: boolean): Promise<void> {
    const target = this.levels[level - 1];
    if (!target) return;
    const yOff = (ty % 2) * (this.tileHeight / 2);
    const copyW = Math.min(halfWidth, target.rowWidth);
    for (let r = 0; r < this.tileHeight / 2; r++) {
      const src = r * halfWidth;
      const dst = (yOff + r) * target.rowWidth;
      target.pixels.set(pixels.subarray(src * this.bands, (src + copyW) * this.bands) as never, dst * this.bands);
      target.valid.set(valid.subarray(src, src + copyW), dst);
    }
    target.halves++;
    if (ty % 2 === 1 || last) await this.flush(level, target);
  }

  private async flush(level: number, row: LevelRow): Promise<void> {
    if (row.halves === 1) {
      // Odd number of child rows: the bottom half has no source rows; mark it invalid.
      const startRow = this.tileHeight / 2;
      row.valid.fill(0, startRow * row.rowWidth);
      row.pixels.fill(0 as never, startRow * row.rowWidth * this.bands);
    }
    await this.sink(level, row.ty, row.pixels, row.valid);
    const last = row.ty === row.tilesDown - 1;
    await this.addRow(level + 1, row.ty, row.pixels, row.valid, row.rowWidth, last);
    row.ty++;
    row.halves = 0;
    row.pixels.fill(0 as never);
    row.valid.fill(0);
  }
}
