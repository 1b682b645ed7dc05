/**
 * What a tile encoder needs to know about a tile: its size, samples and the TIFF codec settings of the
 * IFD it will be written into. Pure data; shared by every encoder in this folder.
 */
import { AppError } from '../../errors/app.error.js';
import type { DataType, PixelArray } from '../raster.types.js';
import { sampleBytes } from '../decode/pixel.array.js';

/** The settings of one tile to encode (those of the target IFD). */
export interface TileEncodeSpec {
  /** Tile width in pixels (TileWidth: a full tile, edge tiles padded by the caller) */
  width: number;
  /** Tile height in pixels (TileLength) */
  height: number;
  /** Samples per pixel, alpha included */
  bands: number;
  dataType: DataType;
  /** TIFF Compression tag value (see `Compression`) */
  compression: number;
  /** TIFF Predictor: 1 none, 2 horizontal differencing, 3 floating point */
  predictor: 1 | 2 | 3;
  /** TIFF PhotometricInterpretation of the IFD (6 = YCbCr for JPEG) */
  photometric: number;
  /** JPEG quality 1-100 (libjpeg scale, same as GDAL's JPEG_QUALITY); default 75 like GDAL */
  jpegQuality?: number;
  /** YCbCrSubSampling of the IFD for JPEG YCbCr; default [2, 2] */
  ycbcrSubsampling?: [number, number];
  /** WEBP quality 1-100 (same as GDAL's WEBP_LEVEL); default 75 like GDAL */
  webpQuality?: number;
  /** Lossless WEBP (GDAL's WEBP_LOSSLESS=YES) */
  webpLossless?: boolean;
  /** libwebp method 0-6 (sharp `effort`); default 4 as GDAL. 2 is ~2x faster for ~7% more bytes on aerial imagery */
  webpEffort?: number;
  /** zlib level 1-9 for DEFLATE; default 6 (GDAL's ZLEVEL default) */
  deflateLevel?: number;
}

/** Bytes per sample of a data type. */
export const bytesPerSample = sampleBytes;

/** True for IEEE floating point data types. */
export function isFloat(dataType: DataType): boolean {
  return dataType === 'float32' || dataType === 'float64';
}

/**
 * The pixels of a tile as little-endian bytes (a view, no copy), after checking their length.
 * We only write little-endian TIFFs and Node runs on little-endian hosts, so typed array bytes are file bytes.
 */
export function tileBytes(pixels: PixelArray, spec: TileEncodeSpec): Uint8Array {
  const samples = spec.width * spec.height * spec.bands;
  if (pixels.length !== samples) {
    throw new AppError('internal_error', `Tile of ${spec.width}x${spec.height}x${spec.bands} needs ${samples} samples, got ${pixels.length}`);
  }
  const bps = bytesPerSample(spec.dataType);
  if (pixels.BYTES_PER_ELEMENT !== bps) {
    throw new AppError('internal_error', `Tile data type ${spec.dataType} needs ${bps}-byte samples, got a ${pixels.constructor.name}`);
  }
  return new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.byteLength);
}
