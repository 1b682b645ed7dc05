import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { AppError } from '../../../src/errors/app.error.js';
import { parseAoi } from '../../../src/raster/aoi/aoi.parse.js';
import { densifyRing, invertGeoTransform, projectAoi, toPixelSpace } from '../../../src/raster/aoi/aoi.project.js';
import type { Ring } from '../../../src/raster/aoi/aoi.types.js';
import type { CrsInfo, GeoTransform } from '../../../src/raster/raster.types.js';
import { realFixturesDir, run, skipUnlessGdal, skipUnlessRealFixtures } from '../../support/gdal.js';

const utm60s: CrsInfo = { epsg: 32760, proj4: '+proj=utm +zone=60 +south +datum=WGS84 +units=m +no_defs', geographic: false };
const wgs84: CrsInfo = { epsg: 4326, proj4: '+proj=longlat +datum=WGS84 +no_defs', geographic: true };
const box = (x0: number, y0: number, x1: number, y1: number): Ring => [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]];

describe('AOI projection', () => {
  it('densifies edges linearly in lon/lat, keeping every input vertex and closing the ring', () => {
    const ring = densifyRing(box(0, 0, 0.035, 0.01), 0.01);
    assert.equal(ring.length, 1 + 4 + 1 + 4 + 1); // 4 pieces on each 0.035° edge, 1 on each 0.01° edge
    for (let k = 0; k + 1 < ring.length; k++) {
      assert.ok(Math.max(Math.abs(ring[k + 1]![0] - ring[k]![0]), Math.abs(ring[k + 1]![1] - ring[k]![1])) <= 0.01 + 1e-15);
    }
    assert.deepEqual(ring[0], [0, 0]);
    assert.deepEqual(ring[4], [0.035, 0]);
    assert.deepEqual(ring.at(-1), [0, 0]);
  });

  it('projects to a projected CRS after densifying (default 0.001°) and leaves geographic targets undensified', () => {
    const aoi = parseAoi({ type: 'Polygon', coordinates: [box(174.9, -40.9, 174.95, -40.85)] });
    const utm = projectAoi(aoi, utm60s);
    assert.equal(utm[0]![0]!.length, 1 + 4 * 50);
    const geo = projectAoi(aoi, wgs84);
    assert.equal(geo[0]![0]!.length, 5);
    geo[0]![0]!.forEach((p, i) => {
      assert.ok(Math.abs(p[0] - aoi.polygons[0]![0]![i]![0]) < 1e-12 && Math.abs(p[1] - aoi.polygons[0]![0]![i]![1]) < 1e-12);
    });
    assert.equal(projectAoi(aoi, utm60s, { maxSegmentDeg: 1 })[0]![0]!.length, 5);
  });

  it('works with proj4 definitions that omit the false origin (proj4js would answer NaN)', () => {
    const aoi = parseAoi({ type: 'Polygon', coordinates: [box(10, 50, 11, 51)] });
    const laea = projectAoi(aoi, { proj4: '+proj=laea +lat_0=52 +lon_0=10 +ellps=GRS80 +units=m', geographic: false });
    assert.ok(laea[0]![0]!.every(([x, y]) => Number.isFinite(x) && Number.isFinite(y)));
  });

  it('refuses points with no position in the target CRS (aoi_outside_area)', () => {
    const aoi = parseAoi({ type: 'Polygon', coordinates: [box(160, -10, 170, 10)] });
    assert.throws(
      () => projectAoi(aoi, { proj4: '+proj=ortho +lat_0=0 +lon_0=0 +x_0=0 +y_0=0 +ellps=WGS84', geographic: false }),
      (e: unknown) => e instanceof AppError && e.code === 'aoi_outside_area' && /AOI point \(160, -10\)/.test(e.message),
    );
  });

  it('agrees with PROJ (gdaltransform) to a millimetre on a real AOI', { skip: skipUnlessRealFixtures }, () => {
    const aoi = parseAoi(JSON.parse(readFileSync(path.join(realFixturesDir, 'kapiti-island.geojson'), 'utf8')));
    const ours = projectAoi(aoi, utm60s)[0]![0]!;
    const input = densifyRing(aoi.polygons[0]![0]!, 0.001).map(([x, y]) => `${x} ${y}`).join('\n');
    const proj = run('gdaltransform', ['-s_srs', 'EPSG:4326', '-t_srs', 'EPSG:32760', '-output_xy'], { input })
      .trim()
      .split('\n')
      .map((l) => l.split(/\s+/).map(Number));
    assert.equal(ours.length, proj.length);
    ours.forEach(([x, y], i) => assert.ok(Math.hypot(x - proj[i]![0]!, y - proj[i]![1]!) < 1e-3, `vertex ${i}: ${x},${y} vs ${proj[i]}`));
  });

  describe('to pixel space', () => {
    it('maps a north-up grid so pixel (c, r) spans [c, c+1) x [r, r+1)', () => {
      const t: GeoTransform = [1000, 10, 0, 5000, 0, -10];
      const px = toPixelSpace([[[[1000, 5000], [1100, 5000], [1100, 4900], [1015, 4985], [1000, 5000]]]], t)[0]![0]!;
      assert.deepEqual(px, [[0, 0], [10, 0], [10, 10], [1.5, 1.5], [0, 0]]);
    });

    it('inverts rotated and sheared transforms exactly (forward of the result gives the input back)', () => {
      const transforms: GeoTransform[] = [
        [500000, 0.8660254, 0.5, 4000000, 0.5, -0.8660254], // rotated 30°
        [-120.5, 0.001, 0.0002, 45.2, 0.0003, -0.001], // sheared, geographic
        [0, 1, 0, 0, 0, 1], // south-up
      ];
      for (const t of transforms) {
        const pts: [number, number][] = [[t[0] + 3, t[3] - 7], [t[0] - 100.25, t[3] + 0.5], [t[0] + 12345.678, t[3] - 9876.5]];
        const px = toPixelSpace([[[...pts, pts[0]!]]], t)[0]![0]!;
        px.forEach(([c, r], i) => {
          const x = t[0] + c * t[1] + r * t[2];
          const y = t[3] + c * t[4] + r * t[5];
          const [ex, ey] = i < pts.length ? pts[i]! : pts[0]!;
          assert.ok(Math.abs(x - ex) < 1e-6 && Math.abs(y - ey) < 1e-6, `${t}: (${x}, ${y}) vs (${ex}, ${ey})`);
        });
        const inv = invertGeoTransform(t);
        const [c, r] = px[0]!;
        assert.ok(Math.abs(inv[0] + pts[0]![0] * inv[1] + pts[0]![1] * inv[2] - c) < 1e-6);
        assert.ok(Math.abs(inv[3] + pts[0]![0] * inv[4] + pts[0]![1] * inv[5] - r) < 1e-6);
      }
    });

    it('matches GDAL\'s InvGeoTransform', { skip: skipUnlessGdal }, () => {
      const t: GeoTransform = [500000, 0.8660254, 0.5, 4000000, 0.5, -0.8660254];
      const gdal = JSON.parse(run('/usr/bin/python3', ['-c', `from osgeo import gdal; import json; print(json.dumps(gdal.InvGeoTransform(${JSON.stringify(t)})))`])) as number[];
      invertGeoTransform(t).forEach((v, i) => assert.ok(Math.abs(v - gdal[i]!) < 1e-6 * Math.max(1, Math.abs(v)), `${i}: ${v} vs ${gdal[i]}`));
    });

    it('refuses a transform that cannot be inverted', () => {
      assert.throws(() => toPixelSpace([], [0, 1, 2, 0, 2, 4]), (e: unknown) => e instanceof AppError && e.code === 'invalid_tiff');
    });
  });
});
