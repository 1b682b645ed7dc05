/**
 * Area of an AOI on the WGS84 ellipsoid, optionally of its part inside a data footprint.
 * Method: intersect in lon/lat with turf (polyclip, which also unions overlapping polygons), densify edges
 * in lon/lat (RFC 7946 edges are straight in lon/lat), project to a Lambert azimuthal equal-area projection
 * centred on the shape with `+ellps=WGS84` (exactly area-preserving), then planar shoelace (holes subtract).
 */
import { featureCollection, multiPolygon, polygon as turfPolygon } from '@turf/helpers';
import { intersect } from '@turf/intersect';
import proj4 from 'proj4';
import { polygonsBbox, type Aoi, type Bbox, type Polygons, type Ring } from './aoi.types.js';
import { densifyRing, densifyStep } from './aoi.project.js';
import { pointInRing, segmentContact } from './ring.topology.js';

/** A footprint to clip to: a lon/lat bbox, an AOI, or lon/lat polygons. */
export type AreaClip = Bbox | Aoi | Polygons;

/** Densify step for the area, degrees: keeps the chord error under about 1e-7 of the area. */
const AREA_STEP_DEG = 0.005;
/** Cap on positions fed to the projection (the step grows past it). */
const MAX_AREA_POSITIONS = 500_000;

function isBbox(v: AreaClip): v is Bbox {
  return Array.isArray(v) && v.length === 4 && v.every((n) => typeof n === 'number');
}

/** The clip footprint as lon/lat polygons. */
function clipPolygons(clip: AreaClip): Polygons {
  if (isBbox(clip)) {
    const [w, s, e, n] = clip;
    return [[[[w, s], [e, s], [e, n], [w, n], [w, s]]]];
  }
  return Array.isArray(clip) ? (clip as Polygons) : clip.polygons;
}

/**
 * Intersection of two lon/lat multipolygons (each one taken as the union of its polygons), its rings
 * right-handed as polygon clipping gives them. One polygon wholly inside `b` (an AOI within a mosaic's
 * footprint, most of them) is its own intersection: no clipping is run.
 */
export function intersectPolygons(a: Polygons, b: Polygons): Polygons {
  if (a.length === 0 || b.length === 0) return [];
  if (a.length === 1 && polygonWithin(a[0]!, b)) return [rightHanded(a[0]!)];
  const features: Parameters<typeof intersect>[0]['features'] = [multiPolygon(a), b.length === 1 ? turfPolygon(b[0]!) : multiPolygon(b)];
  const result = intersect(featureCollection(features));
  if (!result) return [];
  const g = result.geometry;
  return g.type === 'Polygon' ? [g.coordinates as Ring[]] : (g.coordinates as Ring[][]);
}

/** Rings as RFC 7946 wants them: the outer one counterclockwise, holes clockwise. */
function rightHanded(rings: Ring[]): Ring[] {
  return rings.map((ring, i) => ((ringArea(ring) > 0) === (i === 0) ? ring : [...ring].reverse()));
}

/**
 * Whether a polygon lies strictly inside one of the clip polygons: its outer ring meets none of that one's
 * rings, starts inside its outer ring and outside its holes, and holds none of its holes. Their
 * intersection is then the polygon itself (the common case: an AOI within a mosaic's footprint), so none
 * needs computing. Any contact, even a touch, answers false (the intersection decides).
 */
export function polygonWithin(polygon: Ring[], clip: Polygons): boolean {
  const outer = polygon[0]!;
  const [x, y] = outer[0]!;
  const [w, s, e, n] = polygonsBbox([polygon]);
  return clip.some((p) => {
    if (pointInRing(x, y, p[0]!) !== 1 || p.slice(1).some((hole) => pointInRing(x, y, hole) !== -1)) return false;
    for (const ring of p) {
      for (let k = 0; k + 1 < ring.length; k++) {
        const [a, b] = [ring[k]!, ring[k + 1]!];
        // Only the clip's edges near the polygon can meet it.
        if (Math.max(a[0], b[0]) < w || Math.min(a[0], b[0]) > e || Math.max(a[1], b[1]) < s || Math.min(a[1], b[1]) > n) continue;
        for (let j = 0; j + 1 < outer.length; j++) if (segmentContact(outer[j]!, outer[j + 1]!, a, b)) return false;
      }
    }
    return p.slice(1).every((hole) => pointInRing(hole[0]![0], hole[0]![1], outer) === -1);
  });
}

/**
 * Area in km² on the WGS84 ellipsoid of the AOI, or of its intersection with `clipTo` (lon/lat). 0 when
 * they do not meet. Overlapping polygons of the AOI are counted once.
 */
export function aoiAreaKm2(aoi: Aoi, clipTo?: AreaClip): number {
  let polygons = aoi.polygons;
  if (clipTo !== undefined) polygons = intersectPolygons(polygons, clipPolygons(clipTo));
  else if (polygons.length > 1) {
    // Union overlapping parts by clipping to the AOI's own (slightly grown) bbox.
    const [w, s, e, n] = aoi.bbox;
    polygons = intersectPolygons(polygons, clipPolygons([w - 1, s - 1, e + 1, n + 1]));
  }
  return polygonsAreaKm2(polygons);
}

/** Ellipsoidal area in km² of lon/lat polygons that do not overlap one another (holes subtract). */
export function polygonsAreaKm2(polygons: Polygons): number {
  if (polygons.length === 0) return 0;
  const [w, s, e, n] = polygonsBbox(polygons);
  const laea = `+proj=laea +lat_0=${(s + n) / 2} +lon_0=${(w + e) / 2} +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs`;
  const converter = proj4('EPSG:4326', laea);
  const step = densifyStep(polygons, AREA_STEP_DEG, MAX_AREA_POSITIONS);
  let m2 = 0;
  for (const polygon of polygons) {
    polygon.forEach((ring, r) => {
      const dense = densifyRing(ring, step);
      const a = Math.abs(ringArea(dense.map(([lon, lat]) => converter.forward([lon, lat]) as [number, number])));
      m2 += r === 0 ? a : -a;
    });
  }
  return m2 / 1e6;
}

/** Signed planar area of a closed ring (shoelace on offsets from the first vertex, for precision). */
export function ringArea(ring: Ring): number {
  if (ring.length < 4) return 0;
  const [x0, y0] = ring[0]!;
  let sum = 0;
  for (let k = 1; k + 1 < ring.length; k++) {
    const ax = ring[k]![0] - x0;
    const ay = ring[k]![1] - y0;
    const bx = ring[k + 1]![0] - x0;
    const by = ring[k + 1]![1] - y0;
    sum += ax * by - bx * ay;
  }
  return sum / 2;
}
