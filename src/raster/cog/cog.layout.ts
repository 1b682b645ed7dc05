/**
 * GDAL's COG layout, planned as plain data: TIFF header, the GDAL_STRUCTURAL_METADATA ghost header,
 * every IFD (image 0, mask 0, image 1..n, mask 1..n) with its values, the tile offset/count arrays,
 * then tile data from the smallest overview to full resolution, row-major, each mask tile right after
 * its image tile, every tile framed by a 4-byte size leader and a trailer repeating its last 4 bytes.
 * Pure: the writer feeds it tile sizes and gets every offset back.
 */
import { AppError } from '../../errors/app.error.js';
import { levelTiles } from './cog.spec.js';
import type { CogSpec } from './cog.spec.js';
import { Tag, imageIfdEntries, maskIfdEntries } from './cog.tags.js';
import type { TileArrays } from './cog.tags.js';
import { planIfdBlock, serializeIfdBlock, tiffHeader } from './tiff.ifd.js';
import type { IfdBlockPlan } from './tiff.ifd.js';

/** Bytes GDAL frames each tile with: a uint32 size before it, its last 4 bytes repeated after it. */
export const TILE_LEADER = 4;
export const TILE_TRAILER = 4;

/** The largest classic TIFF file (32-bit offsets). */
export const CLASSIC_TIFF_LIMIT = 0xffffffff;

/** The sizes of the tiles of one level, as recorded while spooling (0 = sparse). */
export interface LevelTileSizes {
  imageBytes: Uint32Array;
  maskBytes: Uint32Array;
}

/** One IFD of the file, in file order. */
export interface CogIfdRef {
  kind: 'image' | 'mask';
  level: number;
}

/** GDAL's IFD order: full-resolution image, its mask, then overview images, then overview masks. */
export function cogIfdOrder(levelCount: number, hasMask: boolean): CogIfdRef[] {
  const out: CogIfdRef[] = [{ kind: 'image', level: 0 }];
  if (hasMask) out.push({ kind: 'mask', level: 0 });
  for (let l = 1; l < levelCount; l++) out.push({ kind: 'image', level: l });
  if (hasMask) for (let l = 1; l < levelCount; l++) out.push({ kind: 'mask', level: l });
  return out;
}

/**
 * The ghost header GDAL writes right after the TIFF header, byte for byte (including the space that
 * lets GDAL flip KNOWN_INCOMPATIBLE_EDITION=NO to YES in place).
 */
export function ghostHeader(hasMask: boolean): string {
  const body =
    'LAYOUT=IFDS_BEFORE_DATA\n' +
    'BLOCK_ORDER=ROW_MAJOR\n' +
    'BLOCK_LEADER=SIZE_AS_UINT4\n' +
    'BLOCK_TRAILER=LAST_4_BYTES_REPEATED\n' +
    'KNOWN_INCOMPATIBLE_EDITION=NO\n ' +
    (hasMask ? 'MASK_INTERLEAVED_WITH_IMAGERY=YES\n' : '');
  return `GDAL_STRUCTURAL_METADATA_SIZE=${String(body.length).padStart(6, '0')} bytes\n${body}`;
}

/** Bytes one tile takes in the data section (its framing included), 0 when sparse. */
export function framedSize(bytes: number): number {
  return bytes === 0 ? 0 : TILE_LEADER + bytes + TILE_TRAILER;
}

/** Total bytes of a level's tile data. */
export function levelDataSize(sizes: LevelTileSizes): number {
  let total = 0;
  for (let i = 0; i < sizes.imageBytes.length; i++) total += framedSize(sizes.imageBytes[i]!) + framedSize(sizes.maskBytes[i]!);
  return total;
}

/** A fully planned file: header bytes and where every tile goes. */
export interface CogPlan {
  bigTiff: boolean;
  /** TIFF header + ghost header + IFDs + tile arrays, to write at offset 0 */
  header: Uint8Array;
  /** File offset where each level's data starts (index = level) */
  levelDataStart: number[];
  /** Final file size in bytes */
  size: number;
  /** Tile arrays per level, image and mask (mask arrays are empty without a mask) */
  tiles: { image: TileArrays; mask: TileArrays }[];
}

function planHeader(spec: CogSpec, bigTiff: boolean, tiles: CogPlan['tiles']): { ghost: Buffer; block: IfdBlockPlan } {
  const ghost = Buffer.from(ghostHeader(spec.hasMask), 'latin1');
  const start = (bigTiff ? 16 : 8) + ghost.length;
  const ifds = cogIfdOrder(spec.levels.length, spec.hasMask).map((r) =>
    r.kind === 'image' ? imageIfdEntries(spec, r.level, tiles[r.level]!.image, bigTiff) : maskIfdEntries(spec, r.level, tiles[r.level]!.mask, bigTiff),
  );
  const block = planIfdBlock(ifds, { bigTiff, start, deferredTags: new Set([Tag.TileOffsets, Tag.TileByteCounts]) });
  return { ghost, block };
}

/**
 * Plan the whole file from the recorded tile sizes: choose BigTIFF (forced, or 'auto' when the classic
 * file would pass 4 GiB), assign every tile's offset, serialize the header region.
 */
export function planCog(spec: CogSpec, sizes: LevelTileSizes[]): CogPlan {
  const tiles = spec.levels.map((lvl) => {
    const { across, down } = levelTiles(spec, lvl);
    const n = across * down;
    const m = spec.hasMask ? n : 0;
    return { image: { offsets: new Float64Array(n), byteCounts: new Uint32Array(n) }, mask: { offsets: new Float64Array(m), byteCounts: new Uint32Array(m) } };
  });
  const dataSize = sizes.reduce((s, l) => s + levelDataSize(l), 0);
  let bigTiff = spec.bigTiff === true;
  let { ghost, block } = planHeader(spec, bigTiff, tiles);
  if (!bigTiff && block.end + dataSize > CLASSIC_TIFF_LIMIT) {
    if (spec.bigTiff === false) throw new AppError('raster_too_large', `Output of ${block.end + dataSize} bytes needs BigTIFF, which was turned off`);
    bigTiff = true;
    ({ ghost, block } = planHeader(spec, bigTiff, tiles));
  }
  // Data: smallest overview first, full resolution last; row-major, mask tile right after its image tile.
  const levelDataStart = new Array<number>(spec.levels.length).fill(0);
  let pos = block.end;
  for (let l = spec.levels.length - 1; l >= 0; l--) {
    levelDataStart[l] = pos;
    const s = sizes[l]!;
    const t = tiles[l]!;
    for (let i = 0; i < s.imageBytes.length; i++) {
      const ib = s.imageBytes[i]!;
      if (ib > 0) {
        t.image.offsets[i] = pos + TILE_LEADER;
        t.image.byteCounts[i] = ib;
        pos += framedSize(ib);
      }
      const mb = s.maskBytes[i]!;
      if (mb > 0) {
        t.mask.offsets[i] = pos + TILE_LEADER;
        t.mask.byteCounts[i] = mb;
        pos += framedSize(mb);
      }
    }
  }
  const header = new Uint8Array(block.end);
  header.set(tiffHeader(bigTiff, block.ifdOffsets[0]!), 0);
  header.set(ghost, bigTiff ? 16 : 8);
  header.set(serializeIfdBlock(block, bigTiff), block.start);
  return { bigTiff, header, levelDataStart, size: pos, tiles };
}
