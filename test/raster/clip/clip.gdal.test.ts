/**
 * The clip engine against GDAL as the oracle: every output is a valid COG on the source's grid; inside
 * the AOI its pixels equal the source's (exactly for lossless codecs; boundary tiles of lossy sources
 * within the codec's error); `gdalwarp -cutline` over the same grid agrees on which pixels are inside;
 * GDAL sees everything outside as invalid; inside tiles are the source's bytes, unchanged; the summary the
 * clip gathers from the tiles it writes has GDAL's statistics of the written file, and is the summary read
 * back from that file (`summariseOutput`, thumbnail included).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { clipToCog } from '../../../src/raster/clip/clip.run.js';
import { realFixturesDir, repoRoot, skipUnlessGdal, skipUnlessRealFixtures } from '../../support/gdal.js';
import { gdalOracle } from '../../support/gdal.oracle.js';
import { aoiFor } from './clip.fixtures.js';
import { verifyClip } from './clip.verify.js';

const fixturesDir = path.join(repoRoot, 'test/fixtures');

interface Case {
  file: string;
  shape: 'hole' | 'multi' | 'partly-outside';
  /** Lossy codec (informational: detected from the file) */
  lossy?: boolean;
}

const cases: Case[] = [
  { file: 'landsat_rgb_utm18n_lzw_tiled.tif', shape: 'hole' },
  { file: 'landsat_rgb_utm18n_striped.tif', shape: 'partly-outside' },
  { file: 's2_tci_utm34n_deflate_cog.tif', shape: 'multi' },
  { file: 'hro_rgb_utm13n_jpeg_cog.tif', lossy: true, shape: 'hole' },
  { file: 'aerial_rgb_3857_jpeg_mask_cog.tif', lossy: true, shape: 'hole' },
  { file: 'hro_rgb_utm13n_deflate_mask_cog.tif', shape: 'partly-outside' },
  { file: 'landsat_3b_u16_utm18n_deflate_cog.tif', shape: 'hole' },
  { file: 'u16_3857_deflate_p2_cog.tif', shape: 'multi' },
  { file: 'dem_f32_epsg2056_lzw.tif', shape: 'hole' },
  { file: 'elev_i16_utm10n_lzw_tiled.tif', shape: 'partly-outside' },
  { file: 'f32_4326_deflate_nan_cog.tif', shape: 'hole' },
  { file: 'seaice_f32_3031_deflate_p3_cog.tif', shape: 'hole' },
  { file: 'bluemarble_rgb_4326_lzw_be.tif', shape: 'multi' },
  { file: 'drone_rgba_utm50s_lzw_p2.tif', shape: 'hole' },
  { file: 'palette_u8_3857_deflate_cog.tif', shape: 'hole' },
  { file: 'rgba_u8_3857_zstd_cog.tif', shape: 'hole' },
  { file: 'cropland_u8_4326_bigtiff_cog.tif', shape: 'hole' },
  { file: 'l7_6b_u8_utm25s_deflate_striped_ovr.tif', shape: 'hole' },
  { file: 'aerial_rgb_3857_webp.tif', lossy: true, shape: 'hole' },
];

describe('clip engine vs GDAL over the real corpus', { skip: skipUnlessRealFixtures }, () => {
  let dir: string;
  before(async () => { dir = await mkdtemp(path.join(os.tmpdir(), 'geopera-clip-')); });
  after(() => rm(dir, { recursive: true, force: true }));

  for (const c of cases) {
    it(`${c.file} (${c.shape} AOI)`, async () => {
      const src = path.join(realFixturesDir, c.file);
      await verifyClip(gdalOracle(), dir, src, aoiFor(await gdalOracle().info(src), c.shape), c.file);
    });
  }
});

describe('clip engine vs GDAL over the project fixtures', { skip: skipUnlessGdal }, () => {
  let dir: string;
  before(async () => { dir = await mkdtemp(path.join(os.tmpdir(), 'geopera-clipfx-')); });
  after(() => rm(dir, { recursive: true, force: true }));
  const index = JSON.parse(readFileSync(path.join(fixturesDir, 'aoi/index.json'), 'utf8')) as Record<string, { valid: boolean; targets?: string[] }>;

  for (const [aoiName, entry] of Object.entries(index)) {
    const aoi = JSON.parse(readFileSync(path.join(fixturesDir, 'aoi', aoiName), 'utf8')) as unknown;
    for (const target of entry.targets ?? []) {
      const src = path.join(fixturesDir, 'raster', target);
      if (!entry.valid) {
        it(`${target} × ${aoiName} → invalid_aoi`, async () => {
          await assert.rejects(clipToCog(src, aoi, path.join(dir, 'never.tif')), (e: { code?: string }) => e.code === 'invalid_aoi');
        });
      } else if (aoiName.includes('entirely_outside')) {
        it(`${target} × ${aoiName} → aoi_outside_area`, async () => {
          await assert.rejects(clipToCog(src, aoi, path.join(dir, 'never.tif')), (e: { code?: string }) => e.code === 'aoi_outside_area');
        });
      } else {
        it(`${target} × ${aoiName}`, () => verifyClip(gdalOracle(), dir, src, aoi, `${target}.${aoiName}`));
      }
    }
  }
});
