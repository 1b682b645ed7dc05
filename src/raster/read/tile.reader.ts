/**
 * The compressed bytes of one tile: one positional read per plane, straight from the offsets and
 * byte counts of the level. A tile with no bytes (offset or byte count 0) is sparse: null.
 */
import type { RasterInfo, RasterLevel } from '../raster.types.js';
import type { Source } from './source.js';

function checkTile(info: RasterInfo, lvl: RasterLevel | undefined, level: number, tx: number, ty: number): RasterLevel {
  if (!lvl) throw new RangeError(`${info.path}: no level ${level}`);
  if (!Number.isInteger(tx) || !Number.isInteger(ty) || tx < 0 || ty < 0 || tx >= lvl.tilesAcross || ty >= lvl.tilesDown) {
    throw new RangeError(`${info.path}: tile ${tx},${ty} is outside the ${lvl.tilesAcross}x${lvl.tilesDown} grid of level ${level}`);
  }
  return lvl;
}

function readAt(source: Source, lvl: RasterLevel, index: number): Promise<Uint8Array | null> {
  const offset = lvl.offsets[index];
  const bytes = lvl.byteCounts[index];
  return offset === 0 || bytes === 0 ? Promise.resolve(null) : source.read(offset, bytes);
}

/** The bytes of tile (tx, ty) of `level`, one entry per plane (null when sparse). */
export async function readTileBytes(source: Source, info: RasterInfo, level: number, tx: number, ty: number): Promise<(Uint8Array | null)[]> {
  const lvl = checkTile(info, info.levels[level], level, tx, ty);
  const planes = info.planarConfiguration === 2 ? info.bands : 1;
  const perPlane = lvl.tilesAcross * lvl.tilesDown;
  const index = ty * lvl.tilesAcross + tx;
  return Promise.all(Array.from({ length: planes }, (_, p) => readAt(source, lvl, p * perPlane + index)));
}

/** The bytes of mask tile (tx, ty) aligned with image `level` (null when sparse). */
export async function readMaskTileBytes(source: Source, info: RasterInfo, level: number, tx: number, ty: number): Promise<Uint8Array | null> {
  const lvl = checkTile(info, info.mask?.levels[level], level, tx, ty);
  return readAt(source, lvl, ty * lvl.tilesAcross + tx);
}
