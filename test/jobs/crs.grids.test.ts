/**
 * Clips through the API in national grids of every continent, each mosaic made by GDAL at test time with
 * 10 m pixels: the catalog's bounds equal gdalinfo's WGS 84 extent (within a tenth of a pixel), and each
 * clip is checked like the clip oracle tests: a valid COG on the source grid, its mask equal to
 * `gdalwarp -cutline` over the same grid, every pixel inside equal to the source's. GDAL runs without grid
 * files, as geopera ships none. A CRS proj4js cannot run is listed with `unsupported_crs` and refused with 422.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gridlessEnv, makeCrsMosaics, type CrsMosaic } from '../support/crs.mosaics.js';
import { gdalInfo, gdalPixelsBatch, skipUnlessGdal, validateCog } from '../support/gdal.js';
import { aoiInside, startTestServer, waitForJob, type TestServer } from '../support/harness.js';

/** [EPSG code, what it is]: national grids of six continents, several projection methods and units. */
const GRIDS: [number, string][] = [
  [31256, 'MGI / Austria GK East (Europe, 7-parameter shift)'],
  [5514, 'S-JTSK / Krovak East North (Europe)'],
  [31467, 'DHDN / 3-degree Gauss-Kruger zone 3 (Europe; PROJ would use BETA2007 where installed)'],
  [2154, 'RGF93 v1 / Lambert-93 (Europe, Lambert conic conformal 2SP)'],
  [2263, 'NAD83 / New York Long Island, US survey feet (North America)'],
  [3414, 'SVY21 / Singapore TM (Asia)'],
  [5179, 'Korea 2000 / Unified CS (Asia)'],
  [2039, 'Israel 1993 / Israeli TM Grid (Asia, coordinate-frame rotations)'],
  [2193, 'NZGD2000 / New Zealand Transverse Mercator 2000 (Oceania)'],
  [5880, 'SIRGAS 2000 / Brazil Polyconic (South America)'],
  [22293, 'Cape / Lo33 ... south-orientated: placement only (Africa)'],
  [6247, 'MAGNA-SIRGAS / Bogota urban grid (South America, Colombia Urban: GDAL keeps the CRS in the .aux.xml)'],
];
/** Placement-only codes (a west/south-orientated grid has no north-up gdalwarp oracle for the mask). */
const PLACEMENT_ONLY = new Set([22293]);

const metresPerDegree = (lat: number): [number, number] => [111_320 * Math.cos((lat * Math.PI) / 180), 110_574];

describe('clips in national grids through the API', { skip: skipUnlessGdal }, () => {
  let t: TestServer;
  let mosaics: CrsMosaic[] = [];
  let env: NodeJS.ProcessEnv;
  const areas = new Map<string, { bounds: [number, number, number, number] | null; error?: string }>();

  before(async () => {
    t = await startTestServer({ linkSampleData: false, env: { GEOPERA_WORKERS: '2' } });
    env = gridlessEnv(t.dataDir);
    mosaics = makeCrsMosaics(path.join(t.dataDir, 'made'), GRIDS.map(([c]) => c), 160);
    // Through the world's file store: links in a local data directory, uploads on the S3 pass; a CRS GDAL keeps
    // only in the .aux.xml beside the mosaic travels with it.
    for (const m of mosaics) {
      await t.files.link(m.file, `areas/epsg-${m.code}/mosaics/visual.tif`);
      if (existsSync(`${m.file}.aux.xml`)) await t.files.link(`${m.file}.aux.xml`, `areas/epsg-${m.code}/mosaics/visual.tif.aux.xml`);
    }
    // A CRS proj4js cannot run: EPSG:2000 (PROJ exports no proj4 for it), written by GDAL as its EPSG code.
    const bad = path.join(t.dataDir, 'made', 'epsg-2000.tif');
    execFileSync('gdal_translate', ['-q', '-a_srs', 'EPSG:2000', '-a_ullr', '290000', '2012000', '290100', '2011900', '-outsize', '8', '8', mosaics[0]!.file, bad], { env });
    await t.files.link(bad, 'areas/epsg-2000/mosaics/visual.tif');
    const list = (await (await t.op('clip.areas.list', {})).json()) as { items?: unknown[] } | unknown[];
    const items = (Array.isArray(list) ? list : list.items ?? []) as { id: string; bounds: [number, number, number, number] | null; error?: string }[];
    for (const a of items) areas.set(a.id, a);
  });
  after(() => t?.close());

  it('lists a CRS proj4js cannot run with unsupported_crs naming its code and method, and refuses a clip with 422', async () => {
    const area = areas.get('epsg-2000');
    assert.match(area?.error ?? '', /EPSG:2000 .*projection method "Transverse Mercator"/);
    const res = await t.op('clip.create_from_area', { area: 'epsg-2000', mosaic_types: ['visual'], aoi_geometry: aoiInside([-63.06, 18.19, -63.05, 18.2]), organization_id: 'acme' });
    assert.equal(res.status, 422);
    const body = (await res.json()) as { code: string; detail: unknown };
    assert.equal(body.code, 'unsupported_crs');
    assert.match(JSON.stringify(body.detail), /EPSG:2000/);
  });

  for (const [code, what] of GRIDS) {
    it(`EPSG:${code} ${what}`, async () => {
      const m = mosaics.find((x) => x.code === code)!;
      const area = areas.get(`epsg-${code}`)!;
      assert.equal(area.error, undefined, `area error: ${area.error}`);
      // Catalog bounds against gdalinfo's wgs84Extent, within a tenth of a 10 m pixel.
      const lons = m.extent.map((p) => p[0]);
      const lats = m.extent.map((p) => p[1]);
      const theirs = [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)];
      const [mx, my] = metresPerDegree((theirs[1]! + theirs[3]!) / 2);
      const off = Math.max(...area.bounds!.map((v, i) => Math.abs(v - theirs[i]!) * (i % 2 === 0 ? mx : my)));
      assert.ok(off <= 1, `bounds off by ${off.toFixed(3)} m: ours ${area.bounds!.join(',')} vs GDAL ${theirs.join(',')}`);
      if (PLACEMENT_ONLY.has(code)) return;

      const aoi = aoiInside(area.bounds!, 0.6);
      const res = await t.op('clip.create_from_area', { area: `epsg-${code}`, mosaic_types: ['visual'], aoi_geometry: aoi, organization_id: 'acme' });
      assert.equal(res.status, 200, await res.clone().text());
      const { job } = (await res.json()) as { job: { id: string } };
      const done = await waitForJob(t, job.id);
      assert.equal(done.status, 'completed', JSON.stringify(done.error));
      const dl = await t.op('clip.job.download', { job_id: job.id, mosaic_type: 'visual' }, { headers: { accept: '*/*' } });
      const out = path.join(t.dataDir, `clip-${code}.tif`);
      writeFileSync(out, Buffer.from(await dl.arrayBuffer()));
      // The clip carries the CRS in its GeoKeys (by code where GDAL itself could only write a .aux.xml).
      assert.match(gdalInfo(out).coordinateSystem?.wkt ?? '', new RegExp(`ID\\["EPSG",${code}\\]\\]$`), 'GDAL reads the source CRS from the clip');
      checkClip(m.file, out, aoi, env);
    });
  }
});

/** The clip oracle (see test/raster/clip/clip.gdal.test.ts): valid COG on the source grid, mask = gdalwarp -cutline, pixels exact. */
function checkClip(src: string, out: string, aoi: unknown, env: NodeJS.ProcessEnv): void {
  assert.deepEqual(validateCog(out).errors, []);
  const o = gdalInfo(out);
  const s = gdalInfo(src);
  const [ox, rx, , oy, , ry] = o.geoTransform!;
  const [sx, srx, , sy, , sry] = s.geoTransform!;
  assert.ok(Math.abs(rx! - srx!) < 1e-9 * Math.abs(srx!) && Math.abs(ry! - sry!) < 1e-9 * Math.abs(sry!), 'same resolution');
  const col = (ox! - sx!) / srx!;
  const row = (oy! - sy!) / sry!;
  assert.ok(Math.abs(col - Math.round(col)) < 1e-6 && Math.abs(row - Math.round(row)) < 1e-6, 'on the source grid');
  const [w, h] = o.size;
  const aoiFile = `${out}.geojson`;
  writeFileSync(aoiFile, JSON.stringify(aoi));
  const warped = `${out}.warp.tif`;
  const te = [ox!, oy! + ry! * h, ox! + rx! * w, oy!].map(String);
  execFileSync('gdalwarp', ['-q', '-overwrite', '-te', ...te, '-tr', String(Math.abs(rx!)), String(Math.abs(ry!)), '-cutline', aoiFile, '-dstalpha', '-r', 'near', '-of', 'GTiff', src, warped], { env });
  // The four reads in one Python process (gdalPixelsBatch).
  const [gdal, mask, ours, source] = gdalPixelsBatch([
    { file: warped },
    { file: out, mask: true },
    { file: out },
    { file: src, window: [Math.round(col), Math.round(row), w, h] },
  ]) as [Buffer, Buffer, Buffer, Buffer];
  let disagree = 0;
  let inside = 0;
  let differ = 0;
  for (let i = 0; i < w * h; i++) {
    const gdalInside = gdal[i * 4 + 3]! !== 0;
    const oursInside = mask[i]! > 0;
    if (gdalInside !== oursInside) disagree++;
    if (!oursInside) continue;
    inside++;
    for (let b = 0; b < 3; b++) if (ours[i * 3 + b] !== source[i * 3 + b]) differ++;
  }
  assert.ok(inside > 500, `${inside} pixels inside`);
  assert.equal(disagree, 0, `mask disagrees with gdalwarp -cutline on ${disagree} of ${w * h} pixels`);
  assert.equal(differ, 0, `${differ} samples inside differ from the source`);
}
