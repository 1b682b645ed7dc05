/** The shape of the projection methods geopera adds to proj4js (`crs.methods.ts` registers them). */

/** A definition's parameters as a method needs them: angles in radians, lengths in metres. */
export interface MethodParams {
  /** Semi-major axis, metres */
  a: number;
  /** Eccentricity squared */
  es: number;
  /** Latitude of origin (`+lat_0`), radians */
  lat0: number;
  /** Scale factor (`+k`/`+k_0`), 1 when absent */
  k0: number;
  /** Any other parameter as written in the definition (`+h_0=100` → '100'), or undefined. */
  extra(name: string): string | undefined;
}

/**
 * A projection on the plane of its natural origin: `lam` is the longitude from the central meridian and
 * `phi` the latitude (radians); x and y are metres from the origin, false easting and northing not added.
 */
export interface PlaneMethod {
  forward(lam: number, phi: number): [number, number];
  inverse(x: number, y: number): [number, number];
}
