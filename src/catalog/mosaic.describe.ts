/** Describe a mosaic COG from its headers (never its pixels). */
import type { RasterInfo } from '../raster/raster.types.js';
import { footprintRing, resolutionMetres, ringBounds } from './bounds.wgs84.js';

const CompressionNames: Record<number, string> = {
  1: 'none', 5: 'lzw', 6: 'ojpeg', 7: 'jpeg', 8: 'deflate', 32773: 'packbits', 32946: 'deflate', 34887: 'lerc', 50000: 'zstd', 50001: 'webp',
};

export function compressionName(code: number): string {
  return CompressionNames[code] ?? `tiff-${code}`;
}

/** A mosaic as `clip.area.mosaics` lists it. */
export interface MosaicDescription {
  mosaic_type: string;
  crs: string | null;
  epsg: number | null;
  width: number;
  height: number;
  resolution_m: [number, number];
  bands: number;
  data_type: string;
  compression: string;
  tile_size: [number, number];
  overview_count: number;
  nodata: number | string | null;
  mask: boolean;
  alpha: boolean;
  bounds: [number, number, number, number];
  file_size: number;
}

export function describeMosaic(mosaicType: string, info: RasterInfo): MosaicDescription {
  const ring = footprintRing(info);
  const bounds = ringBounds(ring);
  const l0 = info.levels[0]!;
  const nodata = info.nodata === null ? null : Number.isNaN(info.nodata) ? 'nan' : info.nodata;
  return {
    mosaic_type: mosaicType,
    crs: info.geo.crs?.epsg ? `EPSG:${info.geo.crs.epsg}` : info.geo.crs ? info.geo.crs.proj4 : null,
    epsg: info.geo.crs?.epsg ?? null,
    width: l0.width,
    height: l0.height,
    resolution_m: resolutionMetres(info, (bounds[1] + bounds[3]) / 2).map((v) => Math.round(v * 1e4) / 1e4) as [number, number],
    bands: info.bands,
    data_type: info.dataType,
    compression: compressionName(info.compression),
    tile_size: [l0.tileWidth, l0.tileHeight],
    overview_count: info.levels.length - 1,
    nodata,
    mask: info.mask !== undefined,
    alpha: info.extraSamples.includes(1) || info.extraSamples.includes(2),
    bounds,
    file_size: info.fileSize,
  };
}
