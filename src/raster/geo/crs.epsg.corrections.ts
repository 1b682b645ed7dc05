/**
 * Corrections to the EPSG registry package, each found and checked by the EPSG sweep against GDAL
 * (`npm run crs:sweep`; a stratified sample runs in `npm test`).
 */

/** What we change about one registry entry. */
export interface Correction {
  /** A whole proj4 definition replacing the registry's. */
  proj4?: string;
  /** The projection method's name, where the registry has no WKT to take it from. */
  method?: string;
  /** Refuse the CRS, for this reason (proj4js would run it but place it elsewhere than PROJ). */
  refuse?: string;
}

/** EPSG code → correction. */
export const CORRECTIONS: Readonly<Record<number, Correction>> = {};
