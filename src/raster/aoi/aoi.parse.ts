/**
 * Parse and validate a GeoJSON AOI (RFC 7946, EPSG:4326 lon/lat): Polygon, MultiPolygon, Feature or
 * FeatureCollection of those. Every problem is reported as a field issue whose `loc` is the JSON path of
 * the offending value inside the input, after the caller's prefix (e.g.
 * `['body', 'aoi_geometry', 'features', 0, 'geometry', 'coordinates', 1, 0, 17]` = feature 0, polygon 1,
 * ring 0, vertex 17).
 */
import { AppError, type FieldIssue } from '../../errors/app.error.js';
import { polygonsBbox, type Aoi, type Position, type Ring } from './aoi.types.js';
import { findRingIntersections, ringInRing, type SegmentHit } from './ring.topology.js';

/** A JSON path. */
type Loc = (string | number)[];

export interface ParseAoiOptions {
  /** Most positions allowed over all rings (closing positions counted); default 10 000. */
  maxVertices?: number;
  /** Prefix of every issue's `loc`; default `['body', 'aoi_geometry']`. */
  loc?: Loc;
}

/** Issues beyond this many are dropped (the message says how many there were). */
const MAX_ISSUES = 50;

/** A polygon as read, with where each ring came from. */
interface ReadPolygon {
  rings: Ring[];
  /** `loc` of each ring */
  ringLocs: Loc[];
  /** For each ring, the input index of each kept position (consecutive duplicates are dropped). */
  indexes: number[][];
}

interface ReadState {
  issues: FieldIssue[];
  issueCount: number;
  polygons: ReadPolygon[];
  vertexCount: number;
  name: string | undefined;
}

/** Parse a GeoJSON AOI, or throw `AppError('invalid_aoi')` listing every problem with its location. */
export function parseAoi(input: unknown, opts: ParseAoiOptions = {}): Aoi {
  const prefix = opts.loc ?? ['body', 'aoi_geometry'];
  const maxVertices = opts.maxVertices ?? 10_000;
  const st: ReadState = { issues: [], issueCount: 0, polygons: [], vertexCount: 0, name: undefined };
  readRoot(st, input, prefix);
  if (st.vertexCount > maxVertices) {
    issue(st, prefix, `AOI has ${st.vertexCount} vertices; at most ${maxVertices} are allowed (simplify it)`, 'value_error.too_many_vertices');
  }
  if (st.issueCount === 0 && st.polygons.length === 0) {
    issue(st, prefix, 'AOI has no polygon: every geometry is empty', 'value_error.empty_geometry');
  }
  if (st.issueCount === 0) for (const polygon of st.polygons) checkTopology(st, polygon);
  if (st.issueCount > 0) {
    const more = st.issueCount > 1 ? ` (and ${st.issueCount - 1} more issue${st.issueCount > 2 ? 's' : ''})` : '';
    throw new AppError('invalid_aoi', `Invalid AOI at ${st.issues[0]!.loc.join('.')}: ${st.issues[0]!.msg}${more}`, { issues: st.issues });
  }
  const polygons = st.polygons.map((p) => p.rings);
  return { polygons, bbox: polygonsBbox(polygons), vertexCount: st.vertexCount, ...(st.name !== undefined ? { name: st.name } : {}) };
}

function issue(st: ReadState, loc: Loc, msg: string, type: string): void {
  st.issueCount++;
  if (st.issues.length < MAX_ISSUES) st.issues.push({ loc, msg, type });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A number as shown in messages (at most 7 decimals, about 1 cm in degrees). */
export function fmt(n: number): string {
  return Number.isFinite(n) ? String(Number(n.toFixed(7))) : String(n);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `"${v.length > 40 ? `${v.slice(0, 40)}…` : v}"`;
  return typeof v === 'object' ? 'an object' : String(v);
}

function readRoot(st: ReadState, input: unknown, loc: Loc): void {
  if (!isObject(input)) {
    issue(st, loc, `AOI must be a GeoJSON object (Polygon, MultiPolygon, Feature or FeatureCollection), got ${describe(input)}`, 'type_error.geojson');
    return;
  }
  if (input['type'] === 'FeatureCollection') {
    const features = input['features'];
    if (!Array.isArray(features)) {
      issue(st, [...loc, 'features'], 'FeatureCollection.features must be an array', 'type_error.list');
      return;
    }
    features.forEach((f, i) => {
      if (!isObject(f) || f['type'] !== 'Feature') {
        issue(st, [...loc, 'features', i, 'type'], `Expected a Feature, got ${isObject(f) ? describe(f['type']) : describe(f)}`, 'value_error.geojson_type');
        return;
      }
      readFeature(st, f, [...loc, 'features', i]);
    });
    if (st.name === undefined && typeof input['name'] === 'string') st.name = input['name'];
    return;
  }
  if (input['type'] === 'Feature') {
    readFeature(st, input, loc);
    return;
  }
  readGeometry(st, input, loc);
}

function readFeature(st: ReadState, feature: Record<string, unknown>, loc: Loc): void {
  const props = feature['properties'];
  if (st.name === undefined && isObject(props) && typeof props['name'] === 'string') st.name = props['name'];
  const geometry = feature['geometry'];
  if (geometry === null) return; // RFC 7946 3.2: an unlocated feature; nothing to clip
  if (!isObject(geometry)) {
    issue(st, [...loc, 'geometry'], `Feature.geometry must be a GeoJSON geometry object or null, got ${describe(geometry)}`, 'type_error.geojson');
    return;
  }
  readGeometry(st, geometry, [...loc, 'geometry']);
}

function readGeometry(st: ReadState, geometry: Record<string, unknown>, loc: Loc): void {
  const type = geometry['type'];
  if (type !== 'Polygon' && type !== 'MultiPolygon') {
    const got = typeof type === 'string' ? type : describe(type);
    issue(st, [...loc, 'type'], `Geometry type ${got} is not supported; use Polygon or MultiPolygon (or a Feature/FeatureCollection of them)`, 'value_error.geometry_type');
    return;
  }
  const coords = geometry['coordinates'];
  const cloc = [...loc, 'coordinates'];
  if (!Array.isArray(coords)) {
    issue(st, cloc, `${type}.coordinates must be an array, got ${describe(coords)}`, 'type_error.list');
    return;
  }
  if (type === 'Polygon') {
    readPolygon(st, coords, cloc);
    return;
  }
  coords.forEach((polygon, p) => {
    if (!Array.isArray(polygon)) issue(st, [...cloc, p], `Polygon must be an array of rings, got ${describe(polygon)}`, 'type_error.list');
    else readPolygon(st, polygon, [...cloc, p]);
  });
}

/** Read one polygon's rings (an empty array is an empty polygon and is skipped). */
function readPolygon(st: ReadState, rings: unknown[], loc: Loc): void {
  if (rings.length === 0) return;
  const out: ReadPolygon = { rings: [], ringLocs: [], indexes: [] };
  let ok = true;
  rings.forEach((ring, r) => {
    const read = readRing(st, ring, [...loc, r]);
    if (!read) ok = false;
    else {
      out.rings.push(read.ring);
      out.indexes.push(read.indexes);
      out.ringLocs.push([...loc, r]);
    }
  });
  if (ok) st.polygons.push(out);
}

/** Read and check one ring; null after reporting its problems. */
function readRing(st: ReadState, ring: unknown, loc: Loc): { ring: Ring; indexes: number[] } | null {
  if (!Array.isArray(ring)) {
    issue(st, loc, `Ring must be an array of positions, got ${describe(ring)}`, 'type_error.list');
    return null;
  }
  st.vertexCount += ring.length;
  const before = st.issueCount;
  const positions: Position[] = [];
  for (let v = 0; v < ring.length; v++) {
    const pos: unknown = ring[v];
    if (!Array.isArray(pos) || pos.length < 2) {
      issue(st, [...loc, v], `Position must be an array [lon, lat], got ${describe(pos)}`, 'type_error.position');
      continue;
    }
    const lon: unknown = pos[0];
    const lat: unknown = pos[1];
    if (typeof lon !== 'number' || typeof lat !== 'number' || !Number.isFinite(lon) || !Number.isFinite(lat)) {
      issue(st, [...loc, v], `Coordinates must be finite numbers, got [${describe(lon)}, ${describe(lat)}]`, 'type_error.number');
      continue;
    }
    if (lon < -180 || lon > 180) issue(st, [...loc, v], `Longitude ${lon} is outside [-180, 180]`, 'value_error.longitude');
    if (lat < -90 || lat > 90) issue(st, [...loc, v], `Latitude ${lat} is outside [-90, 90]`, 'value_error.latitude');
    positions.push([lon, lat]);
  }
  if (st.issueCount > before) return null;
  if (positions.length < 4) {
    issue(st, loc, `Ring has ${positions.length} positions; a closed ring needs at least 4`, 'value_error.ring_too_short');
    return null;
  }
  const first = positions[0]!;
  const last = positions[positions.length - 1]!;
  if (first[0] !== last[0] || first[1] !== last[1]) {
    issue(st, [...loc, positions.length - 1], `Ring is not closed: last position (${fmt(last[0])}, ${fmt(last[1])}) differs from first (${fmt(first[0])}, ${fmt(first[1])})`, 'value_error.ring_not_closed');
    return null;
  }
  const kept: Ring = [first];
  const indexes = [0];
  for (let v = 1; v < positions.length; v++) {
    const p = positions[v]!;
    const q = kept[kept.length - 1]!;
    if (p[0] !== q[0] || p[1] !== q[1]) {
      kept.push(p);
      indexes.push(v);
    }
  }
  if (kept.length < 4) {
    issue(st, loc, `Ring has only ${kept.length - 1} distinct vertices; a ring needs at least 3`, 'value_error.ring_degenerate');
    return null;
  }
  return { ring: kept, indexes };
}

/** Report self-intersections, crossing rings, holes outside their shell and holes inside other holes. */
function checkTopology(st: ReadState, polygon: ReadPolygon): void {
  const at = (r: number, k: number): Loc => [...polygon.ringLocs[r]!, polygon.indexes[r]![k]!];
  const seg = (r: number, k: number): number => polygon.indexes[r]![k]!;
  const hits = findRingIntersections(polygon.rings, 10);
  // In ring and segment order, one issue per meeting point (a vertex touch is met by up to four segment pairs).
  hits.sort((a, b) => a.ringA - b.ringA || a.segA - b.segA || a.ringB - b.ringB || a.segB - b.segB);
  const points = new Set<string>();
  for (const h of hits) {
    const key = `${h.x},${h.y}`;
    if (!points.has(key)) reportHit(st, h, at, seg);
    points.add(key);
  }
  if (hits.length > 0) return;
  const [shell, ...holes] = polygon.rings;
  const boxes = polygon.rings.map((ring) => polygonsBbox([[ring]]));
  holes.forEach((hole, i) => {
    const r = i + 1;
    const { side, vertex } = ringInRing(hole, shell!);
    if (side !== 1) {
      const msg = side === -1 ? `Hole ${r} lies outside its outer ring` : `Hole ${r} lies on its outer ring's boundary`;
      issue(st, at(r, vertex), `${msg} (vertex ${seg(r, vertex)} at (${fmt(hole[vertex]![0])}, ${fmt(hole[vertex]![1])}))`, 'value_error.hole_outside_shell');
      return;
    }
    for (let o = 1; o < polygon.rings.length; o++) {
      if (o === r) continue;
      const a = boxes[r]!;
      const b = boxes[o]!;
      if (a[0] < b[0] || a[1] < b[1] || a[2] > b[2] || a[3] > b[3]) continue; // hole r's box must sit inside hole o's
      const inOther = ringInRing(hole, polygon.rings[o]!);
      if (inOther.side === 1) {
        issue(st, at(r, inOther.vertex), `Hole ${r} lies inside hole ${o}; nested holes are not allowed (make it a separate polygon)`, 'value_error.nested_hole');
        return;
      }
    }
  });
}

function reportHit(st: ReadState, h: SegmentHit, at: (r: number, k: number) => Loc, seg: (r: number, k: number) => number): void {
  const near = `near (${fmt(h.x)}, ${fmt(h.y)})`;
  const a = seg(h.ringA, h.segA);
  const b = seg(h.ringB, h.segB);
  if (h.ringA === h.ringB) {
    const what = h.contact === 'overlap' ? 'overlaps itself' : h.contact === 'touch' ? 'touches itself' : 'self-intersects';
    issue(st, at(h.ringA, h.segA), `Ring ${what} at segment ${a} and ${b} ${near}`, 'value_error.self_intersection');
    return;
  }
  const what = h.contact === 'overlap' ? 'overlaps' : 'crosses';
  const other = h.ringA === 0 ? 'the outer ring' : `hole ${h.ringA}`;
  issue(st, at(h.ringB, h.segB), `Hole ${h.ringB} ${what} ${other} at its segment ${b} and segment ${a} of ring ${h.ringA} ${near}`, 'value_error.ring_intersection');
}

