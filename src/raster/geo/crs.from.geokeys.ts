/**
 * The CRS of a GeoTIFF from its GeoKeys: an EPSG code (projected or geographic) looked up in the
 * table, or a user-defined CRS built from its parameters. Every result is a proj4 string proj4js
 * accepts; an unknown code or method is an `unsupported_crs` error naming it.
 */
import proj4 from 'proj4';
import { AppError } from '../../errors/app.error.js';
import type { CrsInfo } from '../raster.types.js';
import { GEOGRAPHIC_3D, isGeographicEpsg, proj4ForEpsg } from './crs.epsg.table.js';
import { GeoKey as K, GeoKeys, USER_DEFINED } from './crs.geokeys.js';
import { geographicPart, userProjectedProj4 } from './crs.user.defined.js';

export { proj4ForEpsg } from './crs.epsg.table.js';

/** GTModelTypeGeoKey values. */
const MODEL_PROJECTED = 1;
const MODEL_GEOGRAPHIC = 2;
const MODEL_GEOCENTRIC = 3;

/** The CRS for an EPSG code; throws `unsupported_crs` when the table does not know it. */
export function crsForEpsg(code: number): CrsInfo {
  const def = proj4ForEpsg(code);
  if (def === undefined) throw new AppError('unsupported_crs', `EPSG:${code} is not supported`);
  return { epsg: code, proj4: def, geographic: isGeographicEpsg(code) };
}

/**
 * The CRS described by the raw GeoKeyDirectory, GeoDoubleParams and GeoAsciiParams tags,
 * or null when the file has no GeoKeys (or they name no CRS at all).
 */
export function crsFromGeoKeys(directory: ArrayLike<number> | undefined, doubles?: ArrayLike<number>, ascii?: string): CrsInfo | null {
  if (!directory || directory.length < 4) return null;
  const keys = GeoKeys.parse(directory, doubles, ascii);
  const model = keys.num(K.GTModelType);
  if (model === MODEL_GEOCENTRIC) throw new AppError('unsupported_crs', 'Geocentric CRSs (GTModelTypeGeoKey 3) are not supported');
  const projected = keys.num(K.ProjectedCSType);
  if (projected !== undefined && projected !== USER_DEFINED && projected !== 0) return crsForEpsg(projected);
  const userProjection = projected === USER_DEFINED || keys.has(K.Projection) || keys.has(K.ProjCoordTrans);
  if (model === MODEL_PROJECTED || (model === undefined && userProjection)) {
    if (!userProjection) return null;
    return checked({ proj4: userProjectedProj4(keys), geographic: false });
  }
  const geographic = keys.num(K.GeographicType);
  if (geographic !== undefined && geographic !== USER_DEFINED && geographic !== 0) {
    // GDAL reports the geographic 3D CRS when the vertical key names it (e.g. RGAF09: 5489 + 5488).
    const vertical = keys.num(K.VerticalCSType);
    if (vertical !== undefined && GEOGRAPHIC_3D[vertical] === geographic) return crsForEpsg(vertical);
    return crsForEpsg(geographic);
  }
  if (model === MODEL_GEOGRAPHIC || geographic === USER_DEFINED) {
    return checked({ proj4: `+proj=longlat ${geographicPart(keys)} +no_defs`, geographic: true });
  }
  return null;
}

/** Make sure proj4js can build the definition (an invalid one is unsupported, not a crash later). */
function checked(crs: CrsInfo): CrsInfo {
  try {
    proj4(crs.proj4);
  } catch (err) {
    throw new AppError('unsupported_crs', `proj4 rejects the CRS built from the GeoKeys (${crs.proj4}): ${(err as Error).message}`);
  }
  return crs;
}
