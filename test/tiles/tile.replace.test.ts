/**
 * An area mosaic replaced while maps show it: tiles keep answering, and the area's description and tiles
 * come from the new file. In S3 every read is pinned to the ETag the mosaic was listed with, so a tile
 * drawn from the old version after the replacement fails inside (412 → `source_changed`) and is drawn again
 * from the new one; on disk the open file keeps its old bytes until the layer is read again.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTilePool } from '../../src/server/tile.pool.js';
import { tileForLonLat, type TileAddress } from '../../src/tiles/tile.grid.js';
import { TileRenderer } from '../../src/tiles/tile.service.js';
import type { TileTask, TileTaskRunner } from '../../src/tiles/tile.task.js';
import { repoRoot } from '../support/gdal.js';
import { startTestServer, type TestServer } from '../support/harness.js';

const mosaics = path.join(repoRoot, 'data/areas/demo-valley/mosaics');

describe('an area mosaic replaced under a map', () => {
  let t: TestServer;
  let template: string;
  let bounds: [number, number, number, number];
  let maxzoom: number;
  before(async () => {
    t = await startTestServer({ linkSampleData: false });
    await t.files.store.put('areas/swap/mosaics/visual.tif', await readFile(path.join(mosaics, 'visual.tif')));
    const res = await fetch(`${t.url}/v1/tiles/areas/swap/visual/tilejson.json`, { headers: { authorization: `Bearer ${t.key}` } });
    assert.equal(res.status, 200);
    const doc = (await res.json()) as { tiles: string[]; bounds: [number, number, number, number]; maxzoom: number };
    [template, bounds, maxzoom] = [doc.tiles[0]!, doc.bounds, doc.maxzoom];
  });
  after(() => t.close());

  const get = (a: TileAddress): Promise<Response> => fetch(template.replace('{z}', String(a.z)).replace('{x}', String(a.x)).replace('{y}', String(a.y)));
  /** A full-resolution tile near a corner of the mosaic (its bytes lie far apart in the file). */
  const corner = (fx: number, fy: number): TileAddress => tileForLonLat(bounds[0] + (bounds[2] - bounds[0]) * fx, bounds[1] + (bounds[3] - bounds[1]) * fy, maxzoom);

  it('answers every tile through the replacement and then describes and draws the new file', async () => {
    const first = await get(corner(0.1, 0.9));
    assert.equal(first.status, 200);
    await first.arrayBuffer();
    // The 4-band 16-bit mosaic of the same place takes the RGB one's key.
    await t.files.store.put('areas/swap/mosaics/visual.tif', await readFile(path.join(mosaics, 'analytic.tif')));
    const during = await get(corner(0.9, 0.1));
    assert.equal(during.status, 200, await during.clone().text());
    await during.arrayBuffer();
    const described = (await (await t.op('clip.area.mosaics', { area: 'swap' })).json()) as { items: { bands: number; data_type: string }[] };
    assert.deepEqual([described.items[0]!.bands, described.items[0]!.data_type], [4, 'uint16']);
    const doc = (await (await fetch(`${t.url}/v1/tiles/areas/swap/visual/tilejson.json`, { headers: { authorization: `Bearer ${t.key}` } })).json()) as { tiles: string[] };
    const fresh = await fetch(doc.tiles[0]!.replace('{z}', String(maxzoom - 2)).replace('{x}', String(corner(0.5, 0.5).x >> 2)).replace('{y}', String(corner(0.5, 0.5).y >> 2)));
    assert.equal(fresh.status, 200);
  });

  it('draws a tile again from the current version when the render reports source_changed', async () => {
    // Whether a real render meets the 412 depends on the area layer's 2-second recheck; here the first
    // render reports it, as a render thread does when its pinned ETag no longer matches.
    const pool = createTilePool(1, 16 * 1024 * 1024, t.config.files);
    const tasks: TileTask[] = [];
    const renderTask: TileTaskRunner = async (task) => {
      tasks.push(task);
      return tasks.length === 1 ? { error: { code: 'source_changed', message: `${task.file.key} was replaced while it was being read; try again` } } : pool.run(task);
    };
    const live = t.runtime.services.tiles as TileRenderer;
    const renderer = new TileRenderer(live.storage, live.catalog, live.signer, live.config, renderTask, t.runtime.files);
    try {
      const token = new URL(template).searchParams.get('token')!;
      const answer = await renderer.areaTile({ token }, 'swap', 'visual', { ...corner(0.5, 0.5), scale: 1, format: 'png', overrides: {} });
      assert.equal(answer.status, 200);
      assert.equal(tasks.length, 2, 'one retry');
      const current = await t.files.store.stat('areas/swap/mosaics/visual.tif');
      assert.equal(tasks[1]!.file.version, current!.version, 'the retry reads the version listed now');
    } finally {
      renderer.close();
      await pool.destroy();
    }
  });
});
