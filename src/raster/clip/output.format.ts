/**
 * The output COG's format, chosen from the source: its own compression, predictor, photometric and
 * JPEGTables when an encoder exists (so inside tiles can be copied as bytes), else DEFLATE with the
 * predictor that suits the data. Passthrough also needs a tiled, pixel-interleaved source whose tiles
 * are multiples of 16 (TIFF's rule for tiles).
 */
import { canEncode } from '../encode/tile.encode.js';
import { Compression, type RasterInfo } from '../raster.types.js';

export interface OutputFormat {
  compression: number;
  predictor: 1 | 2 | 3;
  photometric: number;
  jpegTables?: Uint8Array;
  jpegQuality?: number;
  /** Output tile size (the source's when tiled, else 512) */
  tileWidth: number;
  tileHeight: number;
  /** True when inside tiles are copied as the source's compressed bytes */
  passthrough: boolean;
  /** Invalid pixels marked by an internal mask (true) or by the source's nodata (false) */
  useMask: boolean;
  /** Downsampling for overviews */
  resampling: 'average' | 'nearest';
}

const isFloat = (t: string): boolean => t.startsWith('float');

export function chooseOutputFormat(info: RasterInfo, override?: { compression?: number }): OutputFormat {
  const l0 = info.levels[0]!;
  const tiledOk = l0.tiled && l0.tileWidth % 16 === 0 && l0.tileHeight % 16 === 0 && info.planarConfiguration === 1;
  const keep = override?.compression === undefined || override.compression === info.compression;
  const sourceEncodable = canEncode(info.compression) && info.compression !== Compression.OldJpeg && !(info.compression === Compression.Jpeg && info.photometric !== 6 && info.bands === 3);
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
    ...(info.jpegQuality ? { jpegQuality: info.jpegQuality } : {}),
    tileWidth: tiledOk ? l0.tileWidth : 512,
    tileHeight: tiledOk ? l0.tileHeight : 512,
    passthrough: tiledOk && sameCodec,
    useMask: info.nodata === null || info.mask !== undefined,
    resampling: info.photometric === 3 ? 'nearest' : 'average',
  };
}
