/**
 * Typed access to the tag values of one IFD as geotiff.js parsed them (eagerly: every value is
 * loaded, typed arrays for arrays, strings for ASCII).
 */
import type { ImageFileDirectory } from 'geotiff';

/** TIFF tag numbers the reader uses. */
export const Tag = {
  NewSubfileType: 254,
  ImageWidth: 256,
  ImageLength: 257,
  BitsPerSample: 258,
  Compression: 259,
  Photometric: 262,
  StripOffsets: 273,
  SamplesPerPixel: 277,
  RowsPerStrip: 278,
  StripByteCounts: 279,
  PlanarConfiguration: 284,
  Predictor: 317,
  ColorMap: 320,
  TileWidth: 322,
  TileLength: 323,
  TileOffsets: 324,
  TileByteCounts: 325,
  ExtraSamples: 338,
  SampleFormat: 339,
  JPEGTables: 347,
  ModelPixelScale: 33550,
  ModelTiepoint: 33922,
  ModelTransformation: 34264,
  GeoKeyDirectory: 34735,
  GeoDoubleParams: 34736,
  GeoAsciiParams: 34737,
  GdalMetadata: 42112,
  GdalNodata: 42113,
  LercParameters: 50674,
} as const;

type RawValue = number | string | ArrayLike<number> | undefined;

/** The tags of one IFD. */
export class TiffTags {
  constructor(private readonly ifd: ImageFileDirectory) {}

  has(tag: number): boolean {
    return this.ifd.actualizedFields.has(tag);
  }

  private raw(tag: number): RawValue {
    return this.ifd.actualizedFields.get(tag) as RawValue;
  }

  /** A numeric tag (the first value of an array), or undefined. */
  num(tag: number): number | undefined {
    const v = this.raw(tag);
    if (typeof v === 'number') return v;
    if (v !== undefined && typeof v !== 'string' && v.length > 0) return Number(v[0]);
    return undefined;
  }

  /** All values of a numeric tag as plain numbers, or undefined. */
  nums(tag: number): number[] | undefined {
    const v = this.raw(tag);
    if (typeof v === 'number') return [v];
    if (v === undefined || typeof v === 'string') return undefined;
    return Array.from(v, Number);
  }

  /** An ASCII tag without its trailing NULs, or undefined. */
  text(tag: number): string | undefined {
    const v = this.raw(tag);
    return typeof v === 'string' ? v.replace(/\0+$/, '') : undefined;
  }

  /** A BYTE/UNDEFINED tag as a fresh byte array, or undefined. */
  bytes(tag: number): Uint8Array | undefined {
    const v = this.raw(tag);
    if (v === undefined || typeof v === 'string') return undefined;
    return typeof v === 'number' ? Uint8Array.of(v) : Uint8Array.from(v);
  }
}
