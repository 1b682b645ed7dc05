/**
 * One entry point to encode a tile for a TIFF IFD: predictor, then the IFD's compression.
 * ZSTD and LERC have no encoder on Node 20 (`canEncode` says so; callers fall back to DEFLATE).
 */
import { AppError } from '../../errors/app.error.js';
import { Compression } from '../raster.types.js';
import type { PixelArray } from '../raster.types.js';
import { deflateEncode } from './deflate.encode.js';
import { bytesPerSample, isFloat, tileBytes } from './encode.spec.js';
import type { TileEncodeSpec } from './encode.spec.js';
import { jpegEncode, jpegUnsupported } from './jpeg.encode.js';
import { lzwEncode } from './lzw.encode.js';
import { packBitsEncode } from './packbits.encode.js';
import { floatingPointDifference, horizontalDifference } from './predictor.encode.js';
import { webpEncode, webpUnsupported } from './webp.encode.js';

export type { TileEncodeSpec } from './encode.spec.js';
export { allValidMaskTile, encodeMaskTile, packMaskBits } from './mask.encode.js';

/** Compression tag values with an encoder here. */
const ENCODABLE: ReadonlySet<number> = new Set([
  Compression.None,
  Compression.Lzw,
  Compression.Jpeg,
  Compression.AdobeDeflate,
  Compression.Deflate,
  Compression.PackBits,
  Compression.Webp,
]);

/** Compressions that take a predictor (the others ignore it and must be written with Predictor 1). */
const PREDICTABLE: ReadonlySet<number> = new Set([Compression.Lzw, Compression.AdobeDeflate, Compression.Deflate, Compression.Zstd]);

/** True when tiles of this TIFF compression can be encoded (false for ZSTD, LERC, old JPEG, ...). */
export function canEncode(compression: number): boolean {
  return ENCODABLE.has(compression);
}

/**
 * Why a tile of this spec cannot be encoded, or null when it can: the compression has an encoder and
 * the bands, data type, photometric and predictor suit it (JPEG: uint8 1 band or 3 bands YCbCr; WEBP:
 * uint8 3 or 4 bands; predictor 3 only for floats, predictor 2 only with LZW/DEFLATE/ZSTD).
 */
export function encodeUnsupported(spec: TileEncodeSpec): string | null {
  if (!canEncode(spec.compression)) return `no encoder for compression ${spec.compression}`;
  if (spec.predictor !== 1) {
    if (!PREDICTABLE.has(spec.compression)) return `predictor ${spec.predictor} is not allowed with compression ${spec.compression}`;
    if (spec.predictor === 3 && !isFloat(spec.dataType)) return `floating point predictor needs float samples, not ${spec.dataType}`;
  }
  if (spec.compression === Compression.Jpeg) return jpegUnsupported(spec);
  if (spec.compression === Compression.Webp) return webpUnsupported(spec);
  return null;
}

/** Encode one pixel-interleaved tile (full tile size) into the bytes of a TIFF tile. */
export async function encodeTile(pixels: PixelArray, spec: TileEncodeSpec): Promise<Uint8Array> {
  const why = encodeUnsupported(spec);
  if (why) throw new AppError('unsupported_compression', `Cannot encode a tile with compression ${spec.compression}: ${why}`);
  const raw = tileBytes(pixels, spec);
  const bps = bytesPerSample(spec.dataType);
  const data =
    spec.predictor === 2
      ? horizontalDifference(raw, spec.width, spec.height, spec.bands, bps)
      : spec.predictor === 3
        ? floatingPointDifference(raw, spec.width, spec.height, spec.bands, bps)
        : raw;
  switch (spec.compression) {
    case Compression.None:
      return data === raw ? raw.slice() : data;
    case Compression.AdobeDeflate:
    case Compression.Deflate:
      return deflateEncode(data, spec.deflateLevel);
    case Compression.Lzw:
      return lzwEncode(data);
    case Compression.PackBits:
      return packBitsEncode(data, spec.width * spec.bands * bps);
    case Compression.Jpeg:
      return jpegEncode(raw, spec);
    case Compression.Webp:
      return webpEncode(raw, spec);
    default:
      throw new AppError('unsupported_compression', `Compression ${spec.compression} has no encoder`);
  }
}
