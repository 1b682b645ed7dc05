/**
 * What proj4js can run: a proj4 string is runnable when proj4js knows its projection and honours every
 * parameter that changes where a point lands. proj4js silently ignores parameters it does not know, so
 * the few PROJ emits that proj4js would ignore are refused by name rather than placed wrongly.
 */
import proj4 from 'proj4';
import { proj4Definition } from './crs.transform.js';

/** PROJ parameters proj4js ignores although they move points (found by the EPSG sweep against GDAL). */
const IGNORED_BY_PROJ4JS: Readonly<Record<string, string>> = {
  lon_wrap: 'longitude wrapping',
};

/** Why proj4js cannot run `def`, or undefined when it can. */
export function proj4Refusal(def: string): string | undefined {
  for (const [param, what] of Object.entries(IGNORED_BY_PROJ4JS)) {
    if (new RegExp(`\\+${param}(=|\\s|$)`).test(def)) return `proj4js does not implement ${what} (+${param})`;
  }
  try {
    proj4(proj4Definition(def));
  } catch (err) {
    return `proj4js cannot build it: ${(err as Error).message}`;
  }
  return undefined;
}
