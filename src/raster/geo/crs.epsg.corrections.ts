/**
 * Corrections to the EPSG registry package, each found and checked by the EPSG sweep against GDAL
 * (`npm run crs:sweep`; a stratified sample runs in `npm test`). What the package leaves out and PROJ knows
 * (proj4 definitions, axis directions, method names, base CRSs) is generated in `crs.epsg.gaps.ts`.
 */

/** What we change about one registry entry. */
export interface Correction {
  /** A whole proj4 definition replacing the registry's. */
  proj4?: string;
  /** The projection method's name, where neither the registry nor PROJ gives one. */
  method?: string;
  /** Refuse the CRS, for this reason (proj4js would run it but place it elsewhere than PROJ). */
  refuse?: string;
}

/** EPSG code → correction: CRSs refused by name rather than placed wrongly. */
export const CORRECTIONS: Readonly<Record<number, Correction>> = {
  // GDAL reads a GeoTIFF in EPSG:4266 back with the datum "M_poraloko" (its apostrophe lost), which PROJ then
  // cannot relate to WGS 84: gdalinfo places it 115 m from where PROJ's own transformation (and gdaltransform) do.
  4266: { refuse: 'GDAL places GeoTIFFs in it without a datum shift (it reads the datum back as "M_poraloko"), 115 m from PROJ\'s transformation' }, // M'poraloko
  8995: { refuse: 'GDAL itself cannot place it (PROJ has no inverse for it)' }, // ITRF96
  8996: { refuse: 'GDAL itself cannot place it (PROJ has no inverse for it)' }, // ITRF97
  8997: { refuse: 'GDAL itself cannot place it (PROJ has no inverse for it)' }, // ITRF2000
  8998: { refuse: 'GDAL itself cannot place it (PROJ has no inverse for it)' }, // ITRF2005
  9000: { refuse: 'GDAL itself cannot place it (PROJ has no inverse for it)' }, // ITRF2014
};
