/**
 * An output's geometry for its STAC Item: the AOI within the data (the AOI, in lon/lat as the client gave
 * it, intersected with the output raster's footprint), as GeoJSON, with its bbox.
 */
import { featureCollection, multiPolygon, polygon } from '@turf/helpers';
import { intersect } from '@turf/intersect';
import { union } from '@turf/union';
import type { MultiPolygon, Polygon } from 'geojson';
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

/** The AOI (GeoJSON as given) within a footprint ring (lon/lat); null when they do not meet. */
export function aoiWithin(aoiGeoJson: unknown, footprint: [number, number][]): PlacedGeometry | null {
  const aoi = parseAoi(aoiGeoJson);
  const shape = multiPolygon(aoi.polygons);
  const got = intersect(featureCollection<Polygon | MultiPolygon>([shape, polygon([footprint])]));
  if (!got) return null;
  return { geometry: got.geometry, bbox: geometryBbox(got.geometry) };
}

/** The union of several outputs' geometries, or null for none. */
export function unionOf(parts: (Polygon | MultiPolygon)[]): Polygon | MultiPolygon | null {
  if (parts.length <= 1) return parts[0] ?? null;
  return union(featureCollection(parts.map((g) => ({ type: 'Feature' as const, properties: {}, geometry: g }))))?.geometry ?? null;
}
