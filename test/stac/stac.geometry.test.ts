import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { featureCollection, multiPolygon, polygon } from '@turf/helpers';
import { intersect } from '@turf/intersect';
import type { MultiPolygon, Polygon } from 'geojson';
import { polygonsAreaKm2, ringArea } from '../../src/raster/aoi/aoi.area.js';
import type { Ring } from '../../src/raster/aoi/aoi.types.js';
import { aoiWithin } from '../../src/stac/stac.geometry.js';

/** A footprint ring as footprintRing makes them: a quadrilateral densified along its edges. */
function footprint(w: number, s: number, e: number, n: number): [number, number][] {
  const corners: [number, number][] = [[w, s], [e, s + 0.01], [e - 0.01, n], [w, n - 0.01]];
  const ring: [number, number][] = [];
  corners.forEach((a, k) => {
    const b = corners[(k + 1) % 4]!;
    for (let i = 0; i < 16; i++) ring.push([a[0] + ((b[0] - a[0]) * i) / 16, a[1] + ((b[1] - a[1]) * i) / 16]);
  });
  return [...ring, ring[0]!];
}

/** The intersection as turf computes it, the oracle of the fast path. */
function turfWithin(rings: Ring[], fp: [number, number][]) {
  return intersect(featureCollection<Polygon | MultiPolygon>([multiPolygon([rings]), polygon([fp])]))?.geometry ?? null;
}

const area = (g: { type: string; coordinates: unknown }): number => polygonsAreaKm2(g.type === 'Polygon' ? [g.coordinates as Ring[]] : (g.coordinates as Ring[][]));

describe('an output\'s STAC geometry: the AOI within its footprint', () => {
  const fp = footprint(170, -42, 171, -41);
  // Clockwise as given (RFC 7946 wants counterclockwise outer rings), with a counterclockwise hole.
  const inside: Ring[] = [
    [[170.2, -41.8], [170.3, -41.3], [170.7, -41.4], [170.6, -41.7], [170.2, -41.8]],
    [[170.4, -41.6], [170.5, -41.6], [170.5, -41.5], [170.4, -41.6]],
  ];

  it('is the AOI itself when it lies wholly inside, with right-handed rings, and the area the intersection has', () => {
    const placed = aoiWithin({ type: 'Polygon', coordinates: inside }, fp)!;
    assert.equal(placed.geometry.type, 'Polygon');
    const rings = placed.geometry.coordinates as Ring[];
    assert.ok(ringArea(rings[0]!) > 0 && ringArea(rings[1]!) < 0, 'outer ring counterclockwise, hole clockwise');
    assert.deepEqual(rings.map((r) => [...r].sort()), inside.map((r) => [...r].sort()), 'the same vertices');
    assert.deepEqual(placed.bbox, [170.2, -41.8, 170.7, -41.3]);
    const oracle = turfWithin(inside, fp)!;
    assert.ok(Math.abs(area(placed.geometry) - area(oracle)) < 1e-9 * area(oracle));
  });

  it('is the intersection when the AOI crosses the footprint, and null when they do not meet', () => {
    const crossing: Ring[] = [[[170.8, -41.5], [171.4, -41.5], [171.4, -41.2], [170.8, -41.2], [170.8, -41.5]]];
    const placed = aoiWithin({ type: 'Polygon', coordinates: crossing }, fp)!;
    const oracle = turfWithin(crossing, fp)!;
    assert.deepEqual(placed.geometry, oracle);
    assert.ok(area(placed.geometry) < polygonsAreaKm2([crossing]) * 0.5);
    assert.equal(aoiWithin({ type: 'Polygon', coordinates: [[[175, -41.5], [175.2, -41.5], [175.2, -41.2], [175, -41.5]]] }, fp), null);
  });
});
