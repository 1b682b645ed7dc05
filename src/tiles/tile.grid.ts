/**
 * The Web Mercator (EPSG:3857) XYZ tile grid of map clients: tile bounds, the resolution of a zoom,
 * lon/lat to tile, and the zoom that matches a ground resolution.
 */

/** Half the width of the EPSG:3857 world, metres (π × 6 378 137). */
export const OriginShift = Math.PI * 6378137;

/** Width of the EPSG:3857 world, metres. */
export const WorldWidth = 2 * OriginShift;

/** Highest zoom geopera serves. */
export const MaxZoom = 30;

/** Latitude limit of Web Mercator, degrees. */
export const MaxLatitude = 85.0511287798066;

/** `[minX, minY, maxX, maxY]` in EPSG:3857 metres. */
export type MercatorBounds = [number, number, number, number];

/** `[west, south, east, north]` in degrees. */
export type LonLatBounds = [number, number, number, number];

/** One XYZ tile address. */
export interface TileAddress {
  z: number;
  x: number;
  y: number;
}

/** Size of one tile at zoom `z`, metres. */
export function tileSpan(z: number): number {
  return WorldWidth / 2 ** z;
}

/** Metres per pixel at zoom `z` for tiles of `tileSize` pixels. */
export function zoomResolution(z: number, tileSize = 256): number {
  return tileSpan(z) / tileSize;
}

/** True when x and y lie inside the grid of zoom z (and z is a served zoom). */
export function isValidTile({ z, x, y }: TileAddress): boolean {
  if (!Number.isInteger(z) || !Number.isInteger(x) || !Number.isInteger(y) || z < 0 || z > MaxZoom) return false;
  const n = 2 ** z;
  return x >= 0 && y >= 0 && x < n && y < n;
}

/** Bounds of a tile in EPSG:3857 metres (y grows north; tile row 0 is the northmost). */
export function tileBounds({ z, x, y }: TileAddress): MercatorBounds {
  const span = tileSpan(z);
  const minX = -OriginShift + x * span;
  const maxY = OriginShift - y * span;
  return [minX, maxY - span, minX + span, maxY];
}

/** Longitude/latitude (degrees) to EPSG:3857 metres; latitude clamped to the Mercator limit. */
export function lonLatToMercator(lon: number, lat: number): [number, number] {
  const phi = (Math.max(-MaxLatitude, Math.min(MaxLatitude, lat)) * Math.PI) / 180;
  return [(lon * OriginShift) / 180, 6378137 * Math.log(Math.tan(Math.PI / 4 + phi / 2))];
}

/** EPSG:3857 metres to longitude/latitude degrees. */
export function mercatorToLonLat(x: number, y: number): [number, number] {
  return [(x / OriginShift) * 180, (Math.atan(Math.exp(y / 6378137)) * 360) / Math.PI - 90];
}

/** Bounds of a tile in degrees. */
export function tileLonLatBounds(t: TileAddress): LonLatBounds {
  const [minX, minY, maxX, maxY] = tileBounds(t);
  const [w, s] = mercatorToLonLat(minX, minY);
  const [e, n] = mercatorToLonLat(maxX, maxY);
  return [w, s, e, n];
}

/** Lon/lat bounds in EPSG:3857 metres. */
export function lonLatBoundsToMercator([w, s, e, n]: LonLatBounds): MercatorBounds {
  const [minX, minY] = lonLatToMercator(w, s);
  const [maxX, maxY] = lonLatToMercator(e, n);
  return [minX, minY, maxX, maxY];
}

/** True when a tile overlaps bounds given in EPSG:3857 metres (touching edges do not count). */
export function tileIntersects(t: TileAddress, b: MercatorBounds): boolean {
  const [minX, minY, maxX, maxY] = tileBounds(t);
  return minX < b[2] && maxX > b[0] && minY < b[3] && maxY > b[1];
}

/**
 * Zoom (fractional) at which a 256-pixel tile has `metresPerPixel` resolution in EPSG:3857 units.
 * Integer zooms come from `Math.floor` / `Math.ceil` of this with a small tolerance.
 */
export function zoomForResolution(metresPerPixel: number): number {
  return Math.log2(zoomResolution(0) / metresPerPixel);
}

/** The finest zoom needed to show `metresPerPixel` without losing detail (rounded up, 1 % tolerance). */
export function nativeZoom(metresPerPixel: number): number {
  return clampZoom(Math.ceil(zoomForResolution(metresPerPixel) - Math.log2(1.01)));
}

/** The coarsest zoom at which `metresPerPixel` is still finer than the tile pixels (rounded down, 1 % tolerance). */
export function coarsestZoom(metresPerPixel: number): number {
  return clampZoom(Math.floor(zoomForResolution(metresPerPixel) + Math.log2(1.01)));
}

function clampZoom(z: number): number {
  return Math.max(0, Math.min(MaxZoom, z));
}

/** The tile containing a lon/lat position at zoom z. */
export function tileForLonLat(lon: number, lat: number, z: number): TileAddress {
  const [mx, my] = lonLatToMercator(lon, lat);
  const n = 2 ** z;
  const x = Math.min(n - 1, Math.max(0, Math.floor((mx + OriginShift) / tileSpan(z))));
  const y = Math.min(n - 1, Math.max(0, Math.floor((OriginShift - my) / tileSpan(z))));
  return { z, x, y };
}
