/**
 * A raster's CRS with the datum shift PROJ applies where the raster is (its centre, in the CRS's own
 * coordinates, as PROJ tests them), so every user of `RasterInfo.geo.crs` (catalog bounds, pricing, clipping,
 * tiles) places it as GDAL does.
 */
import type { CrsInfo, GeoTransform } from '../raster.types.js';
import { crsAt } from './crs.epsg.js';

/** `crs` with the shift chosen at the centre of a `width` x `height` raster on `transform`. */
export function crsAtRaster(crs: CrsInfo, transform: GeoTransform, width: number, height: number): CrsInfo {
  if (crs.geographicBase === undefined) return crs;
  const c = width / 2;
  const r = height / 2;
  return crsAt(crs, transform[0] + c * transform[1] + r * transform[2], transform[3] + c * transform[4] + r * transform[5]);
}
