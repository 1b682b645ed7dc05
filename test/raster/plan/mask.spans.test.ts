import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Polygons } from '../../../src/raster/aoi/aoi.types.js';
import { fillSpans, gdalCompatFor, rowSpans, SpanScanner, spanCoverage, type GdalCompat } from '../../../src/raster/plan/mask.spans.js';
import { insideRef, maskRef, randomPolygons, rng } from './polygon.fixtures.js';

/** Mask of a w x h raster from the scanner, rows in increasing order. */
function maskFromSpans(polygons: Polygons, w: number, h: number, gdalCompat?: GdalCompat): Uint8Array {
  const out = new Uint8Array(w * h);
  for (const { row, spans } of rowSpans(polygons, { width: w, height: h, ...(gdalCompat ? { gdalCompat } : {}) }, 0, h)) fillSpans(spans, out, row * w, 0, w);
  return out;
}

function firstDifference(a: Uint8Array, b: Uint8Array, w: number): string | null {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return `pixel (${i % w}, ${Math.floor(i / w)}): spans ${a[i]} reference ${b[i]}`;
  return null;
}

const square = (x0: number, y0: number, x1: number, y1: number): Polygons => [[[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]];

describe('mask spans (pixel-centre scanline rasterizer)', () => {
  it('includes exactly the pixels whose centres are inside a rectangle', () => {
    const s = new SpanScanner(square(1.2, 0.7, 4.6, 2.4), { width: 10, height: 5 });
    assert.deepEqual([...s.row(0)], []); // centre y 0.5 < 0.7
    assert.deepEqual([...s.row(1)], [1, 5]); // centres 1.5 to 4.5 lie in [1.2, 4.6]
    assert.deepEqual([...s.row(2)], []); // 2.5 > 2.4
  });

  it('puts centres on a top or right edge inside and on a bottom or left edge outside (GDAL\'s rounding)', () => {
    // Edges exactly on centre lines y = 0.5 and y = 2.5, x = 1.5 and x = 4.5.
    const s = new SpanScanner(square(1.5, 0.5, 4.5, 2.5), { width: 10, height: 5 });
    assert.deepEqual([...s.row(0)], [2, 5]);
    assert.deepEqual([...s.row(1)], [2, 5]);
    assert.deepEqual([...s.row(2)], []);
  });

  it('with gdalCompat, burns horizontal edges on centre lines as GDAL does, whatever the ring orientation', () => {
    const cw: Polygons = [[[[1.5, 0.5], [4.5, 0.5], [4.5, 2.5], [1.5, 2.5], [1.5, 0.5]]]];
    const ccw: Polygons = [[[...cw[0]![0]!].reverse()]];
    for (const polygons of [cw, ccw]) {
      // North-up (the usual): GDAL's clockwise-in-CRS rings run right to left along their bottom edge.
      const north = new SpanScanner(polygons, { width: 10, height: 5, gdalCompat: 'north-up' });
      assert.deepEqual([...north.row(0)], [2, 5]);
      assert.deepEqual([...north.row(2)], [2, 5]);
      const south = new SpanScanner(polygons, { width: 10, height: 5, gdalCompat: 'south-up' });
      assert.deepEqual([...south.row(2)], []);
    }
    assert.equal(gdalCompatFor([0, 10, 0, 0, 0, -10]), 'north-up');
    assert.equal(gdalCompatFor([0, 1, 0, 0, 0, 1]), 'south-up');
  });

  it('honours holes and unions overlapping polygons', () => {
    const withHole: Polygons = [[square(0, 0, 10, 3)[0]![0]!, square(3, 0, 6, 3)[0]![0]!]];
    assert.deepEqual([...new SpanScanner(withHole, { width: 10 }).row(1)], [0, 3, 6, 10]);
    const overlapping: Polygons = [...square(0, 0, 5, 3), ...square(3, 0, 8, 3), ...square(9, 0, 10, 3)];
    assert.deepEqual([...new SpanScanner(overlapping, { width: 10 }).row(1)], [0, 8, 9, 10]);
    const touching: Polygons = [...square(0, 0, 4, 3), ...square(4, 0, 8, 3)];
    assert.deepEqual([...new SpanScanner(touching, { width: 10 }).row(1)], [0, 8]);
  });

  it('clips spans to the raster and gives nothing outside its rows', () => {
    const s = new SpanScanner(square(-100, -100, 100, 100), { width: 7, height: 4 });
    assert.deepEqual(s.rowRange(), [0, 4]);
    assert.deepEqual([...s.row(-1)], []);
    assert.deepEqual([...s.row(3)], [0, 7]);
    assert.deepEqual([...s.row(4)], []);
  });

  it('matches the brute-force reference on 3000 seeded random multipolygons with holes', () => {
    const r = rng(12345);
    for (let t = 0; t < 3000; t++) {
      const w = 8 + Math.floor(r() * 40);
      const h = 8 + Math.floor(r() * 40);
      const polygons = randomPolygons(r, w, h);
      const diff = firstDifference(maskFromSpans(polygons, w, h), maskRef(polygons, w, h), w);
      assert.equal(diff, null, `case ${t} (${w}x${h}): ${diff}\n${JSON.stringify(polygons)}`);
    }
  });

  it('matches the reference when vertices and edges sit exactly on centre lines (1500 snapped cases, half-open and both GDAL orientations)', () => {
    const r = rng(777);
    for (let t = 0; t < 1500; t++) {
      const w = 6 + Math.floor(r() * 20);
      const h = 6 + Math.floor(r() * 20);
      const polygons = randomPolygons(r, w, h, { quantum: 0.5, maxVertices: 8 });
      const gdal = ([undefined, 'north-up', 'south-up'] as const)[t % 3];
      const diff = firstDifference(maskFromSpans(polygons, w, h, gdal), maskRef(polygons, w, h, gdal ?? false), w);
      assert.equal(diff, null, `case ${t} gdal=${gdal} (${w}x${h}): ${diff}\n${JSON.stringify(polygons)}`);
    }
  });

  it('gives the same spans when rows are asked out of order (it restarts) and outputs sorted, disjoint spans', () => {
    const r = rng(99);
    for (let t = 0; t < 200; t++) {
      const polygons = randomPolygons(r, 30, 30, { maxParts: 5 });
      const inOrder = new SpanScanner(polygons, { width: 30, height: 30 });
      const rows = Array.from({ length: 30 }, (_, i) => inOrder.row(i));
      const shuffled = new SpanScanner(polygons, { width: 30, height: 30 });
      for (const i of Array.from({ length: 30 }, (_, i) => i).sort(() => r() - 0.5)) {
        assert.deepEqual(shuffled.row(i), rows[i]);
      }
      for (const spans of rows) {
        for (let s = 0; s < spans.length; s += 2) {
          assert.ok(spans[s]! >= 0 && spans[s]! < spans[s + 1]! && spans[s + 1]! <= 30);
          if (s > 0) assert.ok(spans[s]! > spans[s - 1]!, 'spans touch or overlap');
        }
      }
      const [r0, r1] = inOrder.rowRange();
      rows.forEach((spans, i) => {
        if (spans.length > 0) assert.ok(i >= r0 && i < r1, `row ${i} outside rowRange ${r0}..${r1}`);
      });
    }
  });

  it('counts coverage of a column range', () => {
    const spans = Int32Array.from([2, 5, 8, 12]);
    assert.equal(spanCoverage(spans, 0, 20), 7);
    assert.equal(spanCoverage(spans, 4, 9), 2);
    assert.equal(spanCoverage(spans, 5, 8), 0);
  });

  it('streams a 100 000-vertex circle over 20 000 rows visiting each edge once plus the two crossing each row', () => {
    const n = 100_000;
    const ring: [number, number][] = [];
    for (let k = 0; k < n; k++) ring.push([10_000 + 9_000 * Math.cos((2 * Math.PI * k) / n), 10_000 + 9_000 * Math.sin((2 * Math.PI * k) / n)]);
    ring.push([...ring[0]!]);
    const work = { rows: 0, edges: 0 };
    const s = new SpanScanner([[ring]], { width: 20_000, height: 20_000, work });
    let inside = 0;
    for (let row = 0; row < 20_000; row++) inside += spanCoverage(s.row(row), 0, 20_000);
    const expected = Math.PI * 9_000 * 9_000;
    assert.ok(Math.abs(inside - expected) / expected < 1e-4, `${inside} vs ${expected}`);
    assert.equal(work.rows, 20_000);
    // 100 000 admissions, and two crossings on each of the 18 000 rows the circle spans.
    assert.ok(work.edges <= n + 2 * 18_001, `${work.edges} edge visits`);
    assert.ok(insideRef([[ring]], 10_000, 10_000));
  });
});
