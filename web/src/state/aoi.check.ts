/**
 * AOI checks done in the page before anything is sent: reading GeoJSON of any shape (geometry, Feature,
 * FeatureCollection, GeometryCollection) into one Polygon or MultiPolygon, counting vertices as the
 * server does (every position of every ring, closing ones included), the area on the sphere, the
 * request size, and the limits the server states. The server's quote and create remain the judges.
 */

export type Position = [number, number];
export type PolygonCoords = Position[][];
export type AoiGeometry = { type: 'Polygon'; coordinates: PolygonCoords } | { type: 'MultiPolygon'; coordinates: PolygonCoords[] };

/** What the server accepts (`clip.quote_from_area` answers its own; these are its defaults). */
export interface AoiLimits {
  /** Most positions over all rings */
  max_vertices: number;
  /** Largest request body, bytes */
  max_body_bytes: number;
}

export const DefaultLimits: AoiLimits = { max_vertices: 10_000, max_body_bytes: 1024 * 1024 };

export interface ReadAoi {
  geometry: AoiGeometry;
  /** `properties.name` of the first feature that has one */
  name?: string;
  /** Geometries that are not polygons (points, lines), left out */
  skipped: number;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isPosition(p: unknown): p is number[] {
  return Array.isArray(p) && p.length >= 2 && typeof p[0] === 'number' && typeof p[1] === 'number' && Number.isFinite(p[0]) && Number.isFinite(p[1]);
}

function readPolygon(coords: unknown): PolygonCoords {
  if (!Array.isArray(coords) || coords.length === 0) throw new Error('A polygon needs at least one ring');
  return coords.map((ring, i) => {
    if (!Array.isArray(ring) || !ring.every(isPosition)) throw new Error(`Ring ${i} is not a list of [longitude, latitude] positions`);
    return ring.map((p) => [p[0]!, p[1]!] as Position);
  });
}

/** Collect the polygons of any GeoJSON object. */
function collect(input: unknown, out: { polygons: PolygonCoords[]; name?: string; skipped: number }): void {
  if (!isObject(input)) throw new Error('Not a GeoJSON object');
  switch (input.type) {
    case 'FeatureCollection':
      if (!Array.isArray(input.features)) throw new Error('FeatureCollection without features');
      for (const f of input.features) collect(f, out);
      return;
    case 'Feature': {
      const props = input.properties;
      if (out.name === undefined && isObject(props) && typeof props.name === 'string' && props.name.trim()) out.name = props.name.trim();
      if (input.geometry !== null) collect(input.geometry, out);
      return;
    }
    case 'GeometryCollection':
      if (!Array.isArray(input.geometries)) throw new Error('GeometryCollection without geometries');
      for (const g of input.geometries) collect(g, out);
      return;
    case 'Polygon':
      out.polygons.push(readPolygon(input.coordinates));
      return;
    case 'MultiPolygon':
      if (!Array.isArray(input.coordinates)) throw new Error('MultiPolygon without coordinates');
      for (const p of input.coordinates) out.polygons.push(readPolygon(p));
      return;
    case 'Point': case 'MultiPoint': case 'LineString': case 'MultiLineString':
      out.skipped++;
      return;
    default:
      throw new Error(`Unknown GeoJSON type ${JSON.stringify(input.type)}`);
  }
}

/** One Polygon (or a MultiPolygon of every polygon found); throws an Error in words when there is none. */
export function readAoi(input: unknown): ReadAoi {
  const out: { polygons: PolygonCoords[]; name?: string; skipped: number } = { polygons: [], skipped: 0 };
  collect(input, out);
  if (out.polygons.length === 0) throw new Error(out.skipped > 0 ? `No polygon found (${out.skipped} point or line geometr${out.skipped === 1 ? 'y' : 'ies'} cannot be clipped to)` : 'No polygon found');
  const geometry: AoiGeometry = out.polygons.length === 1 ? { type: 'Polygon', coordinates: out.polygons[0]! } : { type: 'MultiPolygon', coordinates: out.polygons };
  return { geometry, ...(out.name ? { name: out.name } : {}), skipped: out.skipped };
}

/** Parse pasted or uploaded GeoJSON text. */
export function readAoiText(text: string): ReadAoi {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new Error(`Not valid JSON: ${(err as Error).message}`);
  }
  return readAoi(doc);
}

function polygonsOf(g: AoiGeometry): PolygonCoords[] {
  return g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
}

/** Positions over all rings, closing positions included (as the server counts them). */
export function vertexCount(g: AoiGeometry): number {
  return polygonsOf(g).reduce((n, p) => n + p.reduce((m, r) => m + r.length, 0), 0);
}

/** Mean Earth radius (IUGG), km. */
const EarthRadiusKm = 6371.0088;

/** Area of a ring on the sphere, km² (signed by winding; Chamberlain & Duquette). */
function ringAreaKm2(ring: Position[]): number {
  let sum = 0;
  const rad = Math.PI / 180;
  for (let i = 0; i < ring.length; i++) {
    const [lon1, lat1] = ring[i]!;
    const [lon2, lat2] = ring[(i + 1) % ring.length]!;
    sum += (lon2 - lon1) * rad * (2 + Math.sin(lat1 * rad) + Math.sin(lat2 * rad));
  }
  return (sum * EarthRadiusKm * EarthRadiusKm) / 2;
}

/** Area on the sphere in km²: outer rings minus holes (the server's ellipsoidal figure differs by < 0.5 %). */
export function areaKm2(g: AoiGeometry): number {
  return polygonsOf(g).reduce((total, rings) => total + rings.reduce((a, r, i) => a + (i === 0 ? 1 : -1) * Math.abs(ringAreaKm2(r)), 0), 0);
}

/** [west, south, east, north] */
export function bboxOf(g: AoiGeometry): [number, number, number, number] {
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  for (const p of polygonsOf(g)) for (const r of p) for (const [x, y] of r) {
    w = Math.min(w, x); s = Math.min(s, y); e = Math.max(e, x); n = Math.max(n, y);
  }
  return [w, s, e, n];
}

/** Whether the drawing tool can edit it: one polygon without holes. */
export function isEditable(g: AoiGeometry): boolean {
  return g.type === 'Polygon' && g.coordinates.length === 1;
}

/** A closed rectangle polygon over a bounding box. */
export function rectangle([w, s, e, n]: [number, number, number, number]): AoiGeometry {
  return { type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] };
}

export interface AoiCheck {
  vertices: number;
  areaKm2: number;
  polygons: number;
  holes: number;
  /** Bytes of the create request body with this AOI */
  bodyBytes: number;
  /** Limits broken, in words (empty when none) */
  problems: string[];
}

/** Check an AOI against the limits, for the request body it will be sent in. */
export function checkAoi(g: AoiGeometry, body: Record<string, unknown>, limits: AoiLimits = DefaultLimits): AoiCheck {
  const vertices = vertexCount(g);
  const bodyBytes = new TextEncoder().encode(JSON.stringify({ ...body, aoi_geometry: g })).length;
  const polygons = polygonsOf(g);
  const problems: string[] = [];
  if (vertices > limits.max_vertices) problems.push(`The AOI has ${vertices.toLocaleString('en')} vertices; at most ${limits.max_vertices.toLocaleString('en')} are accepted. Simplify it.`);
  if (bodyBytes > limits.max_body_bytes) problems.push(`The order is ${(bodyBytes / 1024).toFixed(0)} KiB; at most ${(limits.max_body_bytes / 1024).toFixed(0)} KiB are accepted.`);
  return { vertices, areaKm2: areaKm2(g), polygons: polygons.length, holes: polygons.reduce((n, p) => n + p.length - 1, 0), bodyBytes, problems };
}
