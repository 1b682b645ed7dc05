/**
 * JPEG tiles (TIFF Compression 7): baseline, optimised Huffman tables, standard Annex K tables; through
 * geopera's libjpeg-turbo addon when it is built (half sharp's CPU), else sharp (libvips + mozjpeg's
 * libjpeg-turbo). Both write the same bytes for the same pixels. Each tile is a complete JPEG stream with its own tables: valid inside an IFD that also
 * has JPEGTables (tables in the stream override the shared ones, libjpeg reads both), so freshly encoded
 * tiles can sit beside passthrough tiles that rely on the source's JPEGTables.
 *
 * Option mapping: `quality` = GDAL's JPEG_QUALITY (same libjpeg scale); Photometric YCbCr with
 * YCbCrSubSampling [2,2] = `chromaSubsampling: '4:2:0'` (Y sampled 2x2, Cb and Cr 1x1, as libtiff
 * checks), [1,1] = '4:4:4'; 1 band = a one-component greyscale stream (`toColourspace('b-w')`). sharp always converts RGB input
 * to YCbCr, so Photometric RGB (untransformed RGB components) and 4-band JPEG cannot be written.
 */
import { AppError } from '../../errors/app.error.js';
import { nativeCodecs } from '../native/codecs.native.js';
import { loadSharp } from '../native/sharp.load.js';
import type { TileEncodeSpec } from './encode.spec.js';

/** GDAL's default JPEG_QUALITY. */
export const DEFAULT_JPEG_QUALITY = 75;

/** Why sharp cannot write this tile as TIFF JPEG, or null when it can. */
export function jpegUnsupported(spec: TileEncodeSpec): string | null {
  if (spec.dataType !== 'uint8') return `JPEG needs uint8 samples, not ${spec.dataType}`;
  if (spec.bands === 1) return spec.photometric <= 1 ? null : `1-band JPEG needs Photometric 0 or 1, not ${spec.photometric}`;
  if (spec.bands !== 3) return `JPEG encoding supports 1 or 3 bands, not ${spec.bands}`;
  if (spec.photometric !== 6) return `3-band JPEG encoding needs Photometric YCbCr (6), not ${spec.photometric}`;
  const [sx, sy] = spec.ycbcrSubsampling ?? [2, 2];
  if (!((sx === 2 && sy === 2) || (sx === 1 && sy === 1))) return `YCbCrSubSampling ${sx},${sy} is not supported (2,2 or 1,1)`;
  return null;
}

/** Encode a pixel-interleaved uint8 tile as a JPEG stream. */
export async function jpegEncode(bytes: Uint8Array, spec: TileEncodeSpec): Promise<Uint8Array> {
  const why = jpegUnsupported(spec);
  if (why) throw new AppError('unsupported_compression', `Cannot encode JPEG tile: ${why}`);
  const [sx] = spec.ycbcrSubsampling ?? [2, 2];
  const quality = spec.jpegQuality ?? DEFAULT_JPEG_QUALITY;
  if (nativeCodecs) return nativeCodecs.jpegEncode(bytes, spec.width, spec.height, spec.bands as 1 | 3, quality, sx === 1 ? 1 : 2);
  return sharpJpegEncode(bytes, spec.width, spec.height, spec.bands as 1 | 3, quality, sx === 1 ? '4:4:4' : '4:2:0');
}

/** The same encode through sharp: used without the addon, and as the addon's reference in tests. */
export async function sharpJpegEncode(bytes: Uint8Array, width: number, height: number, bands: 1 | 3, quality: number, chromaSubsampling: '4:2:0' | '4:4:4'): Promise<Uint8Array> {
  const sharp = await loadSharp();
  let img = sharp(bytes, { raw: { width, height, channels: bands } });
  // Without this libvips turns one band into sRGB and writes three components.
  if (bands === 1) img = img.toColourspace('b-w');
  const out = await img
    .jpeg({
      quality,
      chromaSubsampling,
      progressive: false,
      optimiseCoding: true,
      mozjpeg: false,
    })
    .toBuffer();
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}
