/**
 * A CRS's own coordinates of a longitude/latitude on its own datum, as PROJ computes them when it carries a
 * transformation's area of use into the source CRS (`reproject_bbox` of proj_create_crs_to_crs): the
 * projection alone (no datum shift), longitudes counted from the CRS's prime meridian, in the CRS's units
 * and axis directions (the raster's x and y). PROJ tests each candidate transformation against the point in
 * these coordinates, so the datum shift is chosen here the same way (`crs.datum.ts`).
 */
import proj4 from 'proj4';
import { degreesPerUnit, proj4Definition } from './crs.transform.js';

/** (lon, lat) degrees east of Greenwich and north → the CRS's (x, y), or null where it has none. */
export type ToNative = (lon: number, lat: number) => [number, number] | null;

interface RawProjection {
  forward(p: { x: number; y: number }): { x: number; y: number } | null;
  to_meter?: number;
  axis?: string;
  from_greenwich?: number;
}

const D2R = Math.PI / 180;

/** The map from (lon, lat) to the coordinates of the CRS `def` (a proj4 string). */
export function toNative(def: string): ToNative {
  const pm = primeMeridian(def);
  if (/\+proj=longlat\b/.test(def)) {
    const unit = degreesPerUnit(def);
    return (lon, lat) => [(lon - pm) / unit, lat / unit];
  }
  const proj = new proj4.Proj(proj4Definition(def)) as unknown as RawProjection;
  const toMeter = proj.to_meter ?? 1;
  const axis = proj.axis ?? 'enu';
  return (lon, lat) => {
    let q: { x: number; y: number } | null;
    try {
      // The projection proper takes longitudes from the prime meridian, in radians (proj4js subtracts it first).
      q = proj.forward({ x: (lon - pm) * D2R, y: lat * D2R });
    } catch {
      return null;
    }
    if (!q || !Number.isFinite(q.x) || !Number.isFinite(q.y)) return null;
    const e = q.x / toMeter;
    const n = q.y / toMeter;
    const along = (letter: string | undefined): number => (letter === 'w' ? -e : letter === 'n' ? n : letter === 's' ? -n : e);
    return [along(axis[0]), along(axis[1])];
  };
}

const cache = new Map<string, ToNative>();

/** `toNative(def)`, kept for the few CRSs a process meets (the cache is emptied past 256). */
export function toNativeCached(def: string): ToNative {
  let to = cache.get(def);
  if (!to) {
    if (cache.size >= 256) cache.clear();
    to = toNative(def);
    cache.set(def, to);
  }
  return to;
}

/** The prime meridian of a proj4 definition, degrees east of Greenwich (proj4js's names: paris, ferro, ...). */
export function primeMeridian(def: string): number {
  if (!/\+pm=/.test(def)) return 0;
  return ((new proj4.Proj(proj4Definition(def)) as unknown as RawProjection).from_greenwich ?? 0) / D2R;
}

/** [minX, minY, maxX, maxY] in the CRS's coordinates. */
export type NativeBox = [number, number, number, number];

/**
 * The box of a longitude/latitude area (degrees; west ≤ east) in the CRS's coordinates: its four edges at 21
 * points each, as PROJ samples them; null when no point has a position.
 */
export function nativeBox(to: ToNative, west: number, south: number, east: number, north: number): NativeBox | null {
  const steps = 20;
  const box: NativeBox = [Infinity, Infinity, -Infinity, -Infinity];
  const add = (lon: number, lat: number): void => {
    const p = to(lon, lat);
    if (!p) return;
    box[0] = Math.min(box[0], p[0]);
    box[1] = Math.min(box[1], p[1]);
    box[2] = Math.max(box[2], p[0]);
    box[3] = Math.max(box[3], p[1]);
  };
  for (let j = 0; j <= steps; j++) {
    const lon = west + (j * (east - west)) / steps;
    const lat = south + (j * (north - south)) / steps;
    add(lon, south);
    add(lon, north);
    add(west, lat);
    add(east, lat);
  }
  return box[0] <= box[2] ? box : null;
}
