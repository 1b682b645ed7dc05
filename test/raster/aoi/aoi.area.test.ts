import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { featureCollection, multiPolygon } from '@turf/helpers';
import { intersect } from '@turf/intersect';
import { aoiAreaKm2, intersectPolygons, polygonsAreaKm2, polygonWithin, ringArea } from '../../../src/raster/aoi/aoi.area.js';
import { parseAoi } from '../../../src/raster/aoi/aoi.parse.js';
import type { Polygons, Ring } from '../../../src/raster/aoi/aoi.types.js';
import { gdalPy, realFixturesDir, skipUnlessRealFixtures } from '../../support/gdal.js';

const box = (x0: number, y0: number, x1: number, y1: number): Ring => [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]];

/** Area (km²) of the lon/lat cell [lon0, lon1] x [lat0, lat1] on the WGS84 ellipsoid, in closed form. */
function cellKm2(lon0: number, lat0: number, lon1: number, lat1: number): number {
  const a = 6378137;
  const f = 1 / 298.257223563;
  const b = a * (1 - f);
  const e = Math.sqrt(2 * f - f * f);
  const q = (deg: number): number => {
    const s = Math.sin((deg * Math.PI) / 180);
    return s / (1 - e * e * s * s) + (1 / (2 * e)) * Math.log((1 + e * s) / (1 - e * s));
  };
  return (((lon1 - lon0) * Math.PI) / 180) * ((b * b) / 2) * (q(lat1) - q(lat0)) / 1e6;
}

describe('AOI area on the WGS84 ellipsoid', () => {
  it('matches the closed form for graticule cells (1°x1° at the equator ≈ 12308.46 km²)', () => {
    const eq = aoiAreaKm2(parseAoi({ type: 'Polygon', coordinates: [box(0, 0, 1, 1)] }));
    assert.ok(Math.abs(eq - 12308.4639) < 0.001, String(eq));
    for (const [lon0, lat0, lon1, lat1] of [[10, 45, 12, 46], [-70, -60, -69.5, -59], [170, 80, 171, 81], [174.8, -41.1, 174.9, -41]] as const) {
      const got = aoiAreaKm2(parseAoi({ type: 'Polygon', coordinates: [box(lon0, lat0, lon1, lat1)] }));
      const want = cellKm2(lon0, lat0, lon1, lat1);
      assert.ok(Math.abs(got - want) / want < 1e-6, `${lon0},${lat0}: ${got} vs ${want}`);
    }
  });

  it('subtracts holes and counts overlapping polygons once', () => {
    const withHole = aoiAreaKm2(parseAoi({ type: 'Polygon', coordinates: [box(0, 0, 1, 1), box(0.25, 0.25, 0.75, 0.75)] }));
    assert.ok(Math.abs(withHole - (cellKm2(0, 0, 1, 1) - cellKm2(0.25, 0.25, 0.75, 0.75))) < 0.01, String(withHole));
    const overlapping = aoiAreaKm2(parseAoi({ type: 'MultiPolygon', coordinates: [[box(0, 0, 1, 1)], [box(0.5, 0, 1.5, 1)]] }));
    assert.ok(Math.abs(overlapping - cellKm2(0, 0, 1.5, 1)) < 0.01, String(overlapping));
  });

  it('clips to a footprint given as a bbox, polygons or another AOI; 0 when they do not meet', () => {
    const aoi = parseAoi({ type: 'Polygon', coordinates: [box(0, 0, 2, 2)] });
    const want = cellKm2(1, 1, 2, 2);
    assert.ok(Math.abs(aoiAreaKm2(aoi, [1, 1, 5, 5]) - want) < 0.01);
    assert.ok(Math.abs(aoiAreaKm2(aoi, [[box(1, 1, 5, 5)]]) - want) < 0.01);
    assert.ok(Math.abs(aoiAreaKm2(aoi, parseAoi({ type: 'Polygon', coordinates: [box(1, 1, 5, 5)] })) - want) < 0.01);
    assert.equal(aoiAreaKm2(aoi, [10, 10, 11, 11]), 0);
    assert.equal(polygonsAreaKm2([]), 0);
  });

  it('takes an AOI wholly inside the footprint as its own intersection, and intersects whenever the two meet at all', () => {
    // A footprint with a hole, and a wobbly AOI ring (not a box) in various places against it.
    const footprint = [[box(0, 0, 4, 4), box(2.5, 2.5, 3.5, 3.5)]];
    const wobbly = (x: number, y: number, r: number): Ring => {
      const ring: Ring = Array.from({ length: 24 }, (_, k) => [x + r * (1 + 0.3 * Math.sin(5 * k)) * Math.cos((k * Math.PI) / 12), y + r * (1 + 0.3 * Math.sin(5 * k)) * Math.sin((k * Math.PI) / 12)]);
      return [...ring, ring[0]!];
    };
    const cases: [string, Ring[], boolean][] = [
      ['inside', [wobbly(1, 1, 0.5)], true],
      ['inside, with a hole of its own', [box(0.5, 0.5, 1.5, 1.5), box(0.8, 0.8, 1.2, 1.2)], true],
      ['crossing the outer edge', [wobbly(0.2, 1, 0.5)], false],
      ['touching the outer edge', [box(0, 1, 1, 2)], false],
      ['holding the footprint hole', [box(2, 2, 3.9, 3.9)], false],
      ['inside the footprint hole', [box(2.8, 2.8, 3.2, 3.2)], false],
      ['outside', [box(5, 5, 6, 6)], false],
    ];
    // The oracle: turf's polygon clipping, always run.
    const clipped = (a: Polygons): Polygons => {
      const g = intersect(featureCollection([multiPolygon(a), multiPolygon(footprint)]))?.geometry;
      return !g ? [] : g.type === 'Polygon' ? [g.coordinates as Ring[]] : (g.coordinates as Ring[][]);
    };
    for (const [name, polygon, within] of cases) {
      assert.equal(polygonWithin(polygon, footprint), within, name);
      const aoi = parseAoi({ type: 'Polygon', coordinates: polygon });
      const general = polygonsAreaKm2(clipped(aoi.polygons));
      assert.ok(Math.abs(aoiAreaKm2(aoi, footprint) - general) <= 1e-9 * Math.max(1, general), `${name}: the area the intersection gives`);
      if (within) {
        const [own] = intersectPolygons(aoi.polygons, footprint);
        assert.deepEqual(own!.map((r) => [...r].sort()), polygon.map((r) => [...r].sort()), `${name}: the polygon itself`);
        assert.ok(own!.every((r, i) => (ringArea(r) > 0) === (i === 0)), `${name}: right-handed rings, as clipping gives them`);
      }
    }
  });

  for (const name of ['kapiti-island', 'mana-island', 'rgb-byte-box']) {
    it(`agrees with GDAL/PROJ for ${name} (OGR geometry segmentized, transformed to the same LAEA, GetArea)`, { skip: skipUnlessRealFixtures }, () => {
      const file = path.join(realFixturesDir, `${name}.geojson`);
      const ours = aoiAreaKm2(parseAoi(JSON.parse(readFileSync(file, 'utf8'))));
      const code = `
import sys
from osgeo import ogr, osr
ds = ogr.Open(sys.argv[1]); lyr = ds.GetLayer(0)
src = osr.SpatialReference(); src.ImportFromEPSG(4326); src.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
total = 0.0
for f in lyr:
    g = f.GetGeometryRef()
    if g is None or g.IsEmpty(): continue
    g = g.Clone(); e = g.GetEnvelope()
    dst = osr.SpatialReference(); dst.ImportFromProj4('+proj=laea +lat_0=%r +lon_0=%r +ellps=WGS84' % ((e[2] + e[3]) / 2, (e[0] + e[1]) / 2))
    g.Segmentize(0.001); g.Transform(osr.CoordinateTransformation(src, dst)); total += g.GetArea()
print(total / 1e6)
`;
      const gdal = Number(gdalPy(code, [file]).toString('utf8'));
      assert.ok(Math.abs(ours - gdal) / gdal < 1e-6, `ours ${ours} km², GDAL ${gdal} km²`);
    });
  }
});
