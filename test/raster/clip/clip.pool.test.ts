/**
 * Tile buffers reused (PixelPools): a clip's decoded tiles, overview tiles and validity masks go back to a
 * pool once written, and a thread's pools carry them from one clip to the next. Reuse must never show: each
 * clip, run with eight tiles at once on pools shared with the clips before it, writes the same bytes as the
 * same clip run one tile at a time on buffers of its own. The pools here overwrite every buffer given back
 * with a pattern first, so a buffer given back while anything still reads it changes what is written, every
 * time, not only when a race happens to hand it out early. The clips themselves are checked against GDAL in
 * clip.gdal.test.ts.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { clipToCog } from '../../../src/raster/clip/clip.run.js';
import { PixelPools, type PixelPool } from '../../../src/raster/decode/pixel.pool.js';
import type { DataType } from '../../../src/raster/raster.types.js';
import { hasGdal, repoRoot, run } from '../../support/gdal.js';

const fixtures = path.join(repoRoot, 'test/fixtures');
const aoi = (name: string): unknown => JSON.parse(readFileSync(path.join(fixtures, 'aoi', name), 'utf8'));

/** Pools whose buffers are overwritten with 0xa5 bytes as they are given back. */
class PoisoningPools extends PixelPools {
  private readonly poisoned = new WeakSet<PixelPool>();

  override for(dataType: DataType, length: number): PixelPool {
    const pool = super.for(dataType, length);
    if (!this.poisoned.has(pool)) {
      this.poisoned.add(pool);
      const give = pool.give.bind(pool);
      pool.give = (pixels) => {
        if (pixels) new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.byteLength).fill(0xa5);
        give(pixels);
      };
    }
    return pool;
  }
}

const clips: [raster: string, aoi: string][] = [
  ['rgb_u8_3857_jpeg_cog.tif', '3857_multipolygon_two_parts.geojson'],
  ['rgb_u8_3857_jpeg_cog.tif', '3857_covers_all.geojson'],
  ['rgb_u8_3857_jpeg_mask_cog.tif', '3857_partly_outside.geojson'],
  ['rgba_u8_3857_webp_cog.tif', '3857_multipolygon_two_parts.geojson'],
  ['rgb_u8_utm33n_deflate_cog.tif', 'utm33n_hole_inside.geojson'],
  ['u16_4b_utm33n_deflate_p2_cog.tif', 'utm33n_partly_outside.geojson'],
  ['rgb_u8_3857_jpeg_cog.tif', '3857_partly_outside.geojson'],
];

describe('clips on reused tile buffers', () => {
  let dir: string;
  before(async () => { dir = await mkdtemp(path.join(os.tmpdir(), 'geopera-pool-')); });
  after(() => rm(dir, { recursive: true, force: true }));

  it('write the same bytes as clips on fresh buffers one tile at a time, and reuse buffers within and across clips', async (t) => {
    const pools = new PoisoningPools();
    const all = [...clips];
    // 64-pixel JPEG tiles: a covering AOI makes most tiles deep inside, their halves cut from source overview
    // tiles each shared by four (kept until the last of the four has copied from it).
    if (hasGdal) {
      run('gdal_translate', ['-q', '-of', 'COG', '-co', 'BLOCKSIZE=64', '-co', 'COMPRESSION=JPEG', path.join(fixtures, 'raster/rgb_u8_3857_jpeg_cog.tif'), path.join(dir, 'small_tiles.tif')]);
      all.push([path.join(dir, 'small_tiles.tif'), '3857_covers_all.geojson']);
    } else t.diagnostic('gdal_translate is not installed: no clip of 64-pixel tiles');
    for (const [i, [raster, aoiName]] of all.entries()) {
      const src = path.resolve(fixtures, 'raster', raster);
      const pooled = await clipToCog(src, aoi(aoiName), path.join(dir, `pooled-${i}.tif`), { pools, concurrency: 8, summary: true });
      const alone = await clipToCog(src, aoi(aoiName), path.join(dir, `alone-${i}.tif`), { concurrency: 1, summary: true });
      assert.equal(pooled.sha256, alone.sha256, `${raster} × ${aoiName}`);
      if (raster.endsWith('small_tiles.tif')) assert.ok((pooled.info.tiles as { source_halves: number }).source_halves > 100, JSON.stringify(pooled.info.tiles));
      assert.deepEqual(pooled.summary?.statistics, alone.summary?.statistics, `${raster} × ${aoiName}: statistics`);
    }
    const { made, reused } = pools.counts;
    assert.ok(reused > 2 * made, `${reused} buffers reused, ${made} made`);
  });
});
