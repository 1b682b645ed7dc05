/**
 * The area catalog over real files: lazy, cached, refreshed on change, a broken file isolated to its area
 * and told by its data-relative key. On the local data directory and (npm test's second pass) on S3.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AreaCatalog } from '../../src/catalog/area.catalog.js';
import { testFiles, type TestFiles } from '../support/files.js';
import { gdalInfo, hasGdal, realFixturesDir, repoRoot, skipUnlessRealFixtures } from '../support/gdal.js';

describe('area catalog over the sample data', () => {
  let dataDir: string;
  let files: TestFiles;
  let catalog: AreaCatalog;
  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'geopera-catalog-sample-'));
    files = await testFiles(dataDir);
    await files.link(path.join(repoRoot, 'data', 'areas'), 'areas');
    catalog = new AreaCatalog(files.store);
  });
  after(async () => {
    await files.cleanup();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('lists demo-valley with its mosaic types, bounds in EPSG:4326 and capture-date range', async () => {
    const areas = await catalog.listAreas();
    const demo = areas.find((a) => a.id === 'demo-valley');
    assert.ok(demo, 'demo-valley listed');
    assert.equal(demo.error, undefined);
    assert.deepEqual([...demo.mosaic_types].sort(), ['analytic', 'visual']);
    const [w, s, e, n] = demo.bounds!;
    assert.ok(w < e && s < n && w >= -180 && e <= 180 && s >= -90 && n <= 90);
    assert.ok(demo.capture_date_range && demo.capture_date_range.start <= demo.capture_date_range.end);
  });

  it('describes mosaics from headers as GDAL sees them', { skip: hasGdal ? false : 'gdalinfo not on PATH' }, async () => {
    for (const m of (await catalog.mosaics('demo-valley')) as Record<string, any>[]) {
      const info = gdalInfo(path.join(repoRoot, 'data/areas/demo-valley/mosaics', `${m.mosaic_type}.tif`));
      assert.deepEqual([m.width, m.height], info.size);
      assert.equal(m.bands, info.bands.length);
      assert.equal(m.overview_count, info.bands[0]!.overviews?.length ?? 0);
      assert.ok(m.file_size > 0);
    }
  });

  it('answers 404 area_not_found for an unknown area (and refuses path tricks)', async () => {
    for (const id of ['nowhere', '../data', '.', '']) {
      await assert.rejects(catalog.mosaics(id), (e: { code?: string }) => e.code === 'area_not_found');
    }
  });
});

describe('area catalog over the real corpus', { skip: skipUnlessRealFixtures }, () => {
  let dataDir: string;
  let files: TestFiles;
  let catalog: AreaCatalog;
  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'geopera-catalog-'));
    files = await testFiles(dataDir);
    const mk = async (area: string, mosaics: Record<string, string>): Promise<void> => {
      for (const [type, file] of Object.entries(mosaics)) await files.link(path.join(realFixturesDir, file), `areas/${area}/mosaics/${type}.tif`);
    };
    await mk('landsat', { visual: 'landsat_rgb_utm18n_lzw_tiled.tif', striped: 'landsat_rgb_utm18n_striped.tif' });
    await mk('nz', { dem: 'dem_f32_nztm_lerc_cog.tif', sparse: 'sparse_rgba_nztm_webp_cog.tif' });
    await mk('broken', { good: 's2_tci_utm34n_deflate_cog.tif' });
    const bytes = await readFile(path.join(realFixturesDir, 's2_tci_utm34n_deflate_cog.tif'));
    await files.store.put('areas/broken/mosaics/truncated.tif', bytes.subarray(0, 300));
    await files.store.put('areas/broken/capture_dates.geojson', '{ not json');
    await files.store.put('areas/landsat/area.json', JSON.stringify({ title: 'Landsat test area' }));
    await files.store.put('areas/landsat/capture_dates.geojson', JSON.stringify({ type: 'FeatureCollection', features: [
      { type: 'Feature', properties: { capture_date: '2021-05-01', mosaic_type: 'visual' }, geometry: null },
      { type: 'Feature', properties: { capture_date: '2019-01-02' }, geometry: null },
    ] }));
    catalog = new AreaCatalog(files.store);
  });
  after(async () => {
    await files.cleanup();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('lists every area; a broken file gives its area an error without failing the list', async () => {
    const areas = await catalog.listAreas();
    assert.deepEqual(areas.map((a) => a.id), ['broken', 'landsat', 'nz']);
    const broken = areas.find((a) => a.id === 'broken')!;
    assert.match(broken.error ?? '', /truncated\.tif/);
    assert.match(broken.error ?? '', /capture_dates/);
    // Files are named by their key under the data directory (or the bucket prefix), never by a server path.
    assert.match(broken.error ?? '', /^areas\/broken\//);
    assert.ok(!broken.error!.includes(dataDir) && !broken.error!.includes(os.tmpdir()) && !broken.error!.includes(realFixturesDir), broken.error);
    assert.equal(areas.find((a) => a.id === 'landsat')!.error, undefined);
    assert.equal(areas.find((a) => a.id === 'landsat')!.title, 'Landsat test area');
    const mosaics = (await catalog.mosaics('broken')) as Record<string, unknown>[];
    assert.ok(mosaics.find((m) => m.mosaic_type === 'truncated')?.error);
    assert.ok(mosaics.find((m) => m.mosaic_type === 'good' && !m.error));
  });

  it('sorts capture dates and reports their range', async () => {
    const feats = (await catalog.captureDates('landsat')) as { properties: { capture_date: string } }[];
    assert.deepEqual(feats.map((f) => f.properties.capture_date), ['2019-01-02', '2021-05-01']);
    const area = (await catalog.listAreas()).find((a) => a.id === 'landsat')!;
    assert.deepEqual(area.capture_date_range, { start: '2019-01-02', end: '2021-05-01' });
  });

  it('reports CRS, size, resolution, compression, overviews and nodata per mosaic', async () => {
    const [dem] = ((await catalog.mosaics('nz')) as Record<string, any>[]).filter((m) => m.mosaic_type === 'dem');
    assert.equal(dem.crs, 'EPSG:2193');
    assert.deepEqual([dem.width, dem.height], [4800, 7200]);
    assert.equal(dem.compression, 'lerc');
    assert.equal(dem.overview_count, 4);
    assert.equal(dem.nodata, -9999);
    assert.equal(dem.data_type, 'float32');
    assert.ok(Math.abs(dem.resolution_m[0] - 1) < 1e-6);
  });

  it('sees an area copied in (hard link included) without a restart', async () => {
    await files.link(path.join(realFixturesDir, 'hro_rgb_utm13n_jpeg_cog.tif'), 'areas/added/mosaics/visual.tif', 'hard');
    const ids = (await catalog.listAreas()).map((a) => a.id);
    assert.ok(ids.includes('added'));
  });

  it('sees a mosaic replaced in place: new headers, the old version never mixed in', async () => {
    const before = ((await catalog.mosaics('nz')) as Record<string, any>[]).find((m) => m.mosaic_type === 'sparse')!;
    await files.store.put('areas/nz/mosaics/sparse.tif', await readFile(path.join(realFixturesDir, 's2_tci_utm34n_deflate_cog.tif')));
    const after = ((await catalog.mosaics('nz')) as Record<string, any>[]).find((m) => m.mosaic_type === 'sparse')!;
    assert.notEqual(after.file_size, before.file_size);
    assert.equal(after.crs, 'EPSG:32634');
  });
});
