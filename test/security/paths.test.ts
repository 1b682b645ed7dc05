/**
 * SECURITY.md "Files the server reads" (OWASP API1, API7): a caller names areas, mosaic types, items and
 * asset keys — never a path — and none of them can walk out of the data directory. STAC asset hrefs
 * are the operator's: relative ones inside the data directory are read, absolute ones and `../` walks
 * out of it are refused (`asset_outside_data_dir`), URLs are never fetched; a symbolic link the
 * operator put inside the data directory is followed wherever it points. Messages show paths relative
 * to the data directory, never the server's layout.
 */
import assert from 'node:assert/strict';
import { copyFile, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { aoiOf, DemoBbox, finalJob } from '../support/fault.tools.js';
import { repoRoot } from '../support/gdal.js';
import { startTestServer, type TestServer } from '../support/harness.js';

const visual = path.join(repoRoot, 'data/areas/demo-valley/mosaics/visual.tif');
const aoi = aoiOf(DemoBbox, 0.08);

describe('files the server reads', { timeout: 120_000 }, () => {
  let t: TestServer;
  let outside: string;
  before(async () => {
    t = await startTestServer({ linkSampleData: false });
    outside = `${t.dataDir}-outside`;
    await mkdir(outside);
    await copyFile(visual, path.join(outside, 'visual.tif'));
    await mkdir(path.join(t.dataDir, 'areas/broken/mosaics'), { recursive: true });
    await symlink(path.join(repoRoot, 'data/areas/demo-valley'), path.join(t.dataDir, 'areas/demo-valley'));
    await writeFile(path.join(t.dataDir, 'areas/broken/mosaics/visual.tif'), Buffer.from('II*\0garbage that is not a TIFF'));
    const items = path.join(t.dataDir, 'catalog/items');
    await mkdir(path.join(items, 'links'), { recursive: true });
    await symlink(path.join(outside, 'visual.tif'), path.join(items, 'links/visual.tif'));
    const item = (id: string, hrefs: Record<string, string>) => writeFile(path.join(items, `${id}.json`), JSON.stringify({
      type: 'Feature', stac_version: '1.0.0', id, geometry: null, bbox: DemoBbox, properties: { datetime: '2025-01-01T00:00:00Z' },
      assets: Object.fromEntries(Object.entries(hrefs).map(([k, href]) => [k, { href, type: 'image/tiff; application=geotiff' }])),
    }));
    await item('mixed', {
      inside: '../../areas/demo-valley/mosaics/visual.tif',
      walk: path.relative(items, path.join(outside, 'visual.tif')),
      absolute: visual,
      remote: 'https://example.invalid/visual.tif',
      linked: 'links/visual.tif',
    });
  });
  after(async () => {
    await t.close();
    await rm(outside, { recursive: true, force: true });
  });

  const create = (assets: string[] | undefined) => t.op('clip.create_from_item', { source_item_id: 'mixed', ...(assets ? { asset_keys: assets } : {}), aoi_geometry: aoi });

  it('an href inside the data directory is read', async () => {
    const res = await create(['inside']);
    assert.equal(res.status, 200);
    assert.equal((await finalJob(t.url, t.key, ((await res.json()) as { job: { id: string } }).job.id)).status, 'completed');
  });

  for (const key of ['walk', 'absolute']) {
    it(`an href that leaves the data directory (${key}) is refused with asset_outside_data_dir, and nothing is created`, async () => {
      const jobs = (await t.runtime.services.storage.jobs.list('acme', { limit: 100, offset: 0 })).total;
      const res = await create([key]);
      assert.equal(res.status, 422);
      const body = (await res.json()) as { code: string; message: string };
      assert.equal(body.code, 'asset_outside_data_dir');
      assert.equal(body.message.includes(t.dataDir) || body.message.includes(outside), false);
      assert.equal((await t.runtime.services.storage.jobs.list('acme', { limit: 100, offset: 0 })).total, jobs);
    });
  }

  it('a URL href is not an asset the server reads (nothing is fetched)', async () => {
    const res = await create(['remote']);
    assert.equal(res.status, 404);
  });

  it("a symbolic link the operator put inside the data directory is followed (the operator's choice)", async () => {
    const res = await create(['linked']);
    assert.equal(res.status, 200);
    assert.equal((await finalJob(t.url, t.key, ((await res.json()) as { job: { id: string } }).job.id)).status, 'completed');
  });

  it('without asset_keys only the readable assets are clipped', async () => {
    const res = await create(undefined);
    assert.equal(res.status, 200);
    assert.deepEqual(((await res.json()) as { asset_keys: string[] }).asset_keys.sort(), ['inside', 'linked']);
  });

  it('names a caller gives never walk out: areas, mosaic types, items, asset keys, tile paths', async () => {
    const tries: [string, unknown][] = [
      ['clip.area.mosaics', { area: '..' }],
      ['clip.area.mosaics', { area: '../areas/demo-valley' }],
      ['clip.area.metadata', { area: '/etc' }],
      ['clip.create_from_area', { area: 'demo-valley', mosaic_types: ['../../broken/mosaics/visual'], organization_id: 'acme', aoi_geometry: aoi }],
      ['clip.create_from_area', { area: 'demo-valley/../broken', mosaic_types: ['visual'], organization_id: 'acme', aoi_geometry: aoi }],
      ['clip.create_from_item', { source_item_id: '../items/mixed', aoi_geometry: aoi }],
      ['clip.create_from_item', { source_item_id: 'mixed', asset_keys: ['../inside'], aoi_geometry: aoi }],
    ];
    for (const [op, body] of tries) {
      const res = await t.op(op, body);
      assert.equal(res.status, 404, `${op} ${JSON.stringify(body)}`);
    }
    for (const p of ['/v1/tiles/areas/%2e%2e/visual/1/1/1.png', '/v1/tiles/areas/demo-valley/..%2fbroken%2fmosaics%2fvisual/1/1/1.png', '/v1/tiles/areas/%2e%2e%2fareas%2fdemo-valley/visual/tilejson.json']) {
      const res = await fetch(`${t.url}${p}`, { headers: { 'x-api-key': t.key } });
      assert.equal(res.status, 404, p);
    }
  });

  it("messages about a broken file show its path relative to the data directory, not the server's", async () => {
    const list = (await (await t.op('clip.areas.list', {})).json()) as { items: { id: string; error?: string }[] };
    const broken = list.items.find((a) => a.id === 'broken')!;
    assert.match(broken.error ?? '', /areas\/broken\/mosaics\/visual\.tif/);
    assert.equal(broken.error!.includes(t.dataDir), false, broken.error);
    const res = await t.op('clip.create_from_area', { area: 'broken', mosaic_types: ['visual'], organization_id: 'acme', aoi_geometry: aoi });
    const text = await res.text();
    assert.ok(res.status >= 400 && res.status < 500, text);
    assert.equal(text.includes(t.dataDir), false, text);
  });
});
