/**
 * Topology checks for the rings of one polygon: where segments intersect (a sort-and-sweep over segment
 * bounding boxes) and whether a point lies inside, on or outside a ring.
 * Plain double arithmetic: an intersection found within rounding of a vertex is reported as found.
 */
import type { Position, Ring } from './aoi.types.js';

/** How two segments meet. */
export type SegmentContact = 'cross' | 'touch' | 'overlap';

/** Two segments of a polygon's rings that meet where they should not. */
export interface SegmentHit {
  /** Ring index within the polygon (0 = outer) and segment index within the ring (segment k joins vertex k and k+1). */
  ringA: number;
  segA: number;
  ringB: number;
  segB: number;
  /** `cross` (interiors cross), `touch` (one point, at an end of one segment) or `overlap` (collinear, sharing a length). */
  contact: SegmentContact;
  /** Where they meet (a point of the shared part for `overlap`), in ring coordinates. */
  x: number;
  y: number;
}

/** Twice the signed area of triangle abc: > 0 when c lies left of a→b. */
function orient(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
}

/** For p known collinear with a-b: whether p lies within the segment's bounds. */
function within(ax: number, ay: number, bx: number, by: number, px: number, py: number): boolean {
  return Math.min(ax, bx) <= px && px <= Math.max(ax, bx) && Math.min(ay, by) <= py && py <= Math.max(ay, by);
}

/** How segments p1-p2 and q1-q2 meet, with a meeting point, or null when they do not. */
export function segmentContact(p1: Position, p2: Position, q1: Position, q2: Position): { contact: SegmentContact; x: number; y: number } | null {
  const [p1x, p1y] = p1;
  const [p2x, p2y] = p2;
  const [q1x, q1y] = q1;
  const [q2x, q2y] = q2;
  const d1 = orient(q1x, q1y, q2x, q2y, p1x, p1y);
  const d2 = orient(q1x, q1y, q2x, q2y, p2x, p2y);
  const d3 = orient(p1x, p1y, p2x, p2y, q1x, q1y);
  const d4 = orient(p1x, p1y, p2x, p2y, q2x, q2y);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) {
    const t = d1 / (d1 - d2);
    return { contact: 'cross', x: p1x + t * (p2x - p1x), y: p1y + t * (p2y - p1y) };
  }
  if (d1 === 0 && d2 === 0 && d3 === 0 && d4 === 0) {
    // Collinear: compare the projections on the axis where p spans most.
    const useX = Math.abs(p2x - p1x) >= Math.abs(p2y - p1y);
    const pa = useX ? Math.min(p1x, p2x) : Math.min(p1y, p2y);
    const pb = useX ? Math.max(p1x, p2x) : Math.max(p1y, p2y);
    const qa = useX ? Math.min(q1x, q2x) : Math.min(q1y, q2y);
    const qb = useX ? Math.max(q1x, q2x) : Math.max(q1y, q2y);
    const lo = Math.max(pa, qa);
    const hi = Math.min(pb, qb);
    if (lo > hi) return null;
    const at = [p1, p2, q1, q2].find(([x, y]) => (useX ? x : y) === lo) ?? p1;
    return { contact: lo < hi ? 'overlap' : 'touch', x: at[0], y: at[1] };
  }
  if (d1 === 0 && within(q1x, q1y, q2x, q2y, p1x, p1y)) return { contact: 'touch', x: p1x, y: p1y };
  if (d2 === 0 && within(q1x, q1y, q2x, q2y, p2x, p2y)) return { contact: 'touch', x: p2x, y: p2y };
  if (d3 === 0 && within(p1x, p1y, p2x, p2y, q1x, q1y)) return { contact: 'touch', x: q1x, y: q1y };
  if (d4 === 0 && within(p1x, p1y, p2x, p2y, q2x, q2y)) return { contact: 'touch', x: q2x, y: q2y };
  return null;
}

/** Work done by `findRingIntersections`, for tests that bound its growth without a clock. */
export interface SweepWork {
  /** Segment pairs examined: those whose intervals along the sweep axis overlap */
  pairs: number;
}

/**
 * Segment pairs of a polygon's rings that make it invalid: within one ring, any contact between
 * non-adjacent segments and adjacent segments that fold back over each other; between two rings, a
 * crossing or a shared length (a single touching point is allowed, as in OGC simple features).
 * Rings must be closed with at least 3 distinct vertices and no consecutive duplicates.
 * Sort-and-sweep along the axis where segments are shortest relative to the extent, pruning pairs by
 * bounding box: O(n log n + n x segments active at once). Stops after `maxHits` hits. `work`, when given, counts the pairs examined.
 */
export function findRingIntersections(rings: Ring[], maxHits = 10, work?: SweepWork): SegmentHit[] {
  let n = 0;
  for (const ring of rings) n += ring.length - 1;
  const segRing = new Int32Array(n);
  const segIndex = new Int32Array(n);
  const lo = new Float64Array(n);
  const hi = new Float64Array(n);
  const olo = new Float64Array(n);
  const ohi = new Float64Array(n);
  const x1 = new Float64Array(n);
  const y1 = new Float64Array(n);
  const x2 = new Float64Array(n);
  const y2 = new Float64Array(n);
  let sumDx = 0;
  let sumDy = 0;
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (const ring of rings) {
    for (const [x, y] of ring) {
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
    for (let k = 0; k + 1 < ring.length; k++) {
      sumDx += Math.abs(ring[k + 1]![0] - ring[k]![0]);
      sumDy += Math.abs(ring[k + 1]![1] - ring[k]![1]);
    }
  }
  // Sweep along x when segments are short in x relative to the extent (few active at once), else along y.
  const alongX = sumDx * (maxY - minY) <= sumDy * (maxX - minX);
  let s = 0;
  rings.forEach((ring, r) => {
    for (let k = 0; k + 1 < ring.length; k++, s++) {
      const [ax, ay] = ring[k]!;
      const [bx, by] = ring[k + 1]!;
      segRing[s] = r;
      segIndex[s] = k;
      x1[s] = ax;
      y1[s] = ay;
      x2[s] = bx;
      y2[s] = by;
      const [u0, u1, v0, v1] = alongX ? [ax, bx, ay, by] : [ay, by, ax, bx];
      lo[s] = Math.min(u0, u1);
      hi[s] = Math.max(u0, u1);
      olo[s] = Math.min(v0, v1);
      ohi[s] = Math.max(v0, v1);
    }
  });
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => lo[a]! - lo[b]!);

  const hits: SegmentHit[] = [];
  const active = new Int32Array(n);
  let activeCount = 0;
  for (let oi = 0; oi < n && hits.length < maxHits; oi++) {
    const i = order[oi]!;
    const start = lo[i]!;
    let kept = 0;
    for (let a = 0; a < activeCount; a++) {
      const j = active[a]!;
      if (hi[j]! < start) continue;
      active[kept++] = j;
      if (olo[j]! > ohi[i]! || olo[i]! > ohi[j]!) continue;
      // Cheap rejection: one segment wholly on one side of the other's line.
      const d1 = orient(x1[i]!, y1[i]!, x2[i]!, y2[i]!, x1[j]!, y1[j]!);
      const d2 = orient(x1[i]!, y1[i]!, x2[i]!, y2[i]!, x2[j]!, y2[j]!);
      if ((d1 > 0 && d2 > 0) || (d1 < 0 && d2 < 0)) continue;
      const d3 = orient(x1[j]!, y1[j]!, x2[j]!, y2[j]!, x1[i]!, y1[i]!);
      const d4 = orient(x1[j]!, y1[j]!, x2[j]!, y2[j]!, x2[i]!, y2[i]!);
      if ((d3 > 0 && d4 > 0) || (d3 < 0 && d4 < 0)) continue;
      const hit = checkPair(rings, segRing[i]!, segIndex[i]!, segRing[j]!, segIndex[j]!);
      if (hit) {
        hits.push(hit);
        if (hits.length >= maxHits) break;
      }
    }
    if (hits.length >= maxHits) break;
    if (work) work.pairs += kept;
    activeCount = kept;
    active[activeCount++] = i;
  }
  return hits;
}

/** The problem between two segments, or null when they may meet as they do. */
function checkPair(rings: Ring[], r1: number, k1: number, r2: number, k2: number): SegmentHit | null {
  // Order so that (ringA, segA) < (ringB, segB): messages name the earlier segment first.
  const [ringA, segA, ringB, segB] = r1 < r2 || (r1 === r2 && k1 < k2) ? [r1, k1, r2, k2] : [r2, k2, r1, k1];
  const ra = rings[ringA]!;
  const rb = rings[ringB]!;
  const p1 = ra[segA]!;
  const p2 = ra[segA + 1]!;
  const q1 = rb[segB]!;
  const q2 = rb[segB + 1]!;
  if (ringA === ringB) {
    const m = ra.length - 1;
    const next = segB === segA + 1;
    const wrap = segA === 0 && segB === m - 1;
    if (next || wrap) {
      // Adjacent segments share vertex v; they are wrong only when the far ends fold back along one line.
      const [u, v, w] = next ? [p1, p2, q2] : [p2, p1, q1];
      const folds = orient(u[0], u[1], v[0], v[1], w[0], w[1]) === 0 && (u[0] - v[0]) * (w[0] - v[0]) + (u[1] - v[1]) * (w[1] - v[1]) > 0;
      return folds ? { ringA, segA, ringB, segB, contact: 'overlap', x: v[0], y: v[1] } : null;
    }
    const c = segmentContact(p1, p2, q1, q2);
    return c ? { ringA, segA, ringB, segB, ...c } : null;
  }
  const c = segmentContact(p1, p2, q1, q2);
  return c && c.contact !== 'touch' ? { ringA, segA, ringB, segB, ...c } : null;
}

/** Where a point lies relative to a closed ring: 1 inside, 0 on its boundary, -1 outside (even-odd). */
export function pointInRing(x: number, y: number, ring: Ring): 1 | 0 | -1 {
  let inside = false;
  for (let k = 0; k + 1 < ring.length; k++) {
    const [ax, ay] = ring[k]!;
    const [bx, by] = ring[k + 1]!;
    if (orient(ax, ay, bx, by, x, y) === 0 && within(ax, ay, bx, by, x, y)) return 0;
    if (ay > y !== by > y) {
      const xi = ax + ((y - ay) * (bx - ax)) / (by - ay);
      if (x < xi) inside = !inside;
    }
  }
  return inside ? 1 : -1;
}

/**
 * Where ring `inner` lies relative to ring `outer`, assuming their boundaries do not cross:
 * 1 inside, -1 outside, 0 when every vertex and edge midpoint of `inner` is on `outer`'s boundary.
 */
export function ringInRing(inner: Ring, outer: Ring): { side: 1 | 0 | -1; vertex: number } {
  for (let k = 0; k + 1 < inner.length; k++) {
    const side = pointInRing(inner[k]![0], inner[k]![1], outer);
    if (side !== 0) return { side, vertex: k };
  }
  for (let k = 0; k + 1 < inner.length; k++) {
    const side = pointInRing((inner[k]![0] + inner[k + 1]![0]) / 2, (inner[k]![1] + inner[k + 1]![1]) / 2, outer);
    if (side !== 0) return { side, vertex: k };
  }
  return { side: 0, vertex: 0 };
}
