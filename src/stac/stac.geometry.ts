/**
 * An output's geometry for its STAC Item: the AOI within the data (the AOI, in lon/lat as the client gave
 * it, intersected with the output raster's footprint), as GeoJSON, with its bbox.
 */
import { featureCollection, multiPolygon, polygon } from '@turf/helpers';
import { intersect } from '@turf/intersect';
import { union } from '@turf/union';
import type { MultiPolygon, Polygon } from 'geojson';
import { polygonWithin, ringArea } from '../raster/aoi/aoi.area.js';
import { parseAoi } from '../raster/aoi/aoi.parse.js';
import { polygonsBbox, type Ring } from '../raster/aoi/aoi.types.js';

/** A geometry and its bounds. */
export interface PlacedGeometry {
  geometry: Polygon | MultiPolygon;
  bbox: [number, number, number, number];
}

/** Bounds of a Polygon or MultiPolygon. */
export function geometryBbox(g: Polygon | MultiPolygon): [number, number, number, number] {
  return polygonsBbox(g.type === 'Polygon' ? [g.coordinates as [number, number][][]] : (g.coordinates as [number, number][][][]));
}

/** Rings as RFC 7946 wants them: the outer one counterclockwise, holes clockwise. */
function rightHanded(rings: Ring[]): Ring[] {
  return rings.map((ring, i) => ((ringArea(ring) > 0) === (i === 0) ? ring : [...ring].reverse()));
}

/**
 * The AOI (GeoJSON as given) within a footprint ring (lon/lat); null when they do not meet. An AOI of one
 * polygon wholly inside the footprint (most clips) is its own intersection, with no polygon clipping run.
 */
export function aoiWithin(aoiGeoJson: unknown, footprint: [number, number][]): PlacedGeometry | null {
  const aoi = parseAoi(aoiGeoJson);
  if (aoi.polygons.length === 1 && polygonWithin(aoi.polygons[0]!, [[footprint]])) {
    const geometry: Polygon = { type: 'Polygon', coordinates: rightHanded(aoi.polygons[0]!) };
    return { geometry, bbox: geometryBbox(geometry) };
  }
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
