/**
 * `openRaster`: a GeoTIFF's structure, georeferencing and pixel semantics as a plain `RasterInfo`,
 * from its headers only (never its pixels). Levels are the full-resolution image and its internal
 * overviews (NewSubfileType bit 0); GDAL internal masks (bit 2 + PhotometricInterpretation 4) are
 * matched to the image levels by size.
 */
import { AppError } from '../../errors/app.error.js';
import { jpegQualityOf } from '../decode/jpeg.quality.js';
import { sampleBytes } from '../decode/pixel.array.js';
import { crsAtRaster } from '../geo/crs.at.raster.js';
import { crsFromAuxXml } from '../geo/crs.aux.xml.js';
import { crsFromGeoKeys } from '../geo/crs.from.geokeys.js';
import { GeoKey, GeoKeys } from '../geo/crs.geokeys.js';
import { Compression, type CrsInfo, type GeoTransform, type RasterInfo, type RasterLevel } from '../raster.types.js';
import { geoTransformOf } from './geo.transform.js';
import { walkIfds, type IfdEntryCounts } from './ifd.guard.js';
import { parseIfds } from './ifd.parse.js';
import { buildLevel, type LevelContext } from './level.build.js';
import { parseNodata } from './nodata.parse.js';
import { resolveReadLimits, type ReadLimits } from './read.limits.js';
import { HeaderSource } from './header.source.js';
import { dataTypeOf } from './sample.format.js';
import { FileSource, type Source } from './source.js';
import { Tag, TiffTags } from './tiff.tags.js';

const SUBFILE_REDUCED = 1;
const SUBFILE_MASK = 4;
const PHOTOMETRIC_MASK = 4;

/** Read a GeoTIFF's headers into a `RasterInfo` (the file is opened and closed here). */
export async function openRaster(path: string, limits?: Partial<ReadLimits>): Promise<RasterInfo> {
  const source = await FileSource.open(path);
  try {
    return await readRasterInfo(source, limits);
  } finally {
    await source.close();
  }
}

/** Read a GeoTIFF's headers from an open source. */
export async function readRasterInfo(source: Source, limits?: Partial<ReadLimits>): Promise<RasterInfo> {
  const lim = resolveReadLimits(limits);
  const { path } = source;
  const layout = await walkIfds(source, lim);
  const tags = (await parseIfds(await HeaderSource.prefetch(source, layout), layout)).map((ifd) => new TiffTags(ifd));
  const main = tags[0];
  const bands = main.num(Tag.SamplesPerPixel) ?? 1;
  if (bands < 1) throw new AppError('invalid_tiff', `${path}: SamplesPerPixel is ${bands}`);
  if (bands > lim.maxBands) throw new AppError('raster_too_large', `${path}: ${bands} samples per pixel (limit ${lim.maxBands})`);
  const dataType = dataTypeOf(path, main.nums(Tag.BitsPerSample), main.nums(Tag.SampleFormat));
  const predictor = main.num(Tag.Predictor) ?? 1;
  if (predictor !== 1 && predictor !== 2 && predictor !== 3) throw new AppError('unsupported_tiff', `${path}: Predictor ${predictor} is not supported`);
  const planar = main.num(Tag.PlanarConfiguration) ?? 1;
  if (planar !== 1 && planar !== 2) throw new AppError('invalid_tiff', `${path}: PlanarConfiguration ${planar}`);
  const compression = main.num(Tag.Compression) ?? Compression.None;
  const photometric = main.num(Tag.Photometric) ?? (bands >= 3 ? 2 : 1);
  const ctx: LevelContext = { path, fileSize: source.size, limits: lim, bands, planes: planar === 2 ? bands : 1, bytesPerPixel: bands * sampleBytes(dataType) };

  const images: { tags: TiffTags; index: number }[] = [{ tags: main, index: 0 }];
  const masks: { tags: TiffTags; index: number }[] = [];
  for (let i = 1; i < tags.length; i++) {
    const t = tags[i];
    const subfile = t.num(Tag.NewSubfileType) ?? 0;
    if (subfile & SUBFILE_MASK && t.num(Tag.Photometric) === PHOTOMETRIC_MASK) masks.push({ tags: t, index: i });
    else if (subfile & SUBFILE_REDUCED && sameLayout(main, t)) images.push({ tags: t, index: i });
  }
  const jpegTables = main.bytes(Tag.JPEGTables);
  const levels = images
    .map(({ tags: t, index }) => withTables(buildLevel(t, layout.ifds[index], index, ctx), t.bytes(Tag.JPEGTables), jpegTables))
    .sort((a, b) => b.width - a.width || b.height - a.height);

  const geoKeyDirectory = main.nums(Tag.GeoKeyDirectory);
  const geoDoubleParams = main.nums(Tag.GeoDoubleParams);
  const geoAsciiParams = main.text(Tag.GeoAsciiParams);
  const pixelIsPoint = geoKeyDirectory ? GeoKeys.parse(geoKeyDirectory, geoDoubleParams, geoAsciiParams).num(GeoKey.GTRasterType) === 2 : false;
  const transform = geoTransformOf(
    { pixelScale: main.nums(Tag.ModelPixelScale), tiepoint: main.nums(Tag.ModelTiepoint), transformation: main.nums(Tag.ModelTransformation) },
    pixelIsPoint,
  );
  const lercParameters = main.nums(Tag.LercParameters);
  const colorMap = photometric === 3 ? main.nums(Tag.ColorMap) : undefined;
  const gdalMetadata = main.text(Tag.GdalMetadata);
  const jpegQuality = compression === Compression.Jpeg && jpegTables ? jpegQualityOf(jpegTables) : undefined;
  const mask = maskOf(masks, levels, layout.ifds, ctx);
  return {
    path,
    fileSize: source.size,
    littleEndian: layout.littleEndian,
    bigTiff: layout.bigTiff,
    bands,
    dataType,
    compression,
    predictor,
    planarConfiguration: planar,
    photometric,
    extraSamples: main.nums(Tag.ExtraSamples) ?? [],
    ...(jpegTables ? { jpegTables } : {}),
    ...(jpegQuality !== undefined ? { jpegQuality } : {}),
    ...(lercParameters ? { lercParameters } : {}),
    nodata: parseNodata(main.text(Tag.GdalNodata)),
    ...(colorMap ? { colorMap } : {}),
    levels,
    ...(mask ? { mask } : {}),
    geo: {
      crs: placedCrs(crsFromGeoKeys(geoKeyDirectory, geoDoubleParams, geoAsciiParams) ?? (await auxXmlCrs(source)), transform, levels[0]),
      transform,
      pixelIsPoint,
      ...(geoKeyDirectory ? { geoKeyDirectory } : {}),
      ...(geoDoubleParams ? { geoDoubleParams } : {}),
      ...(geoAsciiParams !== undefined ? { geoAsciiParams } : {}),
    },
    ...(gdalMetadata !== undefined ? { gdalMetadata } : {}),
  };
}

/** The CRS with the datum shift PROJ applies at the raster's centre. */
function placedCrs(crs: CrsInfo | null, transform: GeoTransform, level: RasterLevel | undefined): CrsInfo | null {
  return crs && level ? crsAtRaster(crs, transform, level.width, level.height) : crs;
}

/** An overview IFD the engine can read with the main IFD's settings (GDAL-made overviews always are). */
function sameLayout(main: TiffTags, t: TiffTags): boolean {
  const keys = [Tag.SamplesPerPixel, Tag.Compression, Tag.Predictor, Tag.PlanarConfiguration, Tag.Photometric];
  const same = (tag: number): boolean => String(main.nums(tag) ?? '') === String(t.nums(tag) ?? '');
  return keys.every(same) && same(Tag.BitsPerSample) && same(Tag.SampleFormat);
}

/** Keep a level's own JPEGTables only when they differ from the main IFD's. */
function withTables(level: RasterLevel, own: Uint8Array | undefined, main: Uint8Array | undefined): RasterLevel {
  if (!own || (main && own.length === main.length && own.every((v, i) => v === main[i]))) return level;
  return { ...level, jpegTables: own };
}

/** The internal mask, its levels aligned with the image levels (cut at the first level without one). */
function maskOf(masks: { tags: TiffTags; index: number }[], levels: RasterLevel[], ifds: IfdEntryCounts[], ctx: LevelContext): RasterInfo['mask'] {
  if (masks.length === 0) return undefined;
  const first = masks[0].tags;
  const bits = first.num(Tag.BitsPerSample) ?? 1;
  if ((bits !== 1 && bits !== 8) || (first.num(Tag.SamplesPerPixel) ?? 1) !== 1) return undefined;
  const maskCtx: LevelContext = { ...ctx, bands: 1, planes: 1, bytesPerPixel: 1 };
  const out: RasterLevel[] = [];
  for (const level of levels) {
    const m = masks.find(({ tags: t }) => t.num(Tag.ImageWidth) === level.width && t.num(Tag.ImageLength) === level.height);
    if (!m) break;
    const maskLevel = buildLevel(m.tags, ifds[m.index], m.index, maskCtx);
    // The engine reads a mask tile at its image tile's grid position (as GDAL writes masks).
    if (maskLevel.tileWidth !== level.tileWidth || maskLevel.tileHeight !== level.tileHeight || maskLevel.tiled !== level.tiled) {
      throw new AppError('unsupported_tiff', `${ctx.path} (IFD ${m.index}): the internal mask's ${maskLevel.tileWidth}x${maskLevel.tileHeight} blocks differ from the image's ${level.tileWidth}x${level.tileHeight}`);
    }
    out.push(maskLevel);
  }
  if (out.length === 0) return undefined;
  const predictor = first.num(Tag.Predictor) ?? 1;
  return { levels: out, compression: first.num(Tag.Compression) ?? Compression.None, predictor: predictor === 2 ? 2 : 1, bitsPerSample: bits };
}

/** The CRS GDAL keeps in the `.aux.xml` beside a GeoTIFF whose GeoKeys name none (read through the source's own port), or null. */
async function auxXmlCrs(source: Source): Promise<CrsInfo | null> {
  const xml = await source.sidecar?.('.aux.xml');
  return xml ? crsFromAuxXml(Buffer.from(xml).toString('utf8')) : null;
}
