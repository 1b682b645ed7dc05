/**
 * GeoTIFF georeferencing tags from a geotransform and the source's raw GeoKeys, as GDAL writes them:
 * ModelPixelScale + ModelTiepoint for north-up images, ModelTransformation otherwise; PixelIsPoint
 * moves the reference from the pixel corner to the pixel centre. Pure.
 */
import type { GeoTransform } from '../raster.types.js';
import { Tag } from '../tiff.tag.js';
import type { CogGeo } from './cog.spec.js';
import { TiffType, asciiEntry } from './tiff.ifd.js';
import type { TiffEntry } from './tiff.ifd.js';


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
    out.push({ tag: Tag.ModelPixelScale, type: TiffType.Double, values: [t[1], -t[5], 0] });
    out.push({ tag: Tag.ModelTiepoint, type: TiffType.Double, values: [0, 0, 0, t[0], t[3], 0] });
  } else {
    const m = [t[1], t[2], 0, t[0], t[4], t[5], 0, t[3], 0, 0, 0, 0, 0, 0, 0, 1];
    out.push({ tag: Tag.ModelTransformation, type: TiffType.Double, values: m });
  }
  if (geo.geoKeyDirectory?.length) out.push({ tag: Tag.GeoKeyDirectory, type: TiffType.Short, values: geo.geoKeyDirectory });
  if (geo.geoDoubleParams?.length) out.push({ tag: Tag.GeoDoubleParams, type: TiffType.Double, values: geo.geoDoubleParams });
  if (geo.geoAsciiParams) out.push(asciiEntry(Tag.GeoAsciiParams, geo.geoAsciiParams));
  return out;
}
