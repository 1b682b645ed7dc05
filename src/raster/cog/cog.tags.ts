/**
 * The IFD entries of a COG's image and mask IFDs, tag for tag as GDAL's COG driver writes them
 * (NewSubfileType omitted on the full-resolution image, 1 on overviews, 4 on the full-resolution mask,
 * 5 on mask overviews; masks 1-bit DEFLATE Photometric 4). Pure.
 */
import { Compression } from '../raster.types.js';
import { bytesPerSample } from '../encode/encode.spec.js';
import { geoEntries } from './cog.geo.js';
import { baseSamples } from './cog.spec.js';
import type { CogSpec } from './cog.spec.js';
import { TiffType, asciiEntry } from './tiff.ifd.js';
import type { TiffEntry } from './tiff.ifd.js';
import { Tag } from '../tiff.tag.js';

export { Tag };

/** The tile arrays of one IFD: file offset and byte count per tile, row-major (0/0 = sparse). */
export interface TileArrays {
  offsets: Float64Array;
  byteCounts: Uint32Array;
}

/** Compressions after which GDAL writes a Predictor tag (even 1). */
const WITH_PREDICTOR_TAG: ReadonlySet<number> = new Set([Compression.Lzw, Compression.AdobeDeflate, Compression.Deflate, Compression.Zstd]);

const short = (tag: number, ...values: number[]): TiffEntry => ({ tag, type: TiffType.Short, values });
const shortOrLong = (tag: number, v: number): TiffEntry => ({ tag, type: v > 0xffff ? TiffType.Long : TiffType.Short, values: [v] });

function tileEntries(tiles: TileArrays, bigTiff: boolean): TiffEntry[] {
  return [
    { tag: Tag.TileOffsets, type: bigTiff ? TiffType.Long8 : TiffType.Long, values: tiles.offsets },
    { tag: Tag.TileByteCounts, type: TiffType.Long, values: tiles.byteCounts },
  ];
}

/** GDAL_NODATA text as GDAL writes it ("nan", "inf", shortest round-trip decimal otherwise). */
export function nodataText(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  return String(v);
}

/** Entries of the image IFD of `level`. */
export function imageIfdEntries(spec: CogSpec, level: number, tiles: TileArrays, bigTiff: boolean): TiffEntry[] {
  const { width, height } = spec.levels[level]!;
  const bits = bytesPerSample(spec.dataType) * 8;
  const format = spec.dataType.startsWith('float') ? 3 : spec.dataType.startsWith('int') ? 2 : 1;
  const e: TiffEntry[] = [
    shortOrLong(Tag.ImageWidth, width),
    shortOrLong(Tag.ImageLength, height),
    short(Tag.BitsPerSample, ...new Array<number>(spec.bands).fill(bits)),
    short(Tag.Compression, spec.compression),
    short(Tag.Photometric, spec.photometric),
    short(Tag.SamplesPerPixel, spec.bands),
    short(Tag.PlanarConfiguration, 1),
    short(Tag.TileWidth, spec.tileWidth),
    short(Tag.TileLength, spec.tileHeight),
    ...tileEntries(tiles, bigTiff),
    short(Tag.SampleFormat, ...new Array<number>(spec.bands).fill(format)),
  ];
  if (level > 0) e.push({ tag: Tag.NewSubfileType, type: TiffType.Long, values: [1] });
  if (WITH_PREDICTOR_TAG.has(spec.compression) || spec.predictor !== 1) e.push(short(Tag.Predictor, spec.predictor));
  const extra = spec.bands - baseSamples(spec.photometric);
  if (extra > 0) e.push(short(Tag.ExtraSamples, ...Array.from({ length: extra }, (_, i) => spec.extraSamples[i] ?? 0)));
  if (spec.photometric === 3 && spec.colorMap) e.push({ tag: Tag.ColorMap, type: TiffType.Short, values: spec.colorMap });
  if (spec.jpegTables && spec.compression === Compression.Jpeg) e.push({ tag: Tag.JPEGTables, type: TiffType.Undefined, values: spec.jpegTables });
  if (spec.photometric === 6) {
    e.push(short(Tag.YCbCrSubSampling, ...(spec.ycbcrSubsampling ?? [2, 2])));
    e.push({ tag: Tag.ReferenceBlackWhite, type: TiffType.Rational, values: [0, 1, 255, 1, 128, 1, 255, 1, 128, 1, 255, 1] });
  }
  if (spec.nodata !== null) e.push(asciiEntry(Tag.GdalNodata, nodataText(spec.nodata)));
  if (level === 0) {
    e.push(...geoEntries(spec.geo));
    if (spec.gdalMetadata) e.push(asciiEntry(Tag.GdalMetadata, spec.gdalMetadata));
  }
  return e;
}

/** Entries of the mask IFD of `level`: 1-bit, DEFLATE, Photometric 4 (transparency mask). */
export function maskIfdEntries(spec: CogSpec, level: number, tiles: TileArrays, bigTiff: boolean): TiffEntry[] {
  const { width, height } = spec.levels[level]!;
  return [
    { tag: Tag.NewSubfileType, type: TiffType.Long, values: [level === 0 ? 4 : 5] },
    shortOrLong(Tag.ImageWidth, width),
    shortOrLong(Tag.ImageLength, height),
    short(Tag.BitsPerSample, 1),
    short(Tag.Compression, Compression.AdobeDeflate),
    short(Tag.Photometric, 4),
    short(Tag.SamplesPerPixel, 1),
    short(Tag.PlanarConfiguration, 1),
    short(Tag.Predictor, 1),
    short(Tag.TileWidth, spec.tileWidth),
    short(Tag.TileLength, spec.tileHeight),
    ...tileEntries(tiles, bigTiff),
    short(Tag.SampleFormat, 1),
  ];
}
