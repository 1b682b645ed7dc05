/**
 * Exact scanline rasterization of polygons by pixel centres, one row at a time (GDAL's rule for
 * `gdal_rasterize` without ALL_TOUCHED and `gdalwarp -cutline`).
 *
 * Polygons are in pixel space: pixel (c, r) covers [c, c+1) x [r, r+1), its centre is (c+0.5, r+0.5).
 * For row r the scanline is y = r + 0.5. An edge crosses it when `yLow <= y < yHigh` (half-open, so a
 * vertex on the line counts once and horizontal edges never count); the crossing at x is rounded to the
 * column `floor(x + 0.5)`, computed from the lower end exactly as GDAL's `GDALdllImageFilledPolygon`
 * does; between the sorted crossings of one polygon, pairs `[a, b)` are inside (even-odd, so holes are
 * honoured). Equivalently, the centre is inside when an odd number of that polygon's edges cross the line
 * strictly left of it (x < c + 0.5). So a centre exactly on a boundary is inside on a top or right edge and
 * outside on a bottom or left edge (pixel space, rows growing down), the same for every pixel and every
 * tile. A multipolygon is the union of its polygons.
 *
 * Streaming: edges are sorted by their top; a row's spans cost O(edges crossing it) plus the edges that
 * start there, when rows are asked for in increasing order.
 */
import type { Polygons, Ring } from '../aoi/aoi.types.js';
import type { GeoTransform } from '../raster.types.js';

/** Spans of one row: flat `[c0, c1, c0, c1, …]`, sorted, disjoint and not touching, each `[c0, c1)` within `[0, width)`. */
export type RowSpans = Int32Array;

export interface SpanOptions {
  /** Raster width in pixels: spans are clipped to `[0, width)`. */
  width: number;
  /** Raster height in pixels: rows outside `[0, height)` have no spans. Default: unbounded. */
  height?: number;
  /**
   * Reproduce GDAL's rasterizer exactly, including its one departure from the half-open rule: GDAL first
   * turns every ring clockwise in CRS coordinates (`GDALCollectRingsFromGeometry`), then also burns each
   * horizontal edge lying exactly on a row's centre line that runs right to left in pixel space ("do not
   * skip bottom horizontal segments"). The value is the orientation of the geotransform (see
   * `gdalCompatFor`): with `north-up`, centres exactly on a bottom edge become inside. Off by default; it
   * only matters for edges exactly on a centre line.
   */
  gdalCompat?: GdalCompat;
  /** When given, counts the scanner's work (for tests that bound its growth without a clock). */
  work?: ScanWork;
}

/** Work done by a `SpanScanner`. */
export interface ScanWork {
  /** Rows scanned (a restart scans its rows again) */
  rows: number;
  /** Edge visits: each admission of an edge, and each edge crossing a scanned row */
  edges: number;
}

/** Orientation of a geotransform: `north-up` when its determinant is negative (rows go south). */
export type GdalCompat = 'north-up' | 'south-up';

/** The `gdalCompat` value for a raster's geotransform. */
export function gdalCompatFor(t: GeoTransform): GdalCompat {
  return t[1] * t[5] - t[2] * t[4] < 0 ? 'north-up' : 'south-up';
}

/** Twice the signed area of a ring (shoelace), from offsets to its first vertex. */
function ringArea2(ring: Ring): number {
  const [x0, y0] = ring[0]!;
  let sum = 0;
  for (let k = 1; k + 1 < ring.length; k++) sum += (ring[k]![0] - x0) * (ring[k + 1]![1] - y0) - (ring[k + 1]![0] - x0) * (ring[k]![1] - y0);
  return sum;
}

const EMPTY: RowSpans = new Int32Array(0);

/** Streams the spans of rows in increasing order over fixed polygons. */
export class SpanScanner {
  readonly width: number;
  readonly height: number;
  /** First row that can have spans (may be < 0 before clipping to the raster) */
  readonly firstRow: number;
  /** One past the last row that can have spans */
  readonly endRow: number;
  private readonly polygonCount: number;
  // Non-horizontal edges, lower end (smaller y) first, sorted by that y.
  private readonly x1: Float64Array;
  private readonly y1: Float64Array;
  private readonly x2: Float64Array;
  private readonly y2: Float64Array;
  private readonly poly: Int32Array;
  // Horizontal edges burnt GDAL's way (gdalCompat), sorted by y: y, left x, right x.
  private readonly hy: Float64Array;
  private readonly hx1: Float64Array;
  private readonly hx2: Float64Array;
  private readonly active: Int32Array;
  private activeCount = 0;
  private next = 0;
  private nextH = 0;
  private lastRow = -Infinity;
  private readonly work: ScanWork | undefined;
  // Scratch, grown on demand.
  private keys = new Float64Array(64);
  private ints = new Int32Array(64);
  private spans = new Int32Array(64);

  constructor(polygons: Polygons, opts: SpanOptions) {
    this.width = opts.width;
    this.height = opts.height ?? Infinity;
    this.polygonCount = polygons.length;
    this.work = opts.work;
    const edges: [number, number, number, number, number][] = [];
    const horizontal: [number, number, number][] = [];
    // Clockwise in CRS coordinates is a positive pixel-space area when north-up (the y axis flips).
    const wantSign = opts.gdalCompat === 'north-up' ? 1 : -1;
    polygons.forEach((polygon, p) => {
      for (const ring of polygon) {
        const n = ring.length;
        const reversed = opts.gdalCompat !== undefined && n > 2 && Math.sign(ringArea2(ring)) === -wantSign;
        const closed = n > 1 && ring[0]![0] === ring[n - 1]![0] && ring[0]![1] === ring[n - 1]![1];
        const m = closed ? n - 1 : n;
        for (let k = 0; k < m; k++) {
          const [ax, ay] = ring[k]!;
          const [bx, by] = ring[(k + 1) % n]!;
          if (ay < by) edges.push([ax, ay, bx, by, p]);
          else if (ay > by) edges.push([bx, by, ax, ay, p]);
          else if (opts.gdalCompat !== undefined && ax !== bx && ax > bx !== reversed) horizontal.push([ay, Math.min(ax, bx), Math.max(ax, bx)]);
        }
      }
    });
    edges.sort((a, b) => a[1] - b[1]);
    horizontal.sort((a, b) => a[0] - b[0]);
    const e = edges.length;
    this.x1 = new Float64Array(e);
    this.y1 = new Float64Array(e);
    this.x2 = new Float64Array(e);
    this.y2 = new Float64Array(e);
    this.poly = new Int32Array(e);
    let minY = Infinity;
    let maxY = -Infinity;
    edges.forEach(([ax, ay, bx, by, p], i) => {
      this.x1[i] = ax;
      this.y1[i] = ay;
      this.x2[i] = bx;
      this.y2[i] = by;
      this.poly[i] = p;
      if (ay < minY) minY = ay;
      if (by > maxY) maxY = by;
    });
    this.hy = Float64Array.from(horizontal, (h) => h[0]);
    this.hx1 = Float64Array.from(horizontal, (h) => h[1]);
    this.hx2 = Float64Array.from(horizontal, (h) => h[2]);
    for (const y of this.hy) {
      if (y < minY) minY = y;
      if (y >= maxY) maxY = y + 1e-9;
    }
    this.active = new Int32Array(e);
    // Row r is crossed when y1 <= r + 0.5 < y2.
    this.firstRow = minY === Infinity ? 0 : Math.ceil(minY - 0.5);
    this.endRow = minY === Infinity ? 0 : Math.ceil(maxY - 0.5);
  }

  /** Rows `[start, end)` of the raster that can have spans (empty when start >= end). */
  rowRange(): [number, number] {
    return [Math.max(0, this.firstRow), Math.min(this.height, this.endRow)];
  }

  /**
   * Spans of row `r`. Cheap when rows come in increasing order; an earlier row restarts the scan.
   * The returned array is the caller's (a fresh copy).
   */
  row(r: number): RowSpans {
    if (r < this.lastRow) this.reset();
    this.lastRow = r;
    if (r < 0 || r >= this.height) return EMPTY;
    const y = r + 0.5;
    const { x1, y1, x2, y2, poly, active, width } = this;
    // Retire edges that end at or above the line, then admit those that start on or above it.
    let kept = 0;
    for (let a = 0; a < this.activeCount; a++) {
      const i = active[a]!;
      if (y2[i]! > y) active[kept++] = i;
    }
    const total = x1.length;
    const admitted = this.next;
    while (this.next < total && y1[this.next]! <= y) {
      if (y2[this.next]! > y) active[kept++] = this.next;
      this.next++;
    }
    this.activeCount = kept;
    if (this.work) {
      this.work.rows++;
      this.work.edges += this.next - admitted + kept;
    }

    let spanCount = 0;
    if (kept > 0) {
      this.ensure(kept);
      const ints = this.ints;
      for (let a = 0; a < kept; a++) {
        const i = active[a]!;
        const dy1 = y1[i]!;
        const dx1 = x1[i]!;
        const x = ((y - dy1) * (x2[i]! - dx1)) / (y2[i]! - dy1) + dx1;
        let c = Math.floor(x + 0.5);
        if (c < 0) c = 0;
        else if (c > width) c = width;
        ints[a] = c;
      }
      if (this.polygonCount === 1) {
        const sorted = ints.subarray(0, kept).sort();
        for (let a = 0; a + 1 < kept; a += 2) {
          if (sorted[a]! < sorted[a + 1]!) spanCount = this.pushSpan(spanCount, sorted[a]!, sorted[a + 1]!);
        }
      } else {
        // Sort by (polygon, column); each polygon crosses the line an even number of times.
        const keys = this.keys;
        const stride = width + 1;
        for (let a = 0; a < kept; a++) keys[a] = poly[active[a]!]! * stride + ints[a]!;
        const sorted = keys.subarray(0, kept).sort();
        for (let a = 0; a + 1 < kept; a += 2) {
          const c0 = sorted[a]! % stride;
          const c1 = sorted[a + 1]! % stride;
          if (c0 < c1) spanCount = this.pushSpan(spanCount, c0, c1);
        }
      }
    }
    spanCount = this.horizontalSpans(y, spanCount);
    return this.merge(spanCount);
  }

  private horizontalSpans(y: number, spanCount: number): number {
    const { hy, hx1, hx2, width } = this;
    while (this.nextH < hy.length && hy[this.nextH]! < y) this.nextH++;
    for (let h = this.nextH; h < hy.length && hy[h] === y; h++) {
      const c0 = Math.min(width, Math.max(0, Math.floor(hx1[h]! + 0.5)));
      const c1 = Math.min(width, Math.max(0, Math.floor(hx2[h]! + 0.5)));
      if (c0 < c1) spanCount = this.pushSpan(spanCount, c0, c1);
    }
    return spanCount;
  }

  private pushSpan(count: number, c0: number, c1: number): number {
    if (2 * count + 2 > this.spans.length) {
      const grown = new Int32Array(this.spans.length * 2);
      grown.set(this.spans);
      this.spans = grown;
    }
    this.spans[2 * count] = c0;
    this.spans[2 * count + 1] = c1;
    return count + 1;
  }

  /** Sort spans by start and merge overlapping or touching ones into a fresh array. */
  private merge(count: number): RowSpans {
    if (count === 0) return EMPTY;
    const spans = this.spans;
    if (count === 1) return spans.slice(0, 2);
    this.ensure(count);
    const stride = this.width + 1;
    const keys = this.keys;
    for (let s = 0; s < count; s++) keys[s] = spans[2 * s]! * stride + spans[2 * s + 1]!;
    const sorted = keys.subarray(0, count).sort();
    const out: number[] = [];
    let c0 = Math.floor(sorted[0]! / stride);
    let c1 = sorted[0]! % stride;
    for (let s = 1; s < count; s++) {
      const a = Math.floor(sorted[s]! / stride);
      const b = sorted[s]! % stride;
      if (a <= c1) {
        if (b > c1) c1 = b;
      } else {
        out.push(c0, c1);
        c0 = a;
        c1 = b;
      }
    }
    out.push(c0, c1);
    return Int32Array.from(out);
  }

  private ensure(n: number): void {
    if (this.keys.length < n) this.keys = new Float64Array(n * 2);
    if (this.ints.length < n) this.ints = new Int32Array(n * 2);
  }

  private reset(): void {
    this.activeCount = 0;
    this.next = 0;
    this.nextH = 0;
  }
}

/** Spans of rows `[start, end)` in order (rows without spans included, as empty arrays). */
export function* rowSpans(polygons: Polygons, opts: SpanOptions, start: number, end: number): Generator<{ row: number; spans: RowSpans }> {
  const scanner = new SpanScanner(polygons, opts);
  for (let row = start; row < end; row++) yield { row, spans: scanner.row(row) };
}

/** Number of pixels of `spans` within columns `[c0, c1)`. */
export function spanCoverage(spans: RowSpans, c0: number, c1: number): number {
  let n = 0;
  for (let s = 0; s < spans.length; s += 2) {
    const a = Math.max(spans[s]!, c0);
    const b = Math.min(spans[s + 1]!, c1);
    if (b > a) n += b - a;
  }
  return n;
}

/** Write `value` into `out[offset + c - x0]` for every column c of `spans` within `[x0, x0 + length)`. */
export function fillSpans(spans: RowSpans, out: Uint8Array, offset: number, x0: number, length: number, value = 255): void {
  for (let s = 0; s < spans.length; s += 2) {
    const a = Math.max(spans[s]!, x0);
    const b = Math.min(spans[s + 1]!, x0 + length);
    if (b > a) out.fill(value, offset + a - x0, offset + b - x0);
  }
}
