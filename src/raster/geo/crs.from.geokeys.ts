/**
 * The CRS of a GeoTIFF from its GeoKeys: an EPSG code (projected or geographic) resolved through the
 * EPSG registry (`crs.epsg.ts`), or a user-defined CRS built from its parameters; without GeoKeys, the CRS
 * GDAL keeps in the file's `.aux.xml` (`crs.aux.xml.ts`). Every result is a proj4 string proj4js runs; an
 * unknown code or method is an `unsupported_crs` error naming it.
 */
import { AppError } from '../../errors/app.error.js';
import type { CrsInfo } from '../raster.types.js';
import { crsFromAuxXml } from './crs.aux.xml.js';
import { crsForEpsg } from './crs.epsg.js';
import { GeoKey as K, GeoKeys, USER_DEFINED } from './crs.geokeys.js';
import { proj4Refusal } from './crs.proj4.check.js';
import { registryEntry } from './crs.registry.js';
import { geographicPart, userProjectedProj4 } from './crs.user.defined.js';

export { crsForEpsg, proj4ForEpsg } from './crs.epsg.js';

/** GTModelTypeGeoKey values. */
const MODEL_PROJECTED = 1;
const MODEL_GEOGRAPHIC = 2;
const MODEL_GEOCENTRIC = 3;
/** GeogAngularUnitsGeoKey value for grads. */
const ANGULAR_GRAD = 9105;

/**
 * The CRS described by the raw GeoKeyDirectory, GeoDoubleParams and GeoAsciiParams tags; when they name no
 * CRS and the text of the GeoTIFF's `.aux.xml` is given, the one in it; else null.
 */
export function crsFromGeoKeys(directory: ArrayLike<number> | undefined, doubles?: ArrayLike<number>, ascii?: string, auxXml?: string): CrsInfo | null {
  return fromKeys(directory, doubles, ascii) ?? (auxXml !== undefined ? crsFromAuxXml(auxXml) : null);
}

function fromKeys(directory: ArrayLike<number> | undefined, doubles?: ArrayLike<number>, ascii?: string): CrsInfo | null {
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
    // GDAL reports the geographic 3D CRS when the vertical key names it (e.g. RGAF09: 5489 + 5488); its
    // horizontal part is the 2D CRS.
    const vertical = keys.num(K.VerticalCSType);
    if (vertical !== undefined && vertical !== USER_DEFINED && registryEntry(vertical)?.kind === 'CRS-GEOG3DCRS') return crsForEpsg(vertical);
    return crsForEpsg(geographic);
  }
  if (model === MODEL_GEOGRAPHIC || geographic === USER_DEFINED) {
    const grads = keys.num(K.GeogAngularUnits) === ANGULAR_GRAD ? ' +units=grad' : '';
    return checked({ proj4: `+proj=longlat ${geographicPart(keys)}${grads} +no_defs`, geographic: true });
  }
  return null;
}

/** Make sure proj4js can build the definition (an invalid one is unsupported, not a crash later). */
function checked(crs: CrsInfo): CrsInfo {
  const why = proj4Refusal(crs.proj4);
  if (why) throw new AppError('unsupported_crs', `The CRS built from the GeoKeys (${crs.proj4}) cannot be run: ${why}`);
  return crs;
}
