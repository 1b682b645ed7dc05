/**
 * Writing a clip's tiles into its COG: freshly encoded tiles (invalid pixels filled, the mask encoded
 * beside the image) and passthrough tiles (the source's compressed bytes), each timed on the clip's
 * stage clock when it has one, and each given as written to the clip's summary when it gathers one.
 */
import type { CogWriter } from '../cog/cog.writer.js';
import { allValidMaskTile, encodeMaskTile, encodeTile, type TileEncodeSpec } from '../encode/tile.encode.js';
import type { PixelArray } from '../raster.types.js';
import type { OutputFormat } from './output.format.js';
import { timed, type StageClock } from './stage.clock.js';
import type { SummaryGather } from './summary.gather.js';
import { allValid, anyValid } from './tile.half.js';
import { fillInvalid, fillInvalidBlocks } from './tile.cut.js';

export class OutputTiles {
  constructor(
    private readonly writer: CogWriter,
    private readonly fmt: OutputFormat,
    private readonly spec: TileEncodeSpec,
    /** The value invalid pixels are filled with (nodata, else 0) */
    private readonly fill: number,
    private readonly clock: StageClock | undefined,
    private readonly summary: SummaryGather | null = null,
  ) {}

  /**
   * Encode and write one tile of `level` (nothing when no pixel is valid). `pixels` and `valid` are the
   * tile's own: invalid pixels are overwritten in place.
   */
  async encode(level: number, tx: number, ty: number, pixels: PixelArray, valid: Uint8Array, full = allValid(valid)): Promise<void> {
    if (!full && !anyValid(valid)) return; // sparse
    const t0 = this.clock ? performance.now() : 0;
    const { width: tw, height: th, bands } = this.spec;
    if (!full && this.fmt.lossy) fillInvalidBlocks(pixels, valid, tw, th, bands, this.fill);
    else if (!full) fillInvalid(pixels, valid, bands, this.fill);
    const maskBytes = this.maskOf(valid, full);
    const [bytes, maskTile] = await Promise.all([encodeTile(pixels, this.spec), maskBytes]);
    this.clock?.add(level === 0 ? 'encode' : 'overviews', performance.now() - t0);
    await Promise.all([timed(this.clock, 'write', () => this.writer.writeTile(level, tx, ty, bytes, maskTile)), this.summary?.add(level, tx, ty, bytes, valid)]);
  }

  /** Write a source tile's compressed bytes as tile (tx, ty) of `level`, with the mask of `valid` (all valid when null). */
  async passthrough(level: number, tx: number, ty: number, bytes: Uint8Array, valid: Uint8Array | null): Promise<void> {
    const mask = await timed(this.clock, 'mask', () => this.maskOf(valid ?? new Uint8Array(0), valid === null || allValid(valid)));
    await Promise.all([timed(this.clock, 'write', () => this.writer.writeTile(level, tx, ty, bytes, mask)), this.summary?.add(level, tx, ty, bytes, valid)]);
  }

  private maskOf(valid: Uint8Array, full: boolean): Promise<Uint8Array | null> {
    if (!this.fmt.useMask) return Promise.resolve(null);
    return full ? allValidMaskTile(this.spec.width, this.spec.height) : encodeMaskTile(valid, this.spec.width, this.spec.height);
  }
}
