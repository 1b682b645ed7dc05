/**
 * The clip threads' warm-up (clip.warmup.ts): its synthetic mosaic is a COG GDAL reads as a JPEG YCbCr
 * mosaic in Web Mercator with overviews; its AOI clips that mosaic as any clip, checked against GDAL like
 * the sweep's cases; the warm-up takes the paths a real clip takes (tiles inside copied, boundary tiles
 * re-encoded, overviews) and leaves nothing behind.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { warmUpAoi, warmUpClip, writeWarmUpMosaic } from '../../../src/raster/clip/clip.warmup.js';
import { skipUnlessGdal } from '../../support/gdal.js';
import { gdalOracle } from '../../support/gdal.oracle.js';
import { verifyClip } from './clip.verify.js';

describe('clip thread warm-up', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'geopera-warmup-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes a mosaic GDAL reads as a valid JPEG YCbCr COG in EPSG:3857 with two overviews', { skip: skipUnlessGdal }, async () => {
    const gdal = gdalOracle();
    const file = path.join(dir, 'mosaic.tif');
    await writeWarmUpMosaic(file);
    assert.deepEqual((await gdal.validateCog(file)).errors, []);
    const info = await gdal.info(file);
    assert.deepEqual(info.size, [2048, 2048]);
    assert.equal(info.bands.length, 3);
    assert.deepEqual(info.bands.map((b) => b.overviews?.length), [2, 2, 2]);
    assert.equal(info.metadata?.IMAGE_STRUCTURE?.COMPRESSION, 'YCbCr JPEG');
    assert.match(info.coordinateSystem!.wkt, /ID\["EPSG",3857\]\]$/);
  });

  it('clips that mosaic to its AOI as GDAL says it should (the sweep\'s checks)', { skip: skipUnlessGdal }, async () => {
    const gdal = gdalOracle();
    await verifyClip(gdal, dir, path.join(dir, 'mosaic.tif'), warmUpAoi(), 'warmup');
  });

  it('takes the inside, boundary and overview paths, and removes its folder', async () => {
    const scratch = path.join(dir, 'scratch', '.warmup');
    const done = await warmUpClip(scratch);
    assert.deepEqual(done.tiles, { inside: 4, boundary: 12, outside: 0, passthrough: 4, source_halves: 4, source_overview_tiles: 0 });
    assert.equal(done.overviews, 2);
    assert.equal(existsSync(scratch), false);
  });

  it('starts clean when a crash left a warm-up folder behind', async () => {
    const scratch = path.join(dir, 'left', '.warmup');
    await warmUpClip(scratch);
    const { mkdir, writeFile } = await import('node:fs/promises');
    await mkdir(scratch, { recursive: true });
    await writeFile(path.join(scratch, 'clip.tif.tmp-abc'), 'half');
    assert.equal((await warmUpClip(scratch)).tiles.inside, 4);
    assert.equal(existsSync(scratch), false);
  });
});
