import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { AppError, type FieldIssue } from '../../../src/errors/app.error.js';
import { parseAoi } from '../../../src/raster/aoi/aoi.parse.js';
import type { Ring } from '../../../src/raster/aoi/aoi.types.js';
import { findRingIntersections, segmentContact } from '../../../src/raster/aoi/ring.topology.js';
import { realFixturesDir } from '../../support/gdal.js';
import { rng, starRing } from '../plan/polygon.fixtures.js';

const P = ['body', 'aoi_geometry'];
const box = (x0: number, y0: number, x1: number, y1: number): Ring => [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]];

/** The issues parseAoi throws for an input (fails when it does not throw invalid_aoi). */
function issuesOf(input: unknown, opts?: Parameters<typeof parseAoi>[1]): FieldIssue[] {
  try {
    parseAoi(input, opts);
  } catch (e) {
    assert.ok(e instanceof AppError, String(e));
    assert.equal(e.code, 'invalid_aoi');
    assert.ok(e.issues && e.issues.length > 0);
    assert.ok(e.message.includes(e.issues[0]!.msg), e.message);
    return e.issues;
  }
  assert.fail('expected invalid_aoi');
}

describe('parseAoi', () => {
  describe('accepts', () => {
    it('a Polygon, normalised with its bbox and vertex count', () => {
      const aoi = parseAoi({ type: 'Polygon', coordinates: [box(10, 20, 11, 21.5), box(10.2, 20.2, 10.4, 20.4)] });
      assert.deepEqual(aoi.polygons, [[box(10, 20, 11, 21.5), box(10.2, 20.2, 10.4, 20.4)]]);
      assert.deepEqual(aoi.bbox, [10, 20, 11, 21.5]);
      assert.equal(aoi.vertexCount, 10);
      assert.equal(aoi.name, undefined);
    });

    it('a MultiPolygon, a Feature and a FeatureCollection (union of features, name from properties)', () => {
      const mp = { type: 'MultiPolygon', coordinates: [[box(0, 0, 1, 1)], [box(2, 2, 3, 3)]] };
      assert.equal(parseAoi(mp).polygons.length, 2);
      assert.equal(parseAoi({ type: 'Feature', properties: { name: 'Farm' }, geometry: mp }).name, 'Farm');
      const fc = { type: 'FeatureCollection', name: 'layer', features: [{ type: 'Feature', properties: null, geometry: mp }, { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [box(5, 5, 6, 6)] } }] };
      const aoi = parseAoi(fc);
      assert.equal(aoi.polygons.length, 3);
      assert.deepEqual(aoi.bbox, [0, 0, 6, 6]);
      assert.equal(aoi.name, 'layer');
    });

    it('skips empty geometries and null-geometry features; ignores altitudes; drops repeated points', () => {
      const fc = {
        type: 'FeatureCollection',
        features: [
          { type: 'Feature', properties: {}, geometry: { type: 'MultiPolygon', coordinates: [] } },
          { type: 'Feature', properties: {}, geometry: null },
          { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[0, 0, 5], [1, 0, 5], [1, 0, 5], [1, 1, 5], [0, 0, 5]]] } },
        ],
      };
      const aoi = parseAoi(fc);
      assert.deepEqual(aoi.polygons, [[[[0, 0], [1, 0], [1, 1], [0, 0]]]]);
      assert.equal(aoi.vertexCount, 5);
    });

    it('the real fixtures (Mana Island has an empty "out-of-scope" MultiPolygon)', { skip: readFixture('mana-island') ? false : 'no fixtures' }, () => {
      const mana = parseAoi(readFixture('mana-island'));
      assert.equal(mana.polygons.length, 2); // the island and a rock, from one MultiPolygon
      assert.equal(mana.name, 'Mana Island');
      assert.deepEqual(mana.bbox.map((v) => Number(v.toFixed(4))), [174.5414, -41.0974, 174.7883, -40.9738]);
      assert.equal(parseAoi(readFixture('kapiti-island')).name, 'Kapiti Island');
      assert.equal(parseAoi(readFixture('rgb-byte-box')).vertexCount, 5);
    });

    it('holes that touch their shell at a point, and polygons that touch each other', () => {
      const shell = box(0, 0, 4, 4);
      const hole: Ring = [[0, 2], [1, 1], [1, 3], [0, 2]]; // vertex (0, 2) on the shell's left edge
      assert.equal(parseAoi({ type: 'Polygon', coordinates: [shell, hole] }).polygons[0]!.length, 2);
      assert.equal(parseAoi({ type: 'MultiPolygon', coordinates: [[box(0, 0, 1, 1)], [box(1, 0, 2, 1)]] }).polygons.length, 2);
    });
  });

  describe('rejects, naming where', () => {
    it('anything but a GeoJSON object', () => {
      assert.deepEqual(issuesOf('POLYGON((0 0, 1 0, 1 1, 0 0))'), [{ loc: P, msg: 'AOI must be a GeoJSON object (Polygon, MultiPolygon, Feature or FeatureCollection), got "POLYGON((0 0, 1 0, 1 1, 0 0))"', type: 'type_error.geojson' }]);
      assert.equal(issuesOf(null)[0]!.type, 'type_error.geojson');
      assert.equal(issuesOf([1, 2])[0]!.type, 'type_error.geojson');
    });

    it('unsupported geometry types, also inside a FeatureCollection', () => {
      assert.deepEqual(issuesOf({ type: 'Point', coordinates: [0, 0] }), [
        { loc: [...P, 'type'], msg: 'Geometry type Point is not supported; use Polygon or MultiPolygon (or a Feature/FeatureCollection of them)', type: 'value_error.geometry_type' },
      ]);
      const fc = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [box(0, 0, 1, 1)] } }, { type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: [[0, 0], [1, 1]] } }] };
      assert.deepEqual(issuesOf(fc).map((i) => i.loc), [[...P, 'features', 1, 'geometry', 'type']]);
      assert.deepEqual(issuesOf({ type: 'FeatureCollection', features: [{ type: 'Polygon', coordinates: [] }] })[0]!.loc, [...P, 'features', 0, 'type']);
      assert.equal(issuesOf({ type: 'GeometryCollection', geometries: [] })[0]!.type, 'value_error.geometry_type');
    });

    it('a ring that is not closed, at its last position', () => {
      assert.deepEqual(issuesOf({ type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1]]] }), [
        { loc: [...P, 'coordinates', 0, 3], msg: 'Ring is not closed: last position (0, 1) differs from first (0, 0)', type: 'value_error.ring_not_closed' },
      ]);
    });

    it('a ring of fewer than 4 positions, or fewer than 3 distinct vertices', () => {
      assert.deepEqual(issuesOf({ type: 'MultiPolygon', coordinates: [[box(0, 0, 1, 1)], [[[0, 0], [1, 1], [0, 0]]]] }), [
        { loc: [...P, 'coordinates', 1, 0], msg: 'Ring has 3 positions; a closed ring needs at least 4', type: 'value_error.ring_too_short' },
      ]);
      assert.deepEqual(issuesOf({ type: 'Polygon', coordinates: [[[0, 0], [1, 1], [1, 1], [0, 0]]] }), [
        { loc: [...P, 'coordinates', 0], msg: 'Ring has only 2 distinct vertices; a ring needs at least 3', type: 'value_error.ring_degenerate' },
      ]);
    });

    it('non-finite or non-numeric coordinates and out-of-range lon/lat, every one of them', () => {
      const issues = issuesOf({ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[0, 0], [181, 0], [1, 'x'], [1, -91], [0, 1], [Number.NaN, 0], [0]]] } });
      assert.deepEqual(issues, [
        { loc: [...P, 'geometry', 'coordinates', 0, 1], msg: 'Longitude 181 is outside [-180, 180]', type: 'value_error.longitude' },
        { loc: [...P, 'geometry', 'coordinates', 0, 2], msg: 'Coordinates must be finite numbers, got [1, "x"]', type: 'type_error.number' },
        { loc: [...P, 'geometry', 'coordinates', 0, 3], msg: 'Latitude -91 is outside [-90, 90]', type: 'value_error.latitude' },
        { loc: [...P, 'geometry', 'coordinates', 0, 5], msg: 'Coordinates must be finite numbers, got [NaN, 0]', type: 'type_error.number' },
        { loc: [...P, 'geometry', 'coordinates', 0, 6], msg: 'Position must be an array [lon, lat], got an array', type: 'type_error.position' },
      ]);
    });

    it('more vertices than allowed', () => {
      const ring = starRing(rng(1), 10, 10, 0.5, 1, 30);
      assert.deepEqual(issuesOf({ type: 'Polygon', coordinates: [ring] }, { maxVertices: 30 }), [
        { loc: P, msg: 'AOI has 31 vertices; at most 30 are allowed (simplify it)', type: 'value_error.too_many_vertices' },
      ]);
      assert.equal(parseAoi({ type: 'Polygon', coordinates: [ring] }, { maxVertices: 31 }).vertexCount, 31);
    });

    it('an AOI whose every geometry is empty', () => {
      assert.deepEqual(issuesOf({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'MultiPolygon', coordinates: [] } }] }), [
        { loc: P, msg: 'AOI has no polygon: every geometry is empty', type: 'value_error.empty_geometry' },
      ]);
    });

    it('a self-intersecting ring (bow tie), with both segments and the crossing point', () => {
      assert.deepEqual(issuesOf({ type: 'Polygon', coordinates: [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]] }), [
        { loc: [...P, 'coordinates', 0, 0], msg: 'Ring self-intersects at segment 0 and 2 near (0.5, 0.5)', type: 'value_error.self_intersection' },
      ]);
    });

    it('in a MultiPolygon, with input vertex numbers even after repeated points are dropped', () => {
      // Polygon 1's ring: position 2 repeats position 1 (dropped); the dip to (11, 9) crosses segment 0 twice.
      const bad: Ring = [[10, 10], [12, 10], [12, 10], [12, 12], [11, 9], [10, 12], [10, 10]];
      const issues = issuesOf({ type: 'MultiPolygon', coordinates: [[box(0, 0, 1, 1)], [bad]] });
      assert.deepEqual(issues.map((i) => [i.loc, i.msg]), [
        [[...P, 'coordinates', 1, 0, 0], 'Ring self-intersects at segment 0 and 3 near (11.3333333, 10)'],
        [[...P, 'coordinates', 1, 0, 0], 'Ring self-intersects at segment 0 and 4 near (10.6666667, 10)'],
      ]);
    });

    it('a ring that touches itself at a vertex or folds back on itself', () => {
      // Figure of eight through (1, 1).
      const eight: Ring = [[0, 0], [1, 1], [2, 0], [2, 2], [1, 1], [0, 2], [0, 0]];
      assert.deepEqual(issuesOf({ type: 'Polygon', coordinates: [eight] }).map((i) => i.msg), ['Ring touches itself at segment 0 and 3 near (1, 1)']);
      const spike: Ring = [[0, 0], [2, 0], [3, 0], [1, 0], [1, 1], [0, 0]];
      // Out to (3, 0) and back over the first edge: it overlaps that edge and folds back on the previous one.
      assert.deepEqual(issuesOf({ type: 'Polygon', coordinates: [spike] }).map((i) => [i.loc, i.msg]), [
        [[...P, 'coordinates', 0, 0], 'Ring overlaps itself at segment 0 and 2 near (1, 0)'],
        [[...P, 'coordinates', 0, 1], 'Ring overlaps itself at segment 1 and 2 near (3, 0)'],
      ]);
    });

    it('a hole that crosses its shell, lies outside it, or inside another hole', () => {
      const shell = box(0, 0, 10, 10);
      assert.deepEqual(issuesOf({ type: 'Polygon', coordinates: [shell, box(8, 8, 12, 9)] }), [
        { loc: [...P, 'coordinates', 1, 0], msg: 'Hole 1 crosses the outer ring at its segment 0 and segment 1 of ring 0 near (10, 8)', type: 'value_error.ring_intersection' },
        { loc: [...P, 'coordinates', 1, 2], msg: 'Hole 1 crosses the outer ring at its segment 2 and segment 1 of ring 0 near (10, 9)', type: 'value_error.ring_intersection' },
      ]);
      assert.deepEqual(issuesOf({ type: 'Polygon', coordinates: [shell, box(1, 1, 2, 2), box(20, 20, 21, 21)] }), [
        { loc: [...P, 'coordinates', 2, 0], msg: 'Hole 2 lies outside its outer ring (vertex 0 at (20, 20))', type: 'value_error.hole_outside_shell' },
      ]);
      assert.deepEqual(issuesOf({ type: 'MultiPolygon', coordinates: [[box(30, 30, 31, 31)], [shell, box(1, 1, 5, 5), box(2, 2, 3, 3)]] }), [
        { loc: [...P, 'coordinates', 1, 2, 0], msg: 'Hole 2 lies inside hole 1; nested holes are not allowed (make it a separate polygon)', type: 'value_error.nested_hole' },
      ]);
      assert.equal(issuesOf({ type: 'Polygon', coordinates: [shell, box(1, 1, 5, 5), box(4, 4, 6, 6)] })[0]!.type, 'value_error.ring_intersection');
    });

    it('under a caller-chosen loc prefix', () => {
      assert.deepEqual(issuesOf({ type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1]]] }, { loc: ['aoi'] })[0]!.loc, ['aoi', 'coordinates', 0]);
    });
  });

  describe('segment sweep', () => {
    it('finds a problem exactly when brute force over all segment pairs does (2000 random rings)', () => {
      const r = rng(4242);
      for (let t = 0; t < 2000; t++) {
        const n = 3 + Math.floor(r() * 14);
        // Random (often self-intersecting) rings on a coarse grid, so touches and overlaps happen too.
        const ring: Ring = Array.from({ length: n }, () => [Math.floor(r() * 6), Math.floor(r() * 6)] as [number, number]);
        ring.push([...ring[0]!]);
        const dedup = ring.filter((p, i) => i === 0 || p[0] !== ring[i - 1]![0] || p[1] !== ring[i - 1]![1]);
        if (new Set(dedup.map((p) => p.join())).size < 3) continue;
        const m = dedup.length - 1;
        let brute = false;
        for (let a = 0; a < m && !brute; a++) {
          for (let b = a + 1; b < m && !brute; b++) {
            const c = segmentContact(dedup[a]!, dedup[a + 1]!, dedup[b]!, dedup[b + 1]!);
            if (!c) continue;
            const adjacent = b === a + 1 || (a === 0 && b === m - 1);
            brute = adjacent ? c.contact === 'overlap' : true;
          }
        }
        const found = findRingIntersections([dedup], 1).length > 0;
        assert.equal(found, brute, `ring ${JSON.stringify(dedup)}`);
      }
    });

    it('examines a number of segment pairs that grows with the outline, not its square: a wobbly outline, a comb of long thin teeth, a spiky random star', (t) => {
      const wobbly = (n: number): Ring => {
        const r = rng(8);
        const ring: Ring = [];
        for (let k = 0; k < n; k++) {
          const a = (2 * Math.PI * k) / n;
          const rad = 1 + 0.3 * Math.sin(7 * a) + 0.1 * Math.sin(53 * a) + 0.002 * r();
          ring.push([174 + rad * Math.cos(a), -41 + rad * Math.sin(a)]);
        }
        ring.push([...ring[0]!]);
        return ring;
      };
      // Comb: long horizontal teeth, 2 long edges each: a sweep along x would keep them all active.
      const comb = (teeth: number): Ring => {
        const ring: Ring = [[0, 0]];
        for (let k = 0; k < teeth; k++) ring.push([10, k * 0.01], [10, k * 0.01 + 0.005], [0.1, k * 0.01 + 0.005], [0.1, (k + 1) * 0.01]);
        ring.push([0, teeth * 0.01], [0, 0]);
        return ring;
      };
      // Radii jump at random between neighbours: many segment pairs with overlapping boxes.
      const spiky = (n: number): Ring => starRing(rng(3), 170, -40, 0.5, 1, n);
      const pairs = (ring: Ring): number => {
        assert.ok(parseAoi({ type: 'Polygon', coordinates: [ring] }), 'a valid polygon');
        const work = { pairs: 0 };
        assert.equal(findRingIntersections([ring], 1, work).length, 0);
        return work.pairs;
      };
      // The sweep examines exactly the pairs whose intervals along its axis overlap: never all n^2 / 2.
      for (const ring of [wobbly(1_999), comb(499), spiky(1_999)]) {
        const byAxis = [0, 1].map((axis) => {
          let n = 0;
          for (let a = 0; a + 1 < ring.length; a++) {
            for (let b = a + 1; b + 1 < ring.length; b++) {
              const [a0, a1, b0, b1] = [ring[a]![axis]!, ring[a + 1]![axis]!, ring[b]![axis]!, ring[b + 1]![axis]!];
              if (Math.min(a0, a1) <= Math.max(b0, b1) && Math.min(b0, b1) <= Math.max(a0, a1)) n++;
            }
          }
          return n;
        });
        assert.ok(byAxis.includes(pairs(ring)), `${pairs(ring)} pairs examined; overlapping along x ${byAxis[0]}, along y ${byAxis[1]}`);
      }
      // Outlines whose segments are short along the sweep: a few pairs per segment, growing linearly.
      const [w5, w10] = [pairs(wobbly(4_999)), pairs(wobbly(9_999))];
      const [c5, c10] = [pairs(comb(1_249)), pairs(comb(2_499))];
      t.diagnostic(`segment pairs examined at 5 000 / 10 000 vertices: wobbly ${w5} / ${w10}, comb ${c5} / ${c10}`);
      assert.ok(w10 < 10 * 10_000 && c10 < 10 * 10_000, `wobbly ${w10}, comb ${c10}`);
      assert.ok(w10 < 2.2 * w5 && c10 < 2.2 * c5, `doubling the vertices: wobbly ${w5} -> ${w10}, comb ${c5} -> ${c10}`);
    });
  });
});

function readFixture(name: string): unknown {
  try {
    return JSON.parse(readFileSync(path.join(realFixturesDir, `${name}.geojson`), 'utf8'));
  } catch {
    return undefined;
  }
}
