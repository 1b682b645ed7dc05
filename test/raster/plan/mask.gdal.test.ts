/**
 * The mask rasterizer against GDAL's (gdal_rasterize / RasterizeLayer without ALL_TOUCHED, the rasterizer
 * gdalwarp -cutline uses): random polygons in pixel space, real AOIs projected to UTM grids, a rotated grid.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { parseAoi } from '../../../src/raster/aoi/aoi.parse.js';
import { projectAoi, toPixelSpace } from '../../../src/raster/aoi/aoi.project.js';
import type { Polygons } from '../../../src/raster/aoi/aoi.types.js';
import { fillSpans, SpanScanner } from '../../../src/raster/plan/mask.spans.js';
import type { GeoTransform } from '../../../src/raster/raster.types.js';
import { gdalPixels, gdalPy, gdalPython, realFixturesDir, run, runBytes, skipUnlessGdal, skipUnlessRealFixtures } from '../../support/gdal.js';
import { randomPolygons, rng } from './polygon.fixtures.js';

function ourMask(polygons: Polygons, w: number, h: number, gdalHorizontalEdges = false): Uint8Array {
  const out = new Uint8Array(w * h);
  const s = new SpanScanner(polygons, { width: w, height: h, gdalHorizontalEdges });
  for (let r = 0; r < h; r++) fillSpans(s.row(r), out, r * w, 0, w);
  return out;
}

function countDiff(a: Uint8Array, b: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++;
  return n;
}

/** Rasterize many cases in one Python process: geotransform = identity, one feature per polygon (union). */
function gdalMasks(cases: { w: number; h: number; polygons: Polygons }[]): Uint8Array[] {
  const code = `
import sys, json
from osgeo import gdal, ogr
gdal.UseExceptions()
cases = json.load(sys.stdin)
for c in cases:
    ds = gdal.GetDriverByName('MEM').Create('', c['w'], c['h'], 1, gdal.GDT_Byte)
    ds.SetGeoTransform([0, 1, 0, 0, 0, 1])
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

describe('mask vs GDAL\'s rasterizer', { skip: skipUnlessGdal }, () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'geopera-mask-gdal-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('agrees exactly on 400 random multipolygons with holes (real-valued coordinates)', () => {
    const r = rng(5150);
    const cases = Array.from({ length: 400 }, () => {
      const w = 8 + Math.floor(r() * 40);
      const h = 8 + Math.floor(r() * 40);
      return { w, h, polygons: randomPolygons(r, w, h) };
    });
    const gdal = gdalMasks(cases);
    cases.forEach((c, i) => assert.equal(countDiff(ourMask(c.polygons, c.w, c.h), gdal[i]!), 0, `case ${i}: ${JSON.stringify(c)}`));
  });

  it('agrees exactly with vertices and horizontal edges on centre lines when GDAL\'s horizontal-edge rule is on', (t) => {
    const r = rng(6160);
    const cases = Array.from({ length: 400 }, () => {
      const w = 6 + Math.floor(r() * 20);
      const h = 6 + Math.floor(r() * 20);
      return { w, h, polygons: randomPolygons(r, w, h, { quantum: 0.5, maxVertices: 8 }) };
    });
    const gdal = gdalMasks(cases);
    let halfOpenDiffs = 0;
    let casesDiffering = 0;
    cases.forEach((c, i) => {
      assert.equal(countDiff(ourMask(c.polygons, c.w, c.h, true), gdal[i]!), 0, `case ${i}: ${JSON.stringify(c)}`);
      const d = countDiff(ourMask(c.polygons, c.w, c.h, false), gdal[i]!);
      halfOpenDiffs += d;
      if (d) casesDiffering++;
    });
    t.diagnostic(`half-open default vs GDAL on snapped polygons: ${halfOpenDiffs} pixels differ in ${casesDiffering}/400 cases (all on horizontal edges lying on centre lines)`);
  });

  const realAois = [
    { name: 'kapiti-island', epsg: 32760, res: 5 },
    { name: 'mana-island', epsg: 32760, res: 2 },
    { name: 'rgb-byte-box', epsg: 32618, res: 60 },
  ];
  for (const a of realAois) {
    it(`${a.name} projected to EPSG:${a.epsg} at ${a.res} m: same mask as gdal_rasterize`, { skip: skipUnlessRealFixtures }, (t) => {
      const src = path.join(realFixturesDir, `${a.name}.geojson`);
      const aoi = parseAoi(JSON.parse(readFileSync(src, 'utf8')));
      const crs = { epsg: a.epsg, proj4: `+proj=utm +zone=${a.epsg % 100} ${a.epsg > 32700 ? '+south ' : ''}+datum=WGS84 +units=m +no_defs`, geographic: false };
      const projected = projectAoi(aoi, crs);
      const undensified = projectAoi(aoi, crs, { maxSegmentDeg: 1e9 });
      let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
      for (const poly of projected) for (const ring of poly) for (const [x, y] of ring) [minX, minY, maxX, maxY] = [Math.min(minX, x), Math.min(minY, y), Math.max(maxX, x), Math.max(maxY, y)];
      const x0 = Math.floor(minX / a.res) * a.res - 3 * a.res;
      const y1 = Math.ceil(maxY / a.res) * a.res + 3 * a.res;
      const w = Math.ceil((maxX - x0) / a.res) + 3;
      const h = Math.ceil((y1 - minY) / a.res) + 3;
      const gt: GeoTransform = [x0, a.res, 0, y1, 0, -a.res];
      const utm = path.join(dir, `${a.name}.utm.geojson`);
      const tif = path.join(dir, `${a.name}.tif`);
      run('ogr2ogr', ['-f', 'GeoJSON', '-t_srs', `EPSG:${a.epsg}`, utm, src]);
      run('gdal_rasterize', ['-q', '-burn', '255', '-ot', 'Byte', '-a_srs', `EPSG:${a.epsg}`, '-te', String(x0), String(y1 - h * a.res), String(x0 + w * a.res), String(y1), '-tr', String(a.res), String(a.res), utm, tif]);
      const gdal = new Uint8Array(gdalPixels(tif));
      assert.equal(gdal.length, w * h);
      const exact = countDiff(ourMask(toPixelSpace(undensified, gt), w, h), gdal);
      const dense = countDiff(ourMask(toPixelSpace(projected, gt), w, h), gdal);
      let inside = 0;
      for (const v of gdal) if (v) inside++;
      t.diagnostic(`${a.name}: ${w}x${h} px, ${inside} inside; same vertices as GDAL: ${exact} px differ; densified 0.01° (ours by default): ${dense} px differ`);
      assert.equal(exact, 0);
      assert.ok(dense <= Math.max(2, inside * 1e-4), `${dense} px differ after densifying`);
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
