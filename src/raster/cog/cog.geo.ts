/**
 * GeoTIFF georeferencing tags from a geotransform and the source's raw GeoKeys, as GDAL writes them:
 * ModelPixelScale + ModelTiepoint for north-up images, ModelTransformation otherwise; PixelIsPoint
 * moves the reference from the pixel corner to the pixel centre. Pure.
 */
import type { GeoTransform } from '../raster.types.js';
import type { CogGeo } from './cog.spec.js';
import { TiffType, asciiEntry } from './tiff.ifd.js';
import type { TiffEntry } from './tiff.ifd.js';

/** GeoTIFF tag numbers. */
export const GeoTag = {
  ModelPixelScale: 33550,
  ModelTiepoint: 33922,
  ModelTransformation: 34264,
  GeoKeyDirectory: 34735,
  GeoDoubleParams: 34736,
  GeoAsciiParams: 34737,
} as const;

/** The geotransform shifted to the convention the file declares (half a pixel in for PixelIsPoint). */
function declaredTransform(t: GeoTransform, pixelIsPoint: boolean): GeoTransform {
  if (!pixelIsPoint) return t;
  return [t[0] + 0.5 * t[1] + 0.5 * t[2], t[1], t[2], t[3] + 0.5 * t[4] + 0.5 * t[5], t[4], t[5]];
}

/** The georeferencing entries of level 0. */
export function geoEntries(geo: CogGeo): TiffEntry[] {
  const t = declaredTransform(geo.transform, geo.pixelIsPoint ?? false);
  const out: TiffEntry[] = [];
  if (t[2] === 0 && t[4] === 0 && t[5] < 0) {
    out.push({ tag: GeoTag.ModelPixelScale, type: TiffType.Double, values: [t[1], -t[5], 0] });
    out.push({ tag: GeoTag.ModelTiepoint, type: TiffType.Double, values: [0, 0, 0, t[0], t[3], 0] });
  } else {
    const m = [t[1], t[2], 0, t[0], t[4], t[5], 0, t[3], 0, 0, 0, 0, 0, 0, 0, 1];
    out.push({ tag: GeoTag.ModelTransformation, type: TiffType.Double, values: m });
  }
  if (geo.geoKeyDirectory?.length) out.push({ tag: GeoTag.GeoKeyDirectory, type: TiffType.Short, values: geo.geoKeyDirectory });
  if (geo.geoDoubleParams?.length) out.push({ tag: GeoTag.GeoDoubleParams, type: TiffType.Double, values: geo.geoDoubleParams });
  if (geo.geoAsciiParams) out.push(asciiEntry(GeoTag.GeoAsciiParams, geo.geoAsciiParams));
  return out;
}
