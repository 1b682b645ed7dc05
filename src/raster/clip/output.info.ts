/**
 * The RasterInfo a reader will find in a clip's output, known before it is written (from the source and
 * the output format): its tiles can be decoded from the bytes as they are written (summary.gather.ts),
 * and its footprint placed. Only the tile offsets and the file's size are unknown here.
 */
import { Compression, type GeoTransform, type RasterInfo, type RasterLevel } from '../raster.types.js';
import { usableNodata, type OutputFormat } from './output.format.js';

/** `path`: how errors name the output (its file name). */
export function outputRasterInfo(source: RasterInfo, fmt: OutputFormat, sizes: { width: number; height: number }[], transform: GeoTransform, path: string): RasterInfo {
  const levels: RasterLevel[] = sizes.map((s, i) => ({
    width: s.width, height: s.height, tileWidth: fmt.tileWidth, tileHeight: fmt.tileHeight,
    tilesAcross: Math.ceil(s.width / fmt.tileWidth), tilesDown: Math.ceil(s.height / fmt.tileHeight), tiled: true, offsets: [], byteCounts: [], ifdIndex: i,
  }));
  return {
    path, fileSize: 0, littleEndian: true, bigTiff: false, bands: source.bands, dataType: source.dataType,
    compression: fmt.compression, predictor: fmt.predictor, planarConfiguration: 1, photometric: fmt.photometric, extraSamples: source.extraSamples,
    ...(fmt.jpegTables ? { jpegTables: fmt.jpegTables } : {}),
    nodata: usableNodata(source),
    ...(source.colorMap ? { colorMap: source.colorMap } : {}),
    levels,
    ...(fmt.useMask ? { mask: { levels, compression: Compression.AdobeDeflate, predictor: 1, bitsPerSample: 1 } } : {}),
    geo: { ...source.geo, transform },
  };
}
