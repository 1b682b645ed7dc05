/**
 * First-overview tiles copied from the source. An output first-overview tile whose four full-resolution
 * tiles all took their halves from the source's first overview (source.half.ts) holds the pixels of source
 * first-overview pixels only. When the output's tile grid falls on the source's at that level (the window
 * starts an even number of tiles from the source's origin on both axes, and the source's first overview is
 * tiled at the output's tile size), those pixels are exactly one source first-overview tile: its compressed
 * bytes are written unchanged. No encode, and no second generation of a lossy codec: the output's first
 * overview there is the source's, byte for byte.
 */
import { spliceJpegTables } from '../decode/codec.jpeg.js';
import type { ClipPlan } from '../plan/clip.plan.js';
import { Compression, type RasterInfo } from '../raster.types.js';

export class FirstOverviewCopies {
  /** Per output first-overview tile: how many of its four full-resolution tiles took source halves */
  private readonly deep: Uint8Array;
  private readonly across: number;

  private constructor(private readonly info: RasterInfo, private readonly plan: ClipPlan) {
    this.across = Math.ceil(plan.tilesAcross / 2);
    this.deep = new Uint8Array(this.across * Math.ceil(plan.tilesDown / 2));
  }

  /**
   * The copier of a clip whose full-resolution tiles may take source halves (`sourceHalvesUsable`), or null
   * when the output's first-overview tiles cannot be source tiles (the grids do not meet, or the source's
   * first overview is tiled at another size).
   */
  static for(info: RasterInfo, plan: ClipPlan, tileWidth: number, tileHeight: number): FirstOverviewCopies | null {
    const l1 = info.levels[1];
    if (!l1?.tiled || l1.tileWidth !== tileWidth || l1.tileHeight !== tileHeight) return null;
    if (plan.tileOffset.tx % 2 !== 0 || plan.tileOffset.ty % 2 !== 0) return null;
    return new FirstOverviewCopies(info, plan);
  }

  /** Full-resolution output tile (tx, ty) took its half from the source. */
  tookHalf(tx: number, ty: number): void {
    this.deep[(ty >> 1) * this.across + (tx >> 1)]++;
  }

  /**
   * The source first-overview tile that output first-overview tile (tx, ty) is, when all four of its tiles
   * took halves and the source stores that tile (a sparse one is encoded from its decoded pixels instead).
   */
  sourceTile(tx: number, ty: number): { tx: number; ty: number } | null {
    if (this.deep[ty * this.across + tx] !== 4) return null;
    const l1 = this.info.levels[1]!;
    const from = { tx: tx + this.plan.tileOffset.tx / 2, ty: ty + this.plan.tileOffset.ty / 2 };
    return l1.byteCounts[from.ty * l1.tilesAcross + from.tx] ? from : null;
  }

  /** A source first-overview tile's bytes as the output's IFD can hold them (with its own JPEG tables, when they differ from the main IFD's). */
  asWritten(bytes: Uint8Array): Uint8Array {
    const own = this.info.levels[1]!.jpegTables;
    return this.info.compression === Compression.Jpeg && own ? spliceJpegTables(own, bytes) : bytes;
  }
}
