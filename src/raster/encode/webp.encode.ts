/**
 * WEBP tiles (TIFF Compression 50001, a complete RIFF WEBP stream as libtiff's tif_webp writes) with sharp.
 * Option mapping: `quality` = GDAL's WEBP_LEVEL, `lossless` = WEBP_LOSSLESS, `alphaQuality: 100` keeps
 * alpha lossless, `exact: true` keeps the colour of fully transparent pixels (as libtiff does for lossless WEBP),
 * `effort` = libwebp's method, default 4 as GDAL uses (`webpEffort`).
 */
import { AppError } from '../../errors/app.error.js';
import { loadSharp } from '../native/sharp.load.js';
import type { TileEncodeSpec } from './encode.spec.js';

/** GDAL's default WEBP_LEVEL. */
export const DEFAULT_WEBP_QUALITY = 75;

/** Why this tile cannot be written as TIFF WEBP, or null when it can. */
export function webpUnsupported(spec: TileEncodeSpec): string | null {
  if (spec.dataType !== 'uint8') return `WEBP needs uint8 samples, not ${spec.dataType}`;
  if (spec.bands !== 3 && spec.bands !== 4) return `WEBP needs 3 or 4 bands, not ${spec.bands}`;
  return null;
}

/** Encode a pixel-interleaved uint8 RGB or RGBA tile as WEBP. */
export async function webpEncode(bytes: Uint8Array, spec: TileEncodeSpec): Promise<Uint8Array> {
  const why = webpUnsupported(spec);
  if (why) throw new AppError('unsupported_compression', `Cannot encode WEBP tile: ${why}`);
  const sharp = await loadSharp();
  const out = await sharp(bytes, { raw: { width: spec.width, height: spec.height, channels: spec.bands as 3 | 4 } })
    .webp({
      quality: spec.webpQuality ?? DEFAULT_WEBP_QUALITY,
      lossless: spec.webpLossless ?? false,
      alphaQuality: 100,
      exact: true,
      effort: spec.webpEffort ?? 4,
    })
    .toBuffer();
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}
