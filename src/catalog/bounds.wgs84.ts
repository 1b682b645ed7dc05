/** Footprints and bounds of a raster in EPSG:4326, from its geotransform and CRS (edges densified). */
import { crsConverter, degreesPerUnit } from '../raster/geo/crs.transform.js';
import { metresPerUnit } from '../raster/geo/crs.units.js';
import type { RasterInfo } from '../raster/raster.types.js';

/** Outline of the raster in lon/lat: its four edges sampled at `steps` points each (closed ring). */
export function footprintRing(info: Pick<RasterInfo, 'geo' | 'levels'>, steps = 16): [number, number][] {
  const { width, height } = info.levels[0]!;
  const t = info.geo.transform;
  const toGeo = (c: number, r: number): [number, number] => [t[0] + c * t[1] + r * t[2], t[3] + c * t[4] + r * t[5]];
  const pts: [number, number][] = [];
  const edge = (c0: number, r0: number, c1: number, r1: number): void => {
    for (let i = 0; i < steps; i++) pts.push(toGeo(c0 + ((c1 - c0) * i) / steps, r0 + ((r1 - r0) * i) / steps));
  };
  edge(0, 0, width, 0);
  edge(width, 0, width, height);
  edge(width, height, 0, height);
  edge(0, height, 0, 0);
  const crs = info.geo.crs;
  const toLonLat = crs && !isWgs84(crs) ? crsConverter(crs.proj4, 'EPSG:4326') : undefined;
  const ring = toLonLat ? pts.map((p) => toLonLat.forward(p)) : pts;
  ring.push([...ring[0]!]);
  return ring;
}

/** True for WGS 84 lon/lat itself (any other geographic CRS may carry a datum shift). */
function isWgs84(crs: { epsg?: number; proj4: string }): boolean {
  return crs.epsg === 4326 || /^\+proj=longlat \+datum=WGS84 \+no_defs$/.test(crs.proj4.trim());
}

/** [minLon, minLat, maxLon, maxLat] of a ring. */
export function ringBounds(ring: readonly [number, number][]): [number, number, number, number] {
  let b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of ring) b = [Math.min(b[0], x), Math.min(b[1], y), Math.max(b[2], x), Math.max(b[3], y)];
  return b.map((v) => Math.round(v * 1e7) / 1e7) as [number, number, number, number];
}

/** Union of bounds. */
export function unionBounds(all: [number, number, number, number][]): [number, number, number, number] | null {
  if (all.length === 0) return null;
  return all.reduce((a, b) => [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])]);
}

/** Ground resolution of level 0 in metres (degrees converted at the raster's centre latitude, feet to metres). */
export function resolutionMetres(info: Pick<RasterInfo, 'geo' | 'levels'>, centreLat: number): [number, number] {
  const t = info.geo.transform;
  const rx = Math.hypot(t[1], t[4]);
  const ry = Math.hypot(t[2], t[5]);
  const crs = info.geo.crs;
  if (crs?.geographic) {
    const m = 111_320 * degreesPerUnit(crs.proj4);
    return [rx * m * Math.cos((centreLat * Math.PI) / 180), ry * m];
  }
  const unit = crs ? metresPerUnit(crs) : 1;
  return [rx * unit, ry * unit];
}
