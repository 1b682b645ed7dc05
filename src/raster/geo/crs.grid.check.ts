/**
 * Grid files geopera does not ship: where PROJ would shift a raster's datum with a grid (when installed),
 * we use its Helmert transformation instead (or none, PROJ's ballpark). That is refused only when the
 * difference could exceed half a pixel; below that it is documented (README, data section).
 */
import { AppError } from '../../errors/app.error.js';
import type { RasterInfo } from '../raster.types.js';
import { degreesPerUnit } from './crs.transform.js';
import { metresPerUnit } from './crs.units.js';

/** Half a pixel of `info`, metres on the ground (the smaller axis). */
export function halfPixelMetres(info: Pick<RasterInfo, 'geo'>): number {
  const t = info.geo.transform;
  const crs = info.geo.crs;
  const scale = crs?.geographic ? 110_574 * degreesPerUnit(crs.proj4) : crs ? metresPerUnit(crs) : 1;
  return (Math.min(Math.hypot(t[1], t[4]), Math.hypot(t[2], t[5])) * scale) / 2;
}

/**
 * Throws `unsupported_crs` when a raster cannot be placed on the Earth: no CRS in its GeoKeys (GDAL keeps
 * some CRSs only in a `.aux.xml` beside the file), or a datum shift without the grid PROJ would use that
 * could move it by more than half a pixel.
 */
export function assertPlaceable(info: Pick<RasterInfo, 'geo'>): void {
  const crs = info.geo.crs;
  if (!crs) throw new AppError('unsupported_crs', 'No coordinate reference system in the GeoKeys (GDAL writes some CRSs only to a .aux.xml file, which geopera does not read)');
  const note = crs.gridNote;
  if (!note) return;
  const half = halfPixelMetres(info);
  const off = note.helmertAccuracy;
  if (off !== null && off <= half) return;
  const label = crs.epsg ? `EPSG:${crs.epsg}${crs.name ? ` (${crs.name})` : ''}` : 'The CRS';
  const without = off === null ? 'without it the position is unknown to within tens to hundreds of metres' : `without it positions may be off by up to ${off} m`;
  throw new AppError('unsupported_crs', `${label}: PROJ shifts this datum to WGS 84 with the grid ${note.grid}, which geopera does not ship; ${without}, more than half a pixel (${half.toFixed(2)} m)`);
}
