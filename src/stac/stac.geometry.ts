/**
 * An output's geometry for its STAC Item: the AOI within the data (the AOI, in lon/lat as the client gave
 * it, intersected with the output raster's footprint), as GeoJSON, with its bbox.
 */
import { featureCollection } from '@turf/helpers';
import { union } from '@turf/union';
import type { MultiPolygon, Polygon } from 'geojson';
import { intersectPolygons } from '../raster/aoi/aoi.area.js';
import { parseAoi } from '../raster/aoi/aoi.parse.js';
import { polygonsBbox } from '../raster/aoi/aoi.types.js';

/** A geometry and its bounds. */
export interface PlacedGeometry {
  geometry: Polygon | MultiPolygon;
  bbox: [number, number, number, number];
}

/** Bounds of a Polygon or MultiPolygon. */
export function geometryBbox(g: Polygon | MultiPolygon): [number, number, number, number] {
  return polygonsBbox(g.type === 'Polygon' ? [g.coordinates as [number, number][][]] : (g.coordinates as [number, number][][][]));
}

/**
 * The AOI (GeoJSON as given) within a footprint ring (lon/lat); null when they do not meet. An AOI of one
 * polygon wholly inside the footprint (most clips) is its own intersection (`intersectPolygons`).
 */
export function aoiWithin(aoiGeoJson: unknown, footprint: [number, number][]): PlacedGeometry | null {
  const parts = intersectPolygons(parseAoi(aoiGeoJson).polygons, [[footprint]]);
  if (parts.length === 0) return null;
  const geometry: Polygon | MultiPolygon = parts.length === 1 ? { type: 'Polygon', coordinates: parts[0]! } : { type: 'MultiPolygon', coordinates: parts };
  return { geometry, bbox: geometryBbox(geometry) };
}

/** The union of several outputs' geometries, or null for none. */
export function unionOf(parts: (Polygon | MultiPolygon)[]): Polygon | MultiPolygon | null {
  if (parts.length <= 1) return parts[0] ?? null;
  return union(featureCollection(parts.map((g) => ({ type: 'Feature' as const, properties: {}, geometry: g }))))?.geometry ?? null;
}
