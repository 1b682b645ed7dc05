/**
 * GDAL's geotransform from the GeoTIFF georeferencing tags: ModelPixelScale + ModelTiepoint first,
 * else ModelTransformation (rotation and shear included). PixelIsPoint rasters are shifted by half a
 * pixel to the pixel-corner convention, as GDAL does by default (GTIFF_POINT_GEO_IGNORE=FALSE).
 */
import type { GeoTransform } from '../raster.types.js';

/** The georeferencing tags of the full-resolution IFD. */
export interface GeoTags {
  pixelScale?: number[];
  tiepoint?: number[];
  transformation?: number[];
}

/** The identity transform GDAL reports for a file without georeferencing. */
export const IDENTITY_TRANSFORM: GeoTransform = [0, 1, 0, 0, 0, 1];

/** The level-0 geotransform (pixel-corner convention), or GDAL's default when there is none. */
export function geoTransformOf(tags: GeoTags, pixelIsPoint: boolean): GeoTransform {
  const gt = rawTransform(tags);
  if (!gt) return [...IDENTITY_TRANSFORM];
  if (pixelIsPoint) {
    gt[0] -= gt[1] * 0.5 + gt[2] * 0.5;
    gt[3] -= gt[4] * 0.5 + gt[5] * 0.5;
  }
  return gt;
}

function rawTransform({ pixelScale: s, tiepoint: t, transformation: m }: GeoTags): GeoTransform | null {
  if (s && s.length >= 2 && s[0] !== 0 && s[1] !== 0 && t && t.length >= 6) {
    return [t[3] - t[0] * s[0], s[0], 0, t[4] + t[1] * s[1], 0, -s[1]];
  }
  if (m && m.length >= 16) return [m[3], m[0], m[1], m[7], m[4], m[5]];
  return null;
}
