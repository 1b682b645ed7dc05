/**
 * The tile render threads: a task (file, tile, style, format) in, encoded bytes out, errors as their
 * stable code; through the real piscina pool, across the thread boundary, as the server runs them.
 */
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { copyFile, mkdtemp, open, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import type { StoredFile } from '../../src/files/file.store.js';
import { localSpec } from '../../src/files/file.store.open.js';
import { openRaster } from '../../src/raster/read/raster.open.js';
import { createTilePool } from '../../src/server/tile.pool.js';
import { resolveStyle } from '../../src/tiles/render.style.js';
import { mercatorToLonLat, tileForLonLat } from '../../src/tiles/tile.grid.js';
import type { TileTask } from '../../src/tiles/tile.task.js';

const fixture = path.resolve('test/fixtures/raster/rgb_u8_3857_jpeg_mask_cog.tif');
/** A local file as the store names it (the threads' store here is the local disk; absolute keys are plain paths). */
const stored = (file: string): StoredFile => ({ key: file, size: statSync(file).size, version: 'test' });
const files = localSpec(path.resolve('.'));

describe('tile render threads', () => {
  let dir = '';
  let broken = '';
  let task: TileTask;
  const tiles = createTilePool(2, 16 * 1024 * 1024, files);

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'geopera-tile-worker-'));
    const info = await openRaster(fixture);
    // A tile at the raster's centre, at the zoom of its full resolution.
    const t = info.geo.transform;
    const lvl = info.levels[0]!;
    const [cx, cy] = [t[0] + (lvl.width / 2) * t[1], t[3] + (lvl.height / 2) * t[5]];
    const [lon, lat] = mercatorToLonLat(cx, cy);
    const z = Math.round(Math.log2((2 * Math.PI * 6378137) / 256 / Math.abs(t[1])));
    task = { file: stored(fixture), key: 'fixture', ...tileForLonLat(lon, lat, z), size: 256, format: 'png', style: resolveStyle(info, null) };
    // The same file with its first image tile overwritten: that tile no longer decodes.
    broken = path.join(dir, 'broken.tif');
    await copyFile(fixture, broken);
    const fh = await open(broken, 'r+');
    const at = Number(lvl.offsets[0]);
    await fh.write(Buffer.alloc(Math.min(64, Number(lvl.byteCounts[0])), 0x55), 0, undefined, at);
    await fh.close();
  });
  after(async () => {
    await tiles.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers a PNG of the asked size from another thread', async () => {
    const answer = await tiles.run(task);
    assert.ok('body' in answer, JSON.stringify(answer));
    const meta = await sharp(answer.body).metadata();
    assert.equal(meta.format, 'png');
    assert.equal(meta.width, 256);
    assert.equal(meta.height, 256);
  });

  it('answers webp, jpg and 512-pixel tiles too', async () => {
    for (const [format, size] of [['webp', 256], ['jpg', 256], ['png', 512]] as const) {
      const answer = await tiles.run({ ...task, format, size });
      assert.ok('body' in answer, JSON.stringify(answer));
      const meta = await sharp(answer.body).metadata();
      assert.equal(meta.format, format === 'jpg' ? 'jpeg' : format);
      assert.equal(meta.width, size);
    }
  });

  it('sends a failure back as its stable code, not as a crash of the thread', async () => {
    const info = await openRaster(broken);
    // The tile over the raster's top-left corner reads the broken first image tile.
    const [lon, lat] = mercatorToLonLat(info.geo.transform[0] + 1, info.geo.transform[3] - 1);
    const answer = await tiles.run({ ...task, file: stored(broken), key: 'broken', ...tileForLonLat(lon, lat, task.z) });
    assert.ok('error' in answer, `expected an error, got ${JSON.stringify(answer).slice(0, 80)}`);
    assert.equal(answer.error.code, 'invalid_tiff');
    // The thread still renders after the failure.
    assert.ok('body' in (await tiles.run(task)));
  });

  it('answers a health check, and a health check does not start a thread', async () => {
    assert.equal(await tiles.healthy(), true);
    const idle = createTilePool(1, 1024 * 1024, files);
    try {
      assert.equal(await idle.healthy(), true);
      assert.equal(idle.threads(), 0, 'no thread started by the check');
      assert.ok('body' in (await idle.run(task)));
      assert.equal(idle.threads(), 1, 'the first tile starts one');
      assert.equal(await idle.healthy(), true);
    } finally {
      await idle.destroy();
    }
  });
});

