/**
 * Plain-data shapes of an area of interest (AOI) as the raster engine carries it: GeoJSON-like nested
 * arrays of positions, structured-clone safe. The same shapes hold lon/lat degrees, CRS units or pixel
 * coordinates; the name of the value says which.
 */

/** One position `[x, y]`: `[lon, lat]` in degrees, `[easting, northing]` in CRS units, or `[col, row]` in pixels. */
export type Position = [number, number];

/** A closed ring: first position equals the last; at least 4 positions. */
export type Ring = Position[];

/** One polygon: the outer ring first, then its holes. */
export type PolygonRings = Ring[];

/** A multipolygon: the union of its polygons (each polygon even-odd, so holes are honoured). */
export type Polygons = PolygonRings[];

/** `[minX, minY, maxX, maxY]`; for an AOI `[minLon, minLat, maxLon, maxLat]` in degrees. */
export type Bbox = [number, number, number, number];

/** A validated AOI in EPSG:4326 (RFC 7946 lon/lat order). */
export interface Aoi {
  /** Polygons in lon/lat degrees: each one an outer ring then holes; rings closed, consecutive duplicates removed. */
  polygons: Polygons;
  /** Bounds of every position, degrees. */
  bbox: Bbox;
  /** Number of positions in `polygons` (closing positions included). */
  vertexCount: number;
  /** `properties.name` of the first named feature, else the FeatureCollection's `name`, when present. */
  name?: string;
}

/** Bounds of polygons (empty input gives `[Infinity, Infinity, -Infinity, -Infinity]`). */
export function polygonsBbox(polygons: Polygons): Bbox {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const polygon of polygons) {
    for (const ring of polygon) {
      for (const [x, y] of ring) {
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
    }
  }
  return [minX, minY, maxX, maxY];
}
