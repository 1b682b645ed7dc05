/**
 * proj4 strings for CRSs the GeoKeys spell out parameter by parameter (code 32767, "user-defined"),
 * the way GDAL's geo_normalize reads them: datum or ellipsoid, projection method and its parameters,
 * with the same fallbacks between equivalent keys.
 */
import { AppError } from '../../errors/app.error.js';
import { crsForEpsg } from './crs.epsg.js';
import { GeoKey as K, USER_DEFINED, type GeoKeys } from './crs.geokeys.js';

/** Geodetic datum code → proj4 datum part. */
const DATUMS: Readonly<Record<number, string>> = {
  6326: '+datum=WGS84',
  6269: '+datum=NAD83',
  6258: '+ellps=GRS80 +towgs84=0,0,0,0,0,0,0', // ETRS89
  6167: '+ellps=GRS80 +towgs84=0,0,0,0,0,0,0', // NZGD2000
  6283: '+ellps=GRS80 +towgs84=0,0,0,0,0,0,0', // GDA94
  6674: '+ellps=GRS80 +towgs84=0,0,0,0,0,0,0', // SIRGAS 2000
};

/** Ellipsoid code → proj4 axes (spelled out: some of proj4js's named ellipsoids differ from EPSG's). */
const ELLIPSOIDS: Readonly<Record<number, string>> = {
  7030: '+a=6378137 +rf=298.257223563', // WGS 84
  7019: '+a=6378137 +rf=298.257222101', // GRS 1980
  7022: '+a=6378388 +rf=297', // International 1924
  7004: '+a=6377397.155 +rf=299.1528128', // Bessel 1841
  7008: '+a=6378206.4 +b=6356583.8', // Clarke 1866
  7001: '+a=6377563.396 +rf=299.3249646', // Airy 1830
  7043: '+a=6378135 +rf=298.26', // WGS 72
  7012: '+a=6378249.145 +rf=293.465', // Clarke 1880 (RGS)
};

/** Linear unit code → metres per unit. */
const LINEAR_UNITS: Readonly<Record<number, number>> = { 9001: 1, 9002: 0.3048, 9003: 1200 / 3937, 9036: 1000 };

/** The datum/ellipsoid part of a proj4 string from the geographic GeoKeys (WGS 84 when none is given). */
export function geographicPart(keys: GeoKeys): string {
  const code = keys.num(K.GeographicType);
  if (code !== undefined && code !== USER_DEFINED) {
    const crs = crsForEpsg(code);
    if (!crs.geographic) throw new AppError('unsupported_crs', `EPSG:${code} in GeographicTypeGeoKey is not a geographic CRS`);
    return crs.proj4.replace(/\+proj=longlat\s*/, '').replace(/\s*\+(no_defs|units=grad)\b/g, '').trim();
  }
  const datum = keys.num(K.GeogGeodeticDatum);
  if (datum !== undefined && DATUMS[datum]) return DATUMS[datum];
  const parts: string[] = [];
  const ellipsoid = keys.num(K.GeogEllipsoid);
  const a = keys.num(K.GeogSemiMajorAxis);
  const rf = keys.num(K.GeogInvFlattening);
  const b = keys.num(K.GeogSemiMinorAxis);
  if (ellipsoid !== undefined && ELLIPSOIDS[ellipsoid]) parts.push(ELLIPSOIDS[ellipsoid]);
  else if (a !== undefined && rf !== undefined) parts.push(rf === 0 ? `+a=${a} +b=${a}` : `+a=${a} +rf=${rf}`);
  else if (a !== undefined && b !== undefined) parts.push(`+a=${a} +b=${b}`);
  else if (a !== undefined) parts.push(`+a=${a} +b=${a}`);
  else parts.push('+datum=WGS84');
  const towgs84 = keys.nums(K.GeogTOWGS84);
  if (towgs84 && (towgs84.length === 3 || towgs84.length === 7) && !parts[0].startsWith('+datum')) {
    parts.push(`+towgs84=${[...towgs84, ...(towgs84.length === 3 ? [0, 0, 0, 0] : [])].join(',')}`);
  }
  const pm = keys.num(K.GeogPrimeMeridianLong);
  if (pm !== undefined && pm !== 0) parts.push(`+pm=${angle(keys, pm)}`);
  return parts.join(' ');
}

/** A proj4 string for a projected CRS given by ProjectionGeoKey or ProjCoordTransGeoKey and its parameters. */
export function userProjectedProj4(keys: GeoKeys): string {
  const geog = geographicPart(keys);
  const unitCode = keys.num(K.ProjLinearUnits) ?? 9001;
  const toMetre = unitCode === USER_DEFINED ? keys.num(K.ProjLinearUnitSize) : LINEAR_UNITS[unitCode];
  if (toMetre === undefined || !(toMetre > 0)) throw new AppError('unsupported_crs', `Linear unit ${unitCode} is not supported`);
  const units = toMetre === 1 ? '+units=m' : `+to_meter=${toMetre}`;
  const projection = keys.num(K.Projection);
  if (projection !== undefined && projection !== USER_DEFINED) {
    const zone = projection % 100;
    const hemisphere = Math.floor(projection / 100);
    if ((hemisphere === 160 || hemisphere === 161) && zone >= 1 && zone <= 60) {
      return `+proj=utm +zone=${zone}${hemisphere === 161 ? ' +south' : ''} ${geog} ${units} +no_defs`;
    }
    if (!keys.has(K.ProjCoordTrans)) throw new AppError('unsupported_crs', `Projection code ${projection} (ProjectionGeoKey) is not supported`);
  }
  const method = keys.num(K.ProjCoordTrans);
  if (method === undefined) throw new AppError('unsupported_crs', 'A projected CRS without ProjectedCSTypeGeoKey, ProjectionGeoKey or ProjCoordTransGeoKey is not supported');
  return `${projectionPart(keys, method, toMetre)} ${geog} ${units} +no_defs`;
}

function projectionPart(keys: GeoKeys, method: number, toMetre: number): string {
  const deg = (...ids: number[]): number => angle(keys, keys.first(...ids) ?? 0);
  const metres = (...ids: number[]): number => (keys.first(...ids) ?? 0) * toMetre;
  const scale = (): number => keys.first(K.ProjScaleAtNatOrigin, K.ProjScaleAtCenter) ?? 1;
  const fe = (): string => `+x_0=${metres(K.ProjFalseEasting, K.ProjCenterEasting, K.ProjFalseOriginEasting)} +y_0=${metres(K.ProjFalseNorthing, K.ProjCenterNorthing, K.ProjFalseOriginNorthing)}`;
  const natLat = (): number => deg(K.ProjNatOriginLat, K.ProjFalseOriginLat, K.ProjCenterLat);
  const natLon = (): number => deg(K.ProjNatOriginLong, K.ProjFalseOriginLong, K.ProjCenterLong);
  const centerLat = (): number => deg(K.ProjCenterLat, K.ProjNatOriginLat, K.ProjFalseOriginLat);
  const centerLon = (): number => deg(K.ProjCenterLong, K.ProjNatOriginLong, K.ProjFalseOriginLong);
  switch (method) {
    case 1:
      return `+proj=tmerc +lat_0=${natLat()} +lon_0=${natLon()} +k=${scale()} ${fe()}`;
    case 7:
      return keys.has(K.ProjStdParallel1)
        ? `+proj=merc +lat_ts=${deg(K.ProjStdParallel1)} +lon_0=${natLon()} ${fe()}`
        : `+proj=merc +lon_0=${natLon()} +k=${scale()} ${fe()}`;
    case 8: {
      const x0 = metres(K.ProjFalseOriginEasting, K.ProjFalseEasting);
      const y0 = metres(K.ProjFalseOriginNorthing, K.ProjFalseNorthing);
      const lat0 = deg(K.ProjFalseOriginLat, K.ProjNatOriginLat);
      const lon0 = deg(K.ProjFalseOriginLong, K.ProjNatOriginLong);
      return `+proj=lcc +lat_1=${deg(K.ProjStdParallel1)} +lat_2=${deg(K.ProjStdParallel2)} +lat_0=${lat0} +lon_0=${lon0} +x_0=${x0} +y_0=${y0}`;
    }
    case 9:
      return `+proj=lcc +lat_1=${natLat()} +lat_0=${natLat()} +lon_0=${natLon()} +k_0=${scale()} ${fe()}`;
    case 10:
      return `+proj=laea +lat_0=${centerLat()} +lon_0=${centerLon()} ${fe()}`;
    case 11:
      return `+proj=aea +lat_1=${deg(K.ProjStdParallel1)} +lat_2=${deg(K.ProjStdParallel2)} +lat_0=${natLat()} +lon_0=${natLon()} ${fe()}`;
    case 12:
      return `+proj=aeqd +lat_0=${centerLat()} +lon_0=${centerLon()} ${fe()}`;
    case 14:
      return `+proj=stere +lat_0=${natLat()} +lon_0=${natLon()} +k=${scale()} ${fe()}`;
    case 15: {
      const latTs = natLat();
      const lon0 = deg(K.ProjStraightVertPoleLong, K.ProjNatOriginLong);
      const pole = latTs < 0 ? -90 : 90;
      return Math.abs(latTs) === 90
        ? `+proj=stere +lat_0=${pole} +lon_0=${lon0} +k=${scale()} ${fe()}`
        : `+proj=stere +lat_0=${pole} +lat_ts=${latTs} +lon_0=${lon0} ${fe()}`;
    }
    case 16:
      return `+proj=sterea +lat_0=${natLat()} +lon_0=${natLon()} +k=${scale()} ${fe()}`;
    case 17:
      return `+proj=eqc +lat_ts=${deg(K.ProjStdParallel1)} +lat_0=${natLat()} +lon_0=${centerLon()} ${fe()}`;
    case 18:
      return `+proj=cass +lat_0=${natLat()} +lon_0=${natLon()} ${fe()}`;
    case 21:
      return `+proj=ortho +lat_0=${centerLat()} +lon_0=${centerLon()} ${fe()}`;
    case 24:
      return `+proj=sinu +lon_0=${centerLon()} ${fe()}`;
    case 28:
      return `+proj=cea +lat_ts=${deg(K.ProjStdParallel1)} +lon_0=${natLon()} ${fe()}`;
    default:
      throw new AppError('unsupported_crs', `Coordinate transformation ${method} (ProjCoordTransGeoKey) is not supported`);
  }
}

/** An angle GeoKey value in degrees (GeogAngularUnitsGeoKey: 9102 degree by default, 9101 radian, 9105 grad). */
function angle(keys: GeoKeys, value: number): number {
  const unit = keys.num(K.GeogAngularUnits) ?? 9102;
  if (unit === 9101) return (value * 180) / Math.PI;
  if (unit === 9105) return value * 0.9;
  return value;
}
