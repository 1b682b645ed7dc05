/**
 * The plain-data contract between the raster engine's parts: the reader describes a file as a
 * `RasterInfo`, the clip planner works on grids, the COG writer takes a `CogSpec`.
 * Everything here is structured-clone safe (it crosses piscina worker boundaries).
 */

/** Pixel data types the engine reads and writes. */
export type DataType = 'uint8' | 'int8' | 'uint16' | 'int16' | 'uint32' | 'int32' | 'float32' | 'float64';

/** Typed array for a data type. */
export type PixelArray = Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array;

/** TIFF Compression tag values the engine knows by name. */
export const Compression = {
  None: 1,
  Lzw: 5,
  OldJpeg: 6,
  Jpeg: 7,
  AdobeDeflate: 8,
  PackBits: 32773,
  Deflate: 32946,
  Lerc: 34887,
  Zstd: 50000,
  Webp: 50001,
} as const;

/** GDAL-style affine geotransform: x = t[0] + col*t[1] + row*t[2]; y = t[3] + col*t[4] + row*t[5] (pixel corner). */
export type GeoTransform = [number, number, number, number, number, number];

/** A coordinate reference system as the engine needs it. */
export interface CrsInfo {
  /** EPSG code when the GeoKeys name one (projected or geographic). */
  epsg?: number;
  /** proj4 definition string usable by `proj4` (always set when the CRS is known). */
  proj4: string;
  /** True for geographic (lon/lat degree) CRSs. */
  geographic: boolean;
  /** The CRS's name in the EPSG registry (when it has a code). */
  name?: string;
  /**
   * EPSG code of the geographic CRS whose transformations to WGS 84 apply (set for EPSG CRSs): the shift in
   * `proj4` is the one PROJ picks at the centre of the CRS's area of use until `crsAt` picks it at the data.
   */
  geographicBase?: number;
  /** Where PROJ would use a grid file here instead of `proj4`'s shift: the grid and the shift's own accuracy (m). */
  gridNote?: { grid: string; helmertAccuracy: number | null };
}

/**
 * One resolution level of an image (level 0 = full resolution, then overviews, or the mask's levels).
 * Strips are described as tiles of `tileWidth = width` and `tileHeight = RowsPerStrip`.
 */
export interface RasterLevel {
  /** Image size in pixels */
  width: number;
  height: number;
  /** Tile (or strip) size in pixels */
  tileWidth: number;
  tileHeight: number;
  /** Number of tiles across and down */
  tilesAcross: number;
  tilesDown: number;
  /** True when the TIFF uses TileWidth/TileLength; false for strips */
  tiled: boolean;
  /**
   * Byte offset and length of each tile, index `plane * tilesAcross * tilesDown + ty * tilesAcross + tx`
   * (one plane unless PlanarConfiguration = 2). 0/0 is a sparse (empty) tile.
   */
  offsets: number[];
  byteCounts: number[];
  /** TIFF IFD index of this level in the file (for diagnostics). */
  ifdIndex: number;
  /** This level's own JPEGTables, only when they differ from `RasterInfo.jpegTables` */
  jpegTables?: Uint8Array;
}

/** A whole image as read from a TIFF: structure, georeferencing and pixel semantics; no pixels. */
export interface RasterInfo {
  /** Absolute path of the file */
  path: string;
  /** File size in bytes */
  fileSize: number;
  littleEndian: boolean;
  bigTiff: boolean;
  /** Number of samples per pixel (bands, including alpha) */
  bands: number;
  dataType: DataType;
  /** TIFF Compression tag value */
  compression: number;
  /** TIFF Predictor: 1 none, 2 horizontal, 3 floating point */
  predictor: 1 | 2 | 3;
  /** 1 = chunky (pixel interleaved), 2 = planar (band interleaved) */
  planarConfiguration: 1 | 2;
  /** TIFF PhotometricInterpretation (2 RGB, 6 YCbCr for JPEG, 1 MinIsBlack, 3 Palette, ...) */
  photometric: number;
  /** TIFF ExtraSamples (e.g. [2] for an unassociated alpha band) */
  extraSamples: number[];
  /** JPEGTables tag bytes (to splice before each JPEG tile), when present */
  jpegTables?: Uint8Array;
  /** JPEG quality used to write (from GDAL metadata), when known */
  jpegQuality?: number;
  /** LERC parameters from the LercParameters tag ([version, additional compression]) */
  lercParameters?: number[];
  /** GDAL_NODATA as a number (NaN allowed), or null when none is declared */
  nodata: number | null;
  /** TIFF ColorMap (3 * 2^bits uint16 values), for palette images */
  colorMap?: number[];
  /** Full resolution first, then overviews (decreasing size) */
  levels: RasterLevel[];
  /** GDAL internal mask levels (same order as `levels`), when the file has an internal mask */
  mask?: {
    /** `levels[i]` is the mask of image level i; shorter than the image's levels when some overview has no mask */
    levels: RasterLevel[];
    compression: number;
    predictor: 1 | 2 | 3;
    /** BitsPerSample of the mask IFDs: 1 (GDAL's default, packed MSB first) or 8 */
    bitsPerSample: 1 | 8;
  };
  /** Georeferencing */
  geo: {
    crs: CrsInfo | null;
    /** Geotransform of level 0, pixel-corner convention (PixelIsPoint already shifted by half a pixel, as GDAL does) */
    transform: GeoTransform;
    /** Raster type from the GeoKeys: true for PixelIsPoint */
    pixelIsPoint: boolean;
    /** Raw GeoTIFF tags to carry into outputs unchanged (GeoKeyDirectory, GeoDoubleParams, GeoAsciiParams) */
    geoKeyDirectory?: number[];
    geoDoubleParams?: number[];
    geoAsciiParams?: string;
  };
  /** GDAL_METADATA XML, when present (carried over to outputs) */
  gdalMetadata?: string;
}
