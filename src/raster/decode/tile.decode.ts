/**
 * One tile (or strip) of compressed bytes → pixels: the codec for the file's Compression, then
 * byte order and predictor for the lossless byte codecs. The result always holds
 * tileWidth * tileHeight * bands samples, pixel-interleaved (planes of a PlanarConfiguration = 2
 * file are decoded one by one and interleaved; rows past the end of a last strip are 0) in an
 * ArrayBuffer of its own (transferable).
 */
import { AppError } from '../../errors/app.error.js';
import { Compression, type PixelArray, type RasterInfo, type RasterLevel } from '../raster.types.js';
import { jpegDecode } from './codec.jpeg.js';
import { lercDecode } from './codec.lerc.js';
import { webpDecode } from './codec.webp.js';
import { allocPixels, castToType, pixelsFromBytes, sampleBytes } from './pixel.array.js';
import { swapBytes } from './byte.swap.js';
import { undoFloatingPoint, undoHorizontal } from './predictor.js';
import { decompressRaw } from './raw.decompress.js';

export { decodeMaskTile } from './mask.decode.js';

/** Column and row of a tile in its level's tile grid. */
export interface TileIndex {
  tx: number;
  ty: number;
}

/** The rows of tile (tx, ty) inside the image: the tile height, or less for a last strip. */
export function tileRows(info: RasterInfo, lvl: RasterLevel, tx: number, ty: number): number {
  if (!Number.isInteger(tx) || !Number.isInteger(ty) || tx < 0 || ty < 0 || tx >= lvl.tilesAcross || ty >= lvl.tilesDown) {
    throw new RangeError(`${info.path}: tile ${tx},${ty} is outside the ${lvl.tilesAcross}x${lvl.tilesDown} grid`);
  }
  return lvl.tiled ? lvl.tileHeight : Math.min(lvl.tileHeight, lvl.height - ty * lvl.tileHeight);
}

/**
 * Decode the tile at `index` of `level` from its compressed bytes, one entry per plane; a null entry
 * is a sparse tile, filled with the nodata value when there is one, else 0. `into` (a whole tile's
 * samples) is a buffer to reuse: whole JPEG tiles are decoded into it and returned as it; others ignore it.
 */
export async function decodeTile(info: RasterInfo, level: number, index: TileIndex, planes: (Uint8Array | null)[], into?: PixelArray): Promise<PixelArray> {
  const lvl = info.levels[level];
  if (!lvl) throw new RangeError(`${info.path}: no level ${level} (it has ${info.levels.length})`);
  const rows = tileRows(info, lvl, index.tx, index.ty);
  const planeCount = info.planarConfiguration === 2 ? info.bands : 1;
  if (planes.length !== planeCount) throw new RangeError(`${info.path}: ${planes.length} planes given, the file has ${planeCount}`);
  const spp = planeCount === 1 ? info.bands : 1;
  const what = `${info.path} level ${level} tile ${index.tx},${index.ty}`;
  const samples = lvl.tileWidth * lvl.tileHeight * info.bands;
  const fill = castToType(info.nodata ?? 0, info.dataType);
  const target = planeCount === 1 && rows === lvl.tileHeight && into instanceof Uint8Array && into.length === samples ? into : undefined;
  const decoded = await Promise.all(planes.map((p) => (p ? decodePlane(info, lvl, p, spp, rows, what, target) : Promise.resolve(null))));
  if (planeCount === 1 && decoded[0] && rows === lvl.tileHeight) return ownBuffer(decoded[0]);
  const out = allocPixels(info.dataType, samples);
  if (planeCount === 1) {
    if (decoded[0]) out.set(decoded[0]);
    else if (fill !== 0) out.fill(fill);
    return out;
  }
  const pixels = lvl.tileWidth * rows;
  const bands = info.bands;
  for (let b = 0; b < bands; b++) {
    const src = decoded[b];
    if (src) for (let i = 0; i < pixels; i++) out[i * bands + b] = src[i];
    else if (fill !== 0) for (let i = 0; i < pixels; i++) out[i * bands + b] = fill;
  }
  return out;
}

/**
 * Pixels that alone own their ArrayBuffer, so a caller may transfer it (Piscina.move) safely:
 * small zlib outputs can be views into Node's shared Buffer pool.
 */
function ownBuffer(pixels: PixelArray): PixelArray {
  return pixels.byteOffset === 0 && pixels.buffer.byteLength === pixels.byteLength ? pixels : pixels.slice();
}

/** Decode one plane of one tile: `tileWidth * rows * spp` samples (JPEG: into `into` when given). */
async function decodePlane(info: RasterInfo, lvl: RasterLevel, bytes: Uint8Array, spp: number, rows: number, what: string, into?: Uint8Array): Promise<PixelArray> {
  const { compression, dataType } = info;
  const width = lvl.tileWidth;
  if (compression === Compression.Jpeg || compression === Compression.Webp) {
    if (dataType !== 'uint8') throw new AppError('unsupported_tiff', `${what}: ${compression === Compression.Jpeg ? 'JPEG' : 'WEBP'} with ${dataType} samples is not supported`);
    return compression === Compression.Jpeg ? jpegDecode(bytes, lvl.jpegTables ?? info.jpegTables, width, rows, spp, what, into) : webpDecode(bytes, width, rows, spp, what);
  }
  if (compression === Compression.Lerc) return lercDecode(bytes, { width, rows, maxRows: lvl.tileHeight, spp, dataType, params: info.lercParameters }, what);
  if (info.photometric === 6) throw new AppError('unsupported_tiff', `${what}: YCbCr data without JPEG compression is not supported`);
  const bps = sampleBytes(dataType);
  const needed = width * rows * spp * bps;
  let raw = await decompressRaw(compression, bytes, width * lvl.tileHeight * spp * bps, what);
  if (raw.length < needed) throw new AppError('invalid_tiff', `${what}: decodes to ${raw.length} bytes, expected ${needed}`);
  if (raw.byteOffset % bps !== 0) raw = raw.slice();
  if (info.predictor === 3) {
    if (dataType !== 'float32' && dataType !== 'float64') throw new AppError('invalid_tiff', `${what}: the floating-point predictor on ${dataType} data`);
    undoFloatingPoint(raw, width, rows, spp, bps);
  } else {
    if (!info.littleEndian) swapBytes(raw.subarray(0, needed), bps);
    if (info.predictor === 2) undoHorizontal(raw, width, rows, spp, bps);
  }
  return pixelsFromBytes(dataType, raw, width * rows * spp);
}
