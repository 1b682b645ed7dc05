/**
 * What the COG writer is asked to write: the levels, tiling, sample layout, codec settings (the source's
 * own when tiles are passed through) and georeferencing. Plain data; `checkCogSpec` rejects specs a
 * GDAL reader would not accept before any file is created.
 */
import { AppError } from '../../errors/app.error.js';
import { Compression } from '../raster.types.js';
import type { DataType, GeoTransform } from '../raster.types.js';

/** Size of one resolution level in pixels. */
export interface CogLevelSize {
  width: number;
  height: number;
}

/** Georeferencing carried into the output. */
export interface CogGeo {
  /** Geotransform of level 0, pixel-corner convention (as `RasterInfo.geo.transform`) */
  transform: GeoTransform;
  /** Raw GeoKeyDirectory values copied from the source (they name the CRS and the raster type) */
  geoKeyDirectory?: number[];
  /** Raw GeoDoubleParams values */
  geoDoubleParams?: number[];
  /** Raw GeoAsciiParams text (usually ends with "|") */
  geoAsciiParams?: string;
  /** True when the GeoKeys say PixelIsPoint: the tiepoint is then written half a pixel in, as GDAL does */
  pixelIsPoint?: boolean;
}

/** Everything the writer needs to lay out a COG. */
export interface CogSpec {
  /** Level 0 (full resolution) first, then overviews of decreasing size */
  levels: CogLevelSize[];
  /** Tile size in pixels (multiples of 16, as TIFF requires) */
  tileWidth: number;
  tileHeight: number;
  /** Samples per pixel, alpha included */
  bands: number;
  dataType: DataType;
  /** TIFF Compression of every image IFD (the source's when tiles are passed through) */
  compression: number;
  /** TIFF Predictor of every image IFD */
  predictor: 1 | 2 | 3;
  /** TIFF PhotometricInterpretation (1 MinIsBlack, 2 RGB, 3 Palette, 6 YCbCr) */
  photometric: number;
  /** ExtraSamples values (2 = unassociated alpha); padded with 0 (unspecified) to the samples beyond the photometric's */
  extraSamples: number[];
  /** JPEGTables of the source, written in every image IFD, for passthrough JPEG tiles */
  jpegTables?: Uint8Array;
  /** YCbCrSubSampling for Photometric 6; default [2, 2] */
  ycbcrSubsampling?: [number, number];
  /** GDAL_NODATA of every image IFD, or null for none (NaN allowed) */
  nodata: number | null;
  /** Write a GDAL internal mask (1-bit DEFLATE IFDs for every level, tiles interleaved with imagery) */
  hasMask: boolean;
  /** TIFF ColorMap for Photometric 3: 3 * 2^bits uint16 values (all reds, all greens, all blues) */
  colorMap?: number[];
  geo: CogGeo;
  /** GDAL_METADATA XML for level 0 */
  gdalMetadata?: string;
  /** BigTIFF: true, false, or 'auto' (default): BigTIFF only when the classic file would pass 4 GiB */
  bigTiff?: boolean | 'auto';
}

/** Number of tiles across and down a level. */
export function levelTiles(spec: Pick<CogSpec, 'tileWidth' | 'tileHeight'>, level: CogLevelSize): { across: number; down: number } {
  return { across: Math.ceil(level.width / spec.tileWidth), down: Math.ceil(level.height / spec.tileHeight) };
}

/** Samples the photometric interpretation itself accounts for (the rest are ExtraSamples). */
export function baseSamples(photometric: number): number {
  if (photometric === 2 || photometric === 6 || photometric === 8) return 3;
  if (photometric === 5) return 4;
  return 1;
}

/** Throws `internal_error` (a caller bug, not bad input) when the spec cannot make a readable COG. */
export function checkCogSpec(spec: CogSpec): void {
  const fail = (msg: string): never => {
    throw new AppError('internal_error', `Invalid COG spec: ${msg}`);
  };
  if (spec.levels.length === 0) fail('no levels');
  spec.levels.forEach((l, i) => {
    if (!Number.isInteger(l.width) || !Number.isInteger(l.height) || l.width < 1 || l.height < 1 || l.width > 0xffffffff || l.height > 0xffffffff) {
      fail(`level ${i} size ${l.width}x${l.height}`);
    }
    const prev = spec.levels[i - 1];
    if (prev && (l.width > prev.width || l.height > prev.height)) fail(`level ${i} (${l.width}x${l.height}) is larger than level ${i - 1} (${prev.width}x${prev.height})`);
  });
  for (const [name, v] of [['tileWidth', spec.tileWidth], ['tileHeight', spec.tileHeight]] as const) {
    if (!Number.isInteger(v) || v < 16 || v % 16 !== 0 || v > 65535) fail(`${name} ${v} is not a multiple of 16 in 16..65520`);
  }
  if (!Number.isInteger(spec.bands) || spec.bands < 1 || spec.bands > 65535) fail(`bands ${spec.bands}`);
  if (spec.bands < baseSamples(spec.photometric)) fail(`photometric ${spec.photometric} needs ${baseSamples(spec.photometric)} bands, got ${spec.bands}`);
  if (spec.photometric === 6 && (spec.compression !== Compression.Jpeg || spec.bands !== 3 || spec.dataType !== 'uint8')) {
    fail(`photometric YCbCr is only written for 3-band uint8 JPEG (compression ${spec.compression}, ${spec.bands} bands ${spec.dataType})`);
  }
  if (spec.photometric === 3) {
    const bits = spec.dataType === 'uint8' ? 8 : spec.dataType === 'uint16' ? 16 : 0;
    if (bits === 0 || spec.bands !== 1) fail(`palette needs 1 band of uint8 or uint16 (${spec.bands} bands ${spec.dataType})`);
    if (spec.colorMap?.length !== 3 * 2 ** bits) fail(`palette of ${bits}-bit samples needs a ColorMap of ${3 * 2 ** bits} values, got ${spec.colorMap?.length ?? 0}`);
  }
  if (spec.predictor === 3 && spec.dataType !== 'float32' && spec.dataType !== 'float64') fail(`predictor 3 with ${spec.dataType}`);
  if (spec.geo.transform.length !== 6 || !spec.geo.transform.every(Number.isFinite)) fail(`geotransform ${spec.geo.transform.join(',')}`);
}
