/**
 * Map tiles of mosaics in a US State Plane zone (US survey feet) and in S-JTSK / Krovak East North, against
 * `gdalwarp -t_srs EPSG:3857` of the same COG (PSNR >= 35 dB over the pixels both draw).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { crsConverter } from '../../src/raster/geo/crs.transform.js';
import { RasterCache } from '../../src/tiles/raster.cache.js';
import { resolveStyle } from '../../src/tiles/render.style.js';
import { layerExtent } from '../../src/tiles/tile.layer.js';
import { lazyDefaults } from '../../src/tiles/tile.layer.source.js';
import { tileForLonLat } from '../../src/tiles/tile.grid.js';
import { renderTile } from '../../src/tiles/tile.render.js';
import { makeCrsMosaics } from '../support/crs.mosaics.js';
import { skipUnlessGdal } from '../support/gdal.js';
import { gdalTile, psnr } from './tile.oracle.js';

const cache = new RasterCache();
const dir = mkdtempSync(path.join(os.tmpdir(), 'geopera-tile-crs-'));
after(() => {
  cache.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('map tiles of national grids against gdalwarp', { skip: skipUnlessGdal }, () => {
  for (const [code, name] of [[2263, 'NAD83 / New York Long Island (ftUS)'], [5514, 'S-JTSK / Krovak East North']] as const) {
    it(`EPSG:${code} ${name}: tiles at the native zoom and one above reach 35 dB`, async () => {
      const [m] = makeCrsMosaics(path.join(dir, String(code)), [code], 320);
      const r = await cache.open(m!.file, m!.file);
      const t = r.info.geo.transform;
      const l0 = r.info.levels[0]!;
      const [lon, lat] = crsConverter(r.info.geo.crs!.proj4, 'EPSG:4326').forward([t[0] + (l0.width / 2) * t[1], t[3] + (l0.height / 2) * t[5]]);
      const { nativezoom } = layerExtent(r.info);
      const defaults = await lazyDefaults(cache, r);
      const style = resolveStyle(r.info, defaults, {});
      let checked = 0;
      for (const z of [nativezoom - 1, nativezoom]) {
        const address = tileForLonLat(lon, lat, z);
        const tile = await renderTile(cache, r, address, 256, style);
        const g = await gdalTile(m!.file, address, 256);
        const p = psnr(tile.rgba, g.values, g.bands, g.alpha);
        assert.ok(p.compared > 2000, `z${z}: only ${p.compared} pixels compared`);
        assert.ok(p.psnr >= 35, `z${z} ${address.x}/${address.y}: PSNR ${p.psnr.toFixed(1)} dB over ${p.compared} pixels`);
        checked++;
      }
      assert.equal(checked, 2);
    });
  }
});
