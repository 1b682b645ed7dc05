/**
 * The mask rasterizer against GDAL's (RasterizeLayer / gdal_rasterize without ALL_TOUCHED, and the cutline
 * mask of gdalwarp): random polygons, real AOIs projected to UTM grids, a rotated grid.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { parseAoi } from '../../../src/raster/aoi/aoi.parse.js';
import { projectAoi, toPixelSpace } from '../../../src/raster/aoi/aoi.project.js';
import type { Polygons } from '../../../src/raster/aoi/aoi.types.js';
import { findRingIntersections } from '../../../src/raster/aoi/ring.topology.js';
import { fillSpans, SpanScanner, type GdalCompat } from '../../../src/raster/plan/mask.spans.js';
import type { GeoTransform } from '../../../src/raster/raster.types.js';
import { gdalPixels, gdalPy, gdalPython, realFixturesDir, run, runBytes, skipUnlessGdal, skipUnlessRealFixtures } from '../../support/gdal.js';
import { randomPolygons, ringArea, rng } from './polygon.fixtures.js';

function ourMask(polygons: Polygons, w: number, h: number, gdalCompat?: GdalCompat): Uint8Array {
  const out = new Uint8Array(w * h);
  const s = new SpanScanner(polygons, { width: w, height: h, ...(gdalCompat ? { gdalCompat } : {}) });
  for (let r = 0; r < h; r++) fillSpans(s.row(r), out, r * w, 0, w);
  return out;
}

function countDiff(a: Uint8Array, b: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++;
  return n;
}

interface GdalCase {
  w: number;
  h: number;
  gt: GeoTransform;
  /** Polygons in CRS coordinates (one OGR feature each, so GDAL unions them too) */
  polygons: Polygons;
}

/** Rasterize many cases in one Python process with gdal.RasterizeLayer (burn 255, no ALL_TOUCHED). */
function gdalMasks(cases: GdalCase[]): Uint8Array[] {
  const code = `
import sys, json
from osgeo import gdal, ogr
gdal.UseExceptions()
for c in json.load(sys.stdin):
    ds = gdal.GetDriverByName('MEM').Create('', c['w'], c['h'], 1, gdal.GDT_Byte)
    ds.SetGeoTransform(c['gt'])
    src = ogr.GetDriverByName('Memory').CreateDataSource('m')
    lyr = src.CreateLayer('p', geom_type=ogr.wkbPolygon)
    for poly in c['polygons']:
        f = ogr.Feature(lyr.GetLayerDefn())
        f.SetGeometry(ogr.CreateGeometryFromJson(json.dumps({'type': 'Polygon', 'coordinates': poly})))
        lyr.CreateFeature(f)
    gdal.RasterizeLayer(ds, [1], lyr, burn_values=[255])
    sys.stdout.buffer.write(ds.GetRasterBand(1).ReadRaster())
`;
  const raw = runBytes(gdalPython, ['-c', code], JSON.stringify(cases));
  const out: Uint8Array[] = [];
  let at = 0;
  for (const c of cases) {
    out.push(new Uint8Array(raw.subarray(at, at + c.w * c.h)));
    at += c.w * c.h;
  }
  return out;
}

/** Simple rings with an area: GDAL's orientation test (OGR isClockwise) is only defined for those. */
function wellFormed(polygons: Polygons): boolean {
  return polygons.every((polygon) => polygon.every((ring) => ringArea(ring) !== 0 && findRingIntersections([ring], 1).length === 0));
}

describe('mask vs GDAL\'s rasterizer', { skip: skipUnlessGdal }, () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'geopera-mask-gdal-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('agrees exactly on 400 random multipolygons with holes (real-valued coordinates, identity geotransform)', () => {
    const r = rng(5150);
    const cases: GdalCase[] = Array.from({ length: 400 }, () => {
      const w = 8 + Math.floor(r() * 40);
      const h = 8 + Math.floor(r() * 40);
      return { w, h, gt: [0, 1, 0, 0, 0, 1], polygons: randomPolygons(r, w, h) };
    });
    const gdal = gdalMasks(cases);
    cases.forEach((c, i) => assert.equal(countDiff(ourMask(c.polygons, c.w, c.h), gdal[i]!), 0, `case ${i}: ${JSON.stringify(c)}`));
  });

  it('agrees exactly with vertices and horizontal edges on centre lines under gdalCompat, north-up and south-up', (t) => {
    const r = rng(6160);
    const cases: (GdalCase & { pixel: Polygons; compat: GdalCompat })[] = [];
    while (cases.length < 600) {
      const w = 6 + Math.floor(r() * 20);
      const h = 6 + Math.floor(r() * 20);
      const pixel = randomPolygons(r, w, h, { quantum: 0.5, maxVertices: 8 });
      if (!wellFormed(pixel)) continue;
      const compat: GdalCompat = cases.length % 2 ? 'north-up' : 'south-up';
      // North-up: CRS y = h - row, so the same pixel-space shapes come back through toPixelSpace.
      const gt: GeoTransform = compat === 'north-up' ? [0, 1, 0, h, 0, -1] : [0, 1, 0, 0, 0, 1];
      const polygons = compat === 'north-up' ? pixel.map((p) => p.map((ring) => ring.map(([x, y]) => [x, h - y] as [number, number]))) : pixel;
      cases.push({ w, h, gt, polygons, pixel: toPixelSpace(polygons, gt), compat });
    }
    const gdal = gdalMasks(cases.map(({ w, h, gt, polygons }) => ({ w, h, gt, polygons })));
    let halfOpenDiffs = 0;
    let casesDiffering = 0;
    cases.forEach((c, i) => {
      assert.equal(countDiff(ourMask(c.pixel, c.w, c.h, c.compat), gdal[i]!), 0, `case ${i} ${c.compat}: ${JSON.stringify(c.polygons)}`);
      const d = countDiff(ourMask(c.pixel, c.w, c.h), gdal[i]!);
      halfOpenDiffs += d;
      if (d) casesDiffering++;
    });
    t.diagnostic(`without gdalCompat on these snapped polygons: ${halfOpenDiffs} pixels differ from GDAL in ${casesDiffering}/${cases.length} cases (all on horizontal edges lying on centre lines)`);
  });

  const realAois = [
    { name: 'kapiti-island', epsg: 32760, res: 10 },
    { name: 'mana-island', epsg: 32760, res: 5 },
    { name: 'rgb-byte-box', epsg: 32618, res: 60 },
  ];
  for (const a of realAois) {
    it(`${a.name} on an EPSG:${a.epsg} ${a.res} m grid: same mask as gdal_rasterize and gdalwarp -cutline`, { skip: skipUnlessRealFixtures }, (t) => {
      const src = path.join(realFixturesDir, `${a.name}.geojson`);
      const aoi = parseAoi(JSON.parse(readFileSync(src, 'utf8')));
      const crs = { epsg: a.epsg, proj4: `+proj=utm +zone=${a.epsg % 100} ${a.epsg > 32700 ? '+south ' : ''}+datum=WGS84 +units=m +no_defs`, geographic: false };
      const densified = projectAoi(aoi, crs);
      const undensified = projectAoi(aoi, crs, { maxSegmentDeg: 1e9 });
      let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
      for (const poly of densified) for (const ring of poly) for (const [x, y] of ring) [minX, minY, maxX, maxY] = [Math.min(minX, x), Math.min(minY, y), Math.max(maxX, x), Math.max(maxY, y)];
      const x0 = Math.floor(minX / a.res) * a.res - 3 * a.res;
      const y1 = Math.ceil(maxY / a.res) * a.res + 3 * a.res;
      const w = Math.ceil((maxX - x0) / a.res) + 3;
      const h = Math.ceil((y1 - minY) / a.res) + 3;
      const gt: GeoTransform = [x0, a.res, 0, y1, 0, -a.res];
      const te = [String(x0), String(y1 - h * a.res), String(x0 + w * a.res), String(y1)];
      // gdal_rasterize of the vertices projected by ogr2ogr (no densifying): our mask from the same vertices.
      const utm = path.join(dir, `${a.name}.utm.geojson`);
      const rasterized = path.join(dir, `${a.name}.rasterized.tif`);
      run('ogr2ogr', ['-f', 'GeoJSON', '-t_srs', `EPSG:${a.epsg}`, utm, src]);
      run('gdal_rasterize', ['-q', '-burn', '255', '-ot', 'Byte', '-a_srs', `EPSG:${a.epsg}`, '-te', ...te, '-ts', String(w), String(h), utm, rasterized]);
      const gdalRasterized = new Uint8Array(gdalPixels(rasterized));
      // gdalwarp -cutline of the lon/lat AOI (it densifies the cutline when reprojecting it) onto the same grid.
      const base = path.join(dir, `${a.name}.base.tif`);
      const warped = path.join(dir, `${a.name}.warped.tif`);
      run('gdal_rasterize', ['-q', '-burn', '1', '-ot', 'Byte', '-a_srs', `EPSG:${a.epsg}`, '-te', ...te, '-ts', String(w), String(h), '-init', '1', utm, base]);
      run('gdalwarp', ['-q', '-te', ...te, '-ts', String(w), String(h), '-cutline', src, '-dstalpha', base, warped]);
      const alpha = new Uint8Array(gdalPixels(warped)).filter((_, i) => i % 2 === 1);
      const sameVertices = countDiff(ourMask(toPixelSpace(undensified, gt), w, h), gdalRasterized);
      const vsWarp = countDiff(ourMask(toPixelSpace(densified, gt), w, h), alpha);
      const undensifiedVsWarp = countDiff(ourMask(toPixelSpace(undensified, gt), w, h), alpha);
      let inside = 0;
      for (const v of alpha) if (v) inside++;
      t.diagnostic(
        `${a.name}: ${w}x${h} px, ${inside} inside; vs gdal_rasterize (same vertices): ${sameVertices} px differ; ` +
          `vs gdalwarp -cutline: ${vsWarp} px differ densified (default 0.001°), ${undensifiedVsWarp} without densifying`,
      );
      assert.equal(sameVertices, 0);
      assert.equal(vsWarp, 0);
    });
  }

  it('a rotated grid: same mask as gdal_rasterize into a raster with a rotated geotransform', { skip: skipUnlessRealFixtures }, (t) => {
    const src = path.join(realFixturesDir, 'kapiti-island.geojson');
    const utm = path.join(dir, 'kapiti.rot.geojson');
    run('ogr2ogr', ['-f', 'GeoJSON', '-t_srs', 'EPSG:32760', utm, src]);
    const aoi = parseAoi(JSON.parse(readFileSync(src, 'utf8')));
    const projected = projectAoi(aoi, { epsg: 32760, proj4: '+proj=utm +zone=60 +south +datum=WGS84 +units=m +no_defs', geographic: false }, { maxSegmentDeg: 1e9 });
    // 20° rotation, 8 m pixels, origin north-west of the island.
    const a = (20 * Math.PI) / 180;
    const gt: GeoTransform = [314500, 8 * Math.cos(a), 8 * Math.sin(a), 5484500, 8 * Math.sin(a), -8 * Math.cos(a)];
    const w = 1400;
    const h = 1300;
    const tif = path.join(dir, 'rotated.tif');
    gdalPy(
      `
import sys, json
from osgeo import gdal, osr
gdal.UseExceptions()
ds = gdal.GetDriverByName('GTiff').Create(sys.argv[1], ${w}, ${h}, 1, gdal.GDT_Byte)
ds.SetGeoTransform(json.loads(sys.argv[2]))
s = osr.SpatialReference(); s.ImportFromEPSG(32760); ds.SetProjection(s.ExportToWkt())
ds = None
`,
      [tif, JSON.stringify(gt)],
    );
    run('gdal_rasterize', ['-q', '-burn', '255', utm, tif]);
    const gdal = new Uint8Array(gdalPixels(tif));
    const ours = ourMask(toPixelSpace(projected, gt), w, h);
    let inside = 0;
    for (const v of gdal) if (v) inside++;
    const diff = countDiff(ours, gdal);
    t.diagnostic(`rotated grid: ${inside} px inside, ${diff} differ`);
    assert.ok(inside > 1000);
    assert.equal(diff, 0);
  });
});
