/**
 * The output COG's format, chosen from the source: its own compression, predictor, photometric and
 * JPEGTables when an encoder exists (so inside tiles can be copied as bytes), else DEFLATE with the
 * predictor that suits the data. Passthrough also needs a tiled, pixel-interleaved source whose tiles
 * are multiples of 16 (TIFF's rule for tiles).
 */
import { RANGES } from '../decode/pixel.array.js';
import { encodeUnsupported } from '../encode/tile.encode.js';
import { Compression, type RasterInfo } from '../raster.types.js';

export interface OutputFormat {
  compression: number;
  predictor: 1 | 2 | 3;
  photometric: number;
  jpegTables?: Uint8Array;
  /** JPEG/WEBP quality for re-encoded tiles: the source's when known, else 90 (a second generation should lose little) */
  quality: number;
  /** Output tile size (the source's when tiled, else 512) */
  tileWidth: number;
  tileHeight: number;
  /** True when inside tiles are copied as the source's compressed bytes */
  passthrough: boolean;
  /** Invalid pixels marked by an internal mask (true) or by the source's nodata (false) */
  useMask: boolean;
  /** True for lossy codecs: pixels near the AOI edge keep their values so the codec does not ring */
  lossy: boolean;
  /** Downsampling for overviews */
  resampling: 'average' | 'nearest';
}

const isFloat = (t: string): boolean => t.startsWith('float');

/** A nodata value the data type can hold (GDAL ignores one it cannot, e.g. -10000 on bytes). */
export function usableNodata(info: Pick<RasterInfo, 'nodata' | 'dataType'>): number | null {
  const v = info.nodata;
  if (v === null) return null;
  if (isFloat(info.dataType)) return v;
  // GDAL 3.6 reads int8 as Byte with PIXELTYPE=SIGNEDBYTE and ignores its nodata: mark invalid pixels with a mask instead.
  if (info.dataType === 'int8') return null;
  const [lo, hi] = RANGES[info.dataType];
  return Number.isInteger(v) && v >= lo && v <= hi ? v : null;
}

/** Index of an alpha band (ExtraSamples 1 or 2), or -1. */
export function alphaBand(info: Pick<RasterInfo, 'bands' | 'extraSamples'>): number {
  const i = info.extraSamples.findIndex((e) => e === 1 || e === 2);
  return i < 0 ? -1 : info.bands - info.extraSamples.length + i;
}

export function chooseOutputFormat(info: RasterInfo, override?: { compression?: number }): OutputFormat {
  const l0 = info.levels[0]!;
  const tiledOk = l0.tiled && l0.tileWidth % 16 === 0 && l0.tileHeight % 16 === 0 && info.planarConfiguration === 1;
  const keep = override?.compression === undefined || override.compression === info.compression;
  const sourceEncodable = encodeUnsupported({
    width: 16, height: 16, bands: info.bands, dataType: info.dataType, compression: info.compression, predictor: info.predictor, photometric: info.photometric,
  }) === null;
  const sameCodec = keep && sourceEncodable;
  const compression = sameCodec ? info.compression : (override?.compression ?? Compression.Deflate);
  const predictor: 1 | 2 | 3 = sameCodec ? info.predictor : compression === Compression.Deflate || compression === Compression.Lzw ? (isFloat(info.dataType) ? 3 : 2) : 1;
  // A JPEG source in RGB photometric re-encodes as YCbCr like GDAL; palette stays palette.
  const photometric = compression === Compression.Jpeg && info.bands === 3 ? 6 : info.photometric === 6 ? 2 : info.photometric;
  return {
    compression,
    predictor: compression === Compression.Jpeg || compression === Compression.Webp ? 1 : predictor,
    photometric,
    ...(sameCodec && info.jpegTables ? { jpegTables: info.jpegTables } : {}),
    quality: info.jpegQuality ?? 90,
    tileWidth: tiledOk ? l0.tileWidth : 512,
    tileHeight: tiledOk ? l0.tileHeight : 512,
    passthrough: tiledOk && sameCodec,
    lossy: compression === Compression.Jpeg || compression === Compression.Webp,
    useMask: usableNodata(info) === null || info.mask !== undefined || alphaBand(info) >= 0,
    resampling: info.photometric === 3 ? 'nearest' : 'average',
  };
}
