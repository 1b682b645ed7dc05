/**
 * A clip's summary (output.summary.ts) gathered from the tiles it writes, instead of read back from the
 * file afterwards: each written tile of the statistics level and of the thumbnail level is decoded from
 * the bytes written (the clip's own encode, or the source's bytes it copied) beside the clip's other
 * tiles, so the statistics are those of the file a reader gets, and a small clip's summary costs no
 * serial read of the whole output at its end. Only the thumbnail's resize and PNG encode are left for
 * `finish`.
 */
import { allocPixels } from '../decode/pixel.array.js';
import type { PixelArray, RasterInfo } from '../raster.types.js';
import { summaryLevel, type OutputSummary } from './output.summary.js';
import { timed, type StageClock } from './stage.clock.js';
import { LevelStatistics, validity } from './summary.stats.js';
import { thumbnailLevel, thumbnailPng } from './summary.thumbnail.js';

/** The output as a reader will find it (output.info.ts): levels, tiles, samples, mask or nodata. */
export type GatherLayout = Pick<RasterInfo, 'levels' | 'bands' | 'dataType' | 'photometric' | 'colorMap' | 'nodata' | 'mask'>;

/** Decodes the bytes of a written tile to its pixels (tileWidth x tileHeight x bands). */
export type WrittenTileDecoder = (level: number, tx: number, ty: number, bytes: Uint8Array) => Promise<PixelArray>;

export class SummaryGather {
  /** The statistics' level and the thumbnail's (the same one for clips up to 512 px) */
  readonly level: number;
  readonly thumbLevel: number;
  private readonly stats: LevelStatistics;
  private thumb: { pixels: PixelArray; valid: Uint8Array } | null = null;

  constructor(
    private readonly out: GatherLayout,
    private readonly decode: WrittenTileDecoder,
    private readonly clock?: StageClock,
  ) {
    this.level = summaryLevel(out);
    this.thumbLevel = Math.max(this.level, thumbnailLevel(out));
    const { width, height } = out.levels[this.level]!;
    this.stats = new LevelStatistics(out.bands, out.dataType === 'uint8', width * height, out.mask ? null : out.nodata);
  }

  /** True for the levels whose written tiles must be given to `add`. */
  wants(level: number): boolean {
    return level === this.level || level === this.thumbLevel;
  }

  /**
   * A tile as written: its bytes and the validity its mask was made from (0 = invalid; null: all valid).
   * Without an internal mask, validity comes from the decoded pixels and the nodata value, as a reader's.
   */
  async add(level: number, tx: number, ty: number, bytes: Uint8Array, valid: Uint8Array | null): Promise<void> {
    if (!this.wants(level)) return;
    await timed(this.clock, 'summary', async () => {
      const lvl = this.out.levels[level]!;
      const { tileWidth: tw, tileHeight: th } = lvl;
      const cols = Math.min(tw, lvl.width - tx * tw);
      const rows = Math.min(th, lvl.height - ty * th);
      const pixels = await this.decode(level, tx, ty, bytes);
      const v = this.out.mask ? (valid ?? new Uint8Array(tw * th).fill(255)) : validity(this.out, pixels, null, tw * th);
      if (level === this.level) this.stats.add(pixels, v, tw, cols, rows, ty * lvl.tilesAcross + tx);
      if (level === this.thumbLevel) this.putThumb(lvl, tx, ty, cols, rows, pixels, v);
    });
  }

  /** The statistics and the thumbnail, once every wanted tile has been added. */
  async finish(): Promise<OutputSummary> {
    return timed(this.clock, 'summary', async () => {
      const { width, height } = this.out.levels[this.level]!;
      const t = this.out.levels[this.thumbLevel]!;
      const thumb = this.thumb ?? this.blankThumb();
      return { statistics: this.stats.result(), level: this.level, width, height, thumbnail: await thumbnailPng(this.out, thumb.pixels, thumb.valid, t.width, t.height) };
    });
  }

  private blankThumb(): { pixels: PixelArray; valid: Uint8Array } {
    const { width, height } = this.out.levels[this.thumbLevel]!;
    return (this.thumb = { pixels: allocPixels(this.out.dataType, width * height * this.out.bands), valid: new Uint8Array(width * height) });
  }

  private putThumb(lvl: { width: number; tileWidth: number; tileHeight: number }, tx: number, ty: number, cols: number, rows: number, pixels: PixelArray, valid: Uint8Array): void {
    const thumb = this.thumb ?? this.blankThumb();
    const bands = this.out.bands;
    for (let r = 0; r < rows; r++) {
      const from = r * lvl.tileWidth;
      const to = (ty * lvl.tileHeight + r) * lvl.width + tx * lvl.tileWidth;
      thumb.pixels.set(pixels.subarray(from * bands, (from + cols) * bands) as never, to * bands);
      thumb.valid.set(valid.subarray(from, from + cols), to);
    }
  }
}
