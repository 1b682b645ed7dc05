/**
 * Map tiles against GDAL: each tile is compared with `gdalwarp -t_srs EPSG:3857 -te <tile bounds>
 * -ts 256 256 -r bilinear -dstalpha` of the same COG (PSNR over the pixels both draw fully), for sources
 * in UTM, EPSG:4326 and EPSG:3857, 8-bit, 16-bit (rescaled) and float, with masks and nodata.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { RasterCache } from '../../src/tiles/raster.cache.js';
import { resolveStyle, type RenderDefaults, type StyleOverrides } from '../../src/tiles/render.style.js';
import { lazyDefaults } from '../../src/tiles/tile.layer.source.js';
import { layerExtent } from '../../src/tiles/tile.layer.js';
import { tileForLonLat, type TileAddress } from '../../src/tiles/tile.grid.js';
import { renderTile, type RenderedTile } from '../../src/tiles/tile.render.js';
import { realFixturesDir, skipUnlessRealFixtures } from '../support/gdal.js';
import { gdalTile, psnr, rescaleBytes } from './tile.oracle.js';
import proj4 from 'proj4';
import { proj4Definition } from '../../src/raster/aoi/aoi.project.js';

const cache = new RasterCache();
after(() => cache.close());

const fixture = (name: string): string => path.join(realFixturesDir, name);

async function render(file: string, t: TileAddress, size = 256, overrides: StyleOverrides = {}): Promise<{ tile: RenderedTile; defaults: RenderDefaults; rescale: [number, number][] | null; bands: number[] }> {
  const r = await cache.open(file, file);
  const defaults = await lazyDefaults(cache, r);
  const style = resolveStyle(r.info, defaults, overrides);
  return { tile: await renderTile(cache, r, t, size, style), defaults, rescale: style.rescale, bands: style.bands };
}

/** GDAL's tile as 0..255 values of the drawn bands (rescaled like ours when there is a rescale). */
async function gdalDrawn(file: string, t: TileAddress, bands: number[], rescale: [number, number][] | null, size = 256, resampling = 'bilinear'): Promise<{ values: Float64Array; alpha: Float64Array }> {
  const g = await gdalTile(file, t, size, resampling);
  const n = size * size;
  const values = new Float64Array(n * 3);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < 3; k++) values[i * 3 + k] = g.values[i * g.bands + bands[Math.min(k, bands.length - 1)]!]!;
  }
  if (!rescale) return { values, alpha: g.alpha };
  const out = new Float64Array(n * 3);
  for (let k = 0; k < 3; k++) {
    const [lo, hi] = rescale[Math.min(k, rescale.length - 1)]!;
    const one = rescaleBytes(values.filter((_, i) => i % 3 === k), lo, hi);
    for (let i = 0; i < n; i++) out[i * 3 + k] = one[i]!;
  }
  return { values: out, alpha: g.alpha };
}

/** The tile at the raster's centre, or at the middle of its west edge, at zoom z. */
async function tileAt(file: string, z: number, where: 'centre' | 'west-edge'): Promise<TileAddress> {
  const { info } = await cache.open(file, file);
  const t = info.geo.transform;
  const l0 = info.levels[0]!;
  const col = where === 'centre' ? l0.width / 2 : 0.5;
  const row = l0.height / 2;
  const xy: [number, number] = [t[0] + col * t[1] + row * t[2], t[3] + col * t[4] + row * t[5]];
  const [lon, lat] = proj4(proj4Definition(info.geo.crs!.proj4), 'EPSG:4326', xy) as [number, number];
  return tileForLonLat(lon, lat, z);
}

async function zoomsOf(file: string): Promise<{ minzoom: number; nativezoom: number; maxzoom: number }> {
  const { info } = await cache.open(file, file);
  return layerExtent(info);
}

const cases: { name: string; file: string }[] = [
  { name: 'UTM 34N RGB (Sentinel-2 TCI, nodata 0, 5 overviews)', file: 's2_tci_utm34n_deflate_cog.tif' },
  { name: 'UTM 18N 3 x uint16 (Landsat, rescaled by computed defaults)', file: 'landsat_3b_u16_utm18n_deflate_cog.tif' },
  { name: 'EPSG:4326 RGB (Blue Marble, big-endian, no overviews)', file: 'bluemarble_rgb_4326_lzw_be.tif' },
  { name: 'EPSG:4326 1-band uint8 (BigTIFF, nodata 255)', file: 'cropland_u8_4326_bigtiff_cog.tif' },
  { name: 'EPSG:3857 RGB JPEG with internal mask', file: 'aerial_rgb_3857_jpeg_mask_cog.tif' },
  { name: 'EPSG:2056 float32 DEM (nodata -9999, rescaled)', file: 'dem_f32_epsg2056_lzw.tif' },
];

describe('map tiles against gdalwarp', () => {
  for (const c of cases) {
    it(`${c.name}: centre tiles from minzoom + 1 to maxzoom reach 35 dB`, { skip: skipUnlessRealFixtures }, async () => {
      const file = fixture(c.file);
      const { minzoom, maxzoom } = await zoomsOf(file);
      let checked = 0;
      for (let z = Math.min(maxzoom, minzoom + 1); z <= maxzoom; z++) {
        const t = await tileAt(file, z, 'centre');
        const { tile, rescale, bands } = await render(file, t);
        const g = await gdalDrawn(file, t, bands, rescale);
        const p = psnr(tile.rgba, g.values, 3, g.alpha);
        if (p.compared < 1000) continue;
        assert.ok(p.psnr >= 35, `${c.file} z${z} ${t.x}/${t.y} (level ${tile.level}): PSNR ${p.psnr.toFixed(1)} dB over ${p.compared} pixels`);
        checked++;
      }
      assert.ok(checked >= 2, `only ${checked} tiles compared`);
    });
  }

  it('a tile crossing the data edge: same pixels inside, transparent where GDAL has no data (UTM 13N)', { skip: skipUnlessRealFixtures }, async () => {
    const file = fixture('hro_rgb_utm13n_jpeg_cog.tif');
    const { nativezoom } = await zoomsOf(file);
    for (const z of [nativezoom - 1, nativezoom]) {
      const t = await tileAt(file, z, 'west-edge');
      const { tile, bands, rescale } = await render(file, t);
      const g = await gdalDrawn(file, t, bands, rescale);
      let inside = 0;
      let outside = 0;
      let disagree = 0;
      for (let i = 0; i < g.alpha.length; i++) {
        const ours = tile.rgba[i * 4 + 3]!;
        if (g.alpha[i] === 0) {
          outside++;
          if (ours !== 0) disagree++;
        } else if (g.alpha[i]! >= 0.999) {
          inside++;
          if (ours !== 255) disagree++;
        }
      }
      assert.ok(inside > 1000 && outside > 1000, `z${z}: the tile should cross the edge (inside ${inside}, outside ${outside})`);
      assert.ok(disagree <= 0.01 * (inside + outside), `z${z}: ${disagree} pixels disagree on transparency`);
      const p = psnr(tile.rgba, g.values, 3, g.alpha);
      assert.ok(p.psnr >= 35, `z${z}: PSNR ${p.psnr.toFixed(1)} dB`);
    }
  });

  it('a tile wholly outside the data is fully transparent', { skip: skipUnlessRealFixtures }, async () => {
    const file = fixture('s2_tci_utm34n_deflate_cog.tif');
    const { nativezoom } = await zoomsOf(file);
    const t = await tileAt(file, nativezoom, 'west-edge');
    const { tile } = await render(file, { z: t.z, x: t.x - 3, y: t.y });
    assert.equal(tile.validCount, 0);
    assert.ok(tile.rgba.every((v) => v === 0));
  });

  it('16-bit data drawn with an explicit rescale matches GDAL rescaled the same way', { skip: skipUnlessRealFixtures }, async () => {
    const file = fixture('landsat_3b_u16_utm18n_deflate_cog.tif');
    const { nativezoom } = await zoomsOf(file);
    const t = await tileAt(file, nativezoom, 'centre');
    const { tile, rescale, bands } = await render(file, t, 256, { rescale: [[7000, 12000]], bidx: [3, 2, 1] });
    assert.deepEqual(rescale, [[7000, 12000], [7000, 12000], [7000, 12000]]);
    assert.deepEqual(bands, [2, 1, 0]);
    const g = await gdalDrawn(file, t, bands, rescale);
    const p = psnr(tile.rgba, g.values, 3, g.alpha);
    assert.ok(p.compared > 30000 && p.psnr >= 35, `PSNR ${p.psnr.toFixed(1)} dB over ${p.compared}`);
    // Rescaled values span the byte range rather than sitting in the low end.
    let hi = 0;
    for (let i = 0; i < tile.rgba.length; i += 4) hi = Math.max(hi, tile.rgba[i]!);
    assert.ok(hi > 200, `brightest red ${hi}`);
  });

  it('@2x tiles (512 px) match gdalwarp -ts 512 512', { skip: skipUnlessRealFixtures }, async () => {
    const file = fixture('s2_tci_utm34n_deflate_cog.tif');
    const { nativezoom } = await zoomsOf(file);
    const t = await tileAt(file, nativezoom - 1, 'centre');
    const { tile, bands, rescale } = await render(file, t, 512);
    assert.equal(tile.size, 512);
    const g = await gdalDrawn(file, t, bands, rescale, 512);
    const p = psnr(tile.rgba, g.values, 3, g.alpha);
    assert.ok(p.compared > 100000 && p.psnr >= 35, `PSNR ${p.psnr.toFixed(1)} dB over ${p.compared}`);
  });

  it('palette data is drawn with nearest neighbour through its colour table (EPSG:3857)', { skip: skipUnlessRealFixtures }, async () => {
    const file = fixture('palette_u8_3857_deflate_cog.tif');
    const { nativezoom } = await zoomsOf(file);
    const t = await tileAt(file, nativezoom - 1, 'centre');
    const r = await cache.open(file, file);
    const style = resolveStyle(r.info, null);
    assert.equal(style.resampling, 'nearest');
    assert.ok(style.palette);
    const tile = await renderTile(cache, r, t, 256, style);
    const g = await gdalTile(file, t, 256, 'near');
    let same = 0;
    let compared = 0;
    for (let i = 0; i < g.alpha.length; i++) {
      if (g.alpha[i]! < 0.999 || tile.rgba[i * 4 + 3] !== 255) continue;
      const idx = g.values[i]!;
      compared++;
      if (style.palette![idx * 3] === tile.rgba[i * 4] && style.palette![idx * 3 + 1] === tile.rgba[i * 4 + 1] && style.palette![idx * 3 + 2] === tile.rgba[i * 4 + 2]) same++;
    }
    assert.ok(compared > 10000, `compared ${compared}`);
    assert.ok(same >= 0.99 * compared, `${same} of ${compared} pixels have GDAL's colour`);
  });
});
