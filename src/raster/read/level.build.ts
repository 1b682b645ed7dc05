/**
 * One resolution level (`RasterLevel`) from an IFD: tile or strip grid, offsets and byte counts,
 * checked against the read limits and the file size before the offset arrays are copied.
 */
import { AppError } from '../../errors/app.error.js';
import type { RasterLevel } from '../raster.types.js';
import type { IfdEntryCounts } from './ifd.guard.js';
import type { ReadLimits } from './read.limits.js';
import { Tag, type TiffTags } from './tiff.tags.js';

/** What a level's checks need to know about the image and the file. */
export interface LevelContext {
  path: string;
  fileSize: number;
  limits: ReadLimits;
  /** Samples per pixel */
  bands: number;
  /** Number of planes (bands when PlanarConfiguration = 2, else 1) */
  planes: number;
  /** Decoded bytes per pixel of all bands (may be fractional for 1-bit masks) */
  bytesPerPixel: number;
}

/** Build and validate the level described by one IFD. */
export function buildLevel(tags: TiffTags, ifd: IfdEntryCounts, ifdIndex: number, ctx: LevelContext): RasterLevel {
  const { path, limits } = ctx;
  const where = `${path} (IFD ${ifdIndex})`;
  const width = tags.num(Tag.ImageWidth) ?? 0;
  const height = tags.num(Tag.ImageLength) ?? 0;
  if (width < 1 || height < 1) throw new AppError('invalid_tiff', `${where}: image size ${width}x${height} is empty`);
  if (width > limits.maxDimension || height > limits.maxDimension || width * height > limits.maxPixels) {
    throw new AppError('raster_too_large', `${where}: ${width}x${height} pixels exceeds the limits (${limits.maxDimension} a side, ${limits.maxPixels} in all)`);
  }
  const tiled = tags.has(Tag.TileWidth) || tags.has(Tag.TileLength);
  const tileWidth = tiled ? (tags.num(Tag.TileWidth) ?? 0) : width;
  const tileHeight = tiled ? (tags.num(Tag.TileLength) ?? 0) : Math.min(tags.num(Tag.RowsPerStrip) ?? height, height);
  if (tileWidth < 1 || tileHeight < 1 || tileWidth > limits.maxDimension || tileHeight > limits.maxDimension) {
    throw new AppError('invalid_tiff', `${where}: invalid ${tiled ? 'tile' : 'strip'} size ${tileWidth}x${tileHeight}`);
  }
  const decodedBytes = Math.ceil(tileWidth * tileHeight * ctx.bytesPerPixel);
  if (decodedBytes > limits.maxTileBytes) {
    throw new AppError('tile_too_large', `${where}: a ${tileWidth}x${tileHeight} ${tiled ? 'tile' : 'strip'} decodes to ${decodedBytes} bytes (limit ${limits.maxTileBytes})`);
  }
  const tilesAcross = Math.ceil(width / tileWidth);
  const tilesDown = Math.ceil(height / tileHeight);
  const count = tilesAcross * tilesDown * ctx.planes;
  if (count > limits.maxTiles) throw new AppError('raster_too_large', `${where}: ${count} ${tiled ? 'tiles' : 'strips'} exceeds the limit of ${limits.maxTiles}`);
  const offsetsTag = tiled ? Tag.TileOffsets : Tag.StripOffsets;
  const countsTag = tiled ? Tag.TileByteCounts : Tag.StripByteCounts;
  const name = tiled ? 'TileOffsets/TileByteCounts' : 'StripOffsets/StripByteCounts';
  if (ifd.counts.get(offsetsTag) !== count || ifd.counts.get(countsTag) !== count) {
    throw new AppError('invalid_tiff', `${where}: ${name} hold ${ifd.counts.get(offsetsTag) ?? 0}/${ifd.counts.get(countsTag) ?? 0} values, expected ${count}`);
  }
  const offsets = tags.nums(offsetsTag) ?? [];
  const byteCounts = tags.nums(countsTag) ?? [];
  const maxCompressed = 2 * limits.maxTileBytes;
  // RATIONAL values come as numerator/denominator pairs, ASCII as text: only integer arrays of `count` values are offsets.
  if (offsets.length !== count || byteCounts.length !== count) {
    throw new AppError('invalid_tiff', `${where}: ${name} give ${offsets.length}/${byteCounts.length} numbers for ${count} ${tiled ? 'tiles' : 'strips'}`);
  }
  for (let i = 0; i < count; i++) {
    const bytes = byteCounts[i]!;
    if (!isOffset(offsets[i]) || !isOffset(bytes)) throw new AppError('invalid_tiff', `${where}: ${name} entry ${i} is ${offsets[i]}/${bytes}, not a byte offset and count`);
    if (bytes === 0) continue;
    if (bytes > maxCompressed) throw new AppError('tile_too_large', `${where}: tile ${i} holds ${bytes} compressed bytes (limit ${maxCompressed})`);
    if (offsets[i] + bytes > ctx.fileSize) {
      throw new AppError('truncated_tiff', `${where}: tile ${i} (bytes ${offsets[i]}..${offsets[i] + bytes}) lies past the end of the file (${ctx.fileSize} bytes)`);
    }
  }
  return { width, height, tileWidth, tileHeight, tilesAcross, tilesDown, tiled, offsets, byteCounts, ifdIndex };
}

function isOffset(v: number | undefined): v is number {
  return v !== undefined && Number.isSafeInteger(v) && v >= 0;
}
