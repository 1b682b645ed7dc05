/**
 * The pure parts of map tiles: the XYZ grid, tile URLs, the reprojection sampling plan, the level choice,
 * layer extents, TileJSON and tokens. No files, no HTTP.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import proj4 from 'proj4';
import { UrlSigner } from '../../src/auth/url.signer.js';
import type { RasterInfo, RasterLevel } from '../../src/raster/raster.types.js';
import { captureRangeOf, itemCaptureRange } from '../../src/tiles/capture.range.js';
import { chooseLevel, levelScale } from '../../src/tiles/level.choose.js';
import { coarsestZoom, isValidTile, lonLatToMercator, mercatorToLonLat, nativeZoom, tileBounds, tileForLonLat, tileIntersects, WorldWidth, zoomForResolution, zoomResolution } from '../../src/tiles/tile.grid.js';
import { intersectBounds, layerExtent, Overzoom } from '../../src/tiles/tile.layer.js';
import { overridesKey, parseOverrides, parseTileAddress } from '../../src/tiles/tile.request.js';
import { etagMatches } from '../../src/tiles/tile.service.js';
import { mintTileToken } from '../../src/tiles/tile.token.js';
import { attributionOf, tileTemplate } from '../../src/tiles/tilejson.build.js';
import { fillSamples, gridRatio, planGrid, planSamples } from '../../src/tiles/warp.plan.js';
import { mercatorToSourcePixel } from '../../src/tiles/warp.transform.js';
import { coordExtent, gridExtent, levelWindow } from '../../src/tiles/warp.window.js';
import type { CaptureFeature } from '../../src/catalog/capture.dates.js';

const utm34n = { epsg: 32634, proj4: '+proj=utm +zone=34 +datum=WGS84 +units=m +no_defs', geographic: false };

describe('the XYZ grid', () => {
  it('tile 0/0/0 is the whole Web Mercator world; children split it in four', () => {
    assert.deepEqual(tileBounds({ z: 0, x: 0, y: 0 }).map((v) => Math.round(v)), [-20037508, -20037508, 20037508, 20037508]);
    const [minX, , , maxY] = tileBounds({ z: 1, x: 0, y: 0 });
    assert.equal(Math.round(minX), -20037508);
    assert.equal(Math.round(maxY), 20037508);
    assert.ok(Math.abs(tileBounds({ z: 1, x: 1, y: 1 })[0]) < 1e-6, 'tile 1/1/1 starts at the origin');
  });

  it('converts lon/lat to metres and back; finds the tile of a position', () => {
    const [x, y] = lonLatToMercator(172.19, -43.67);
    const [lon, lat] = mercatorToLonLat(x, y);
    assert.ok(Math.abs(lon - 172.19) < 1e-9 && Math.abs(lat + 43.67) < 1e-9);
    const t = tileForLonLat(172.19, -43.67, 15);
    const b = tileBounds(t);
    assert.ok(x >= b[0] && x < b[2] && y > b[1] && y <= b[3]);
    assert.ok(tileIntersects(t, [x - 1, y - 1, x + 1, y + 1]));
    assert.ok(!tileIntersects({ ...t, x: t.x + 2 }, [x - 1, y - 1, x + 1, y + 1]));
  });

  it('relates zooms and resolutions (256-pixel tiles)', () => {
    assert.ok(Math.abs(zoomResolution(0) - WorldWidth / 256) < 1e-9);
    assert.ok(Math.abs(zoomForResolution(zoomResolution(17)) - 17) < 1e-9);
    assert.equal(nativeZoom(0.5), 19, '0.5 m needs z19 (0.30 m) to show every pixel');
    assert.equal(nativeZoom(zoomResolution(18)), 18, 'exactly a zoom resolution needs that zoom');
    assert.equal(coarsestZoom(2), 16, '2 m overviews are drawn from z16 (2.39 m tile pixels)');
  });

  it('knows the valid addresses', () => {
    assert.ok(isValidTile({ z: 3, x: 7, y: 0 }));
    assert.ok(!isValidTile({ z: 3, x: 8, y: 0 }));
    assert.ok(!isValidTile({ z: 31, x: 0, y: 0 }));
    assert.ok(!isValidTile({ z: 2, x: -1, y: 0 }));
  });
});

describe('tile URLs', () => {
  it('parses {z}/{x}/{y}[@2x].{png|webp|jpg}', () => {
    assert.deepEqual(parseTileAddress('12', '3', '7.png'), { z: 12, x: 3, y: 7, scale: 1, format: 'png' });
    assert.deepEqual(parseTileAddress('12', '3', '7@2x.webp'), { z: 12, x: 3, y: 7, scale: 2, format: 'webp' });
    assert.equal(parseTileAddress('1', '0', '1.jpeg').format, 'jpg');
    for (const [z, x, last] of [['1', '0', '1.gif'], ['1', '0', '1'], ['a', '0', '0.png'], ['1', '2', '0.png'], ['40', '0', '0.png']] as const) {
      assert.throws(() => parseTileAddress(z, x, last), (e: { code?: string }) => e.code === 'not_found', `${z}/${x}/${last}`);
    }
  });

  it('parses bidx, rescale (once or per band) and resampling; rejects bad values with 422', () => {
    assert.deepEqual(parseOverrides({ bidx: '4,3,2', rescale: '0,3000' }), { bidx: [4, 3, 2], rescale: [[0, 3000]] });
    assert.deepEqual(parseOverrides({ bidx: ['1', '2', '3'], rescale: ['0,1', '0,2', '-1,1.5'], resampling: 'nearest' }), { bidx: [1, 2, 3], rescale: [[0, 1], [0, 2], [-1, 1.5]], resampling: 'nearest' });
    for (const q of [{ bidx: '0' }, { bidx: 'x' }, { rescale: '5' }, { rescale: '3,1' }, { resampling: 'cubic' }]) {
      assert.throws(() => parseOverrides(q), (e: { code?: string }) => e.code === 'invalid_input', JSON.stringify(q));
    }
    assert.notEqual(overridesKey({ bidx: [1, 2, 3] }), overridesKey({}));
  });

  it('matches If-None-Match like HTTP does (lists, weak tags, *)', () => {
    assert.ok(etagMatches('"a"', '"a"'));
    assert.ok(etagMatches('"b", W/"a"', '"a"'));
    assert.ok(etagMatches('*', '"a"'));
    assert.ok(!etagMatches('"b"', '"a"'));
    assert.ok(!etagMatches(undefined, '"a"'));
  });

  it('templates carry {z}/{x}/{y}, the scale and the token', () => {
    assert.equal(tileTemplate('https://h/v1/tiles/jobs/j/visual', 'T', 'webp', 2), 'https://h/v1/tiles/jobs/j/visual/{z}/{x}/{y}@2x.webp?token=T');
  });
});

describe('tile tokens', () => {
  it('are bound to the org, the job or area, the key and the expiry', () => {
    const signer = new UrlSigner('secret');
    const principal = { orgId: 'acme', keyId: 'key1', scopes: new Set(['clip:read'] as const), via: 'api_key' as const };
    const { token, exp } = mintTileToken(signer, principal, { kind: 'job', jobId: 'job1' }, 600, 1000);
    assert.equal(exp, 1600);
    assert.equal(signer.verify(token, { purpose: 'tile', jobId: 'job1', subject: '' }, 1500).orgId, 'acme');
    assert.throws(() => signer.verify(token, { purpose: 'tile', jobId: 'job2', subject: '' }, 1500), (e: { code?: string }) => e.code === 'invalid_signature');
    assert.throws(() => signer.verify(token, { purpose: 'tile', jobId: 'job1', subject: '' }, 1700), (e: { code?: string }) => e.code === 'token_expired');
    const area = mintTileToken(signer, principal, { kind: 'area', area: 'job1' }, 600, 1000).token;
    assert.throws(() => signer.verify(area, { purpose: 'tile', jobId: 'job1', subject: '' }, 1500), 'an area token never opens a job of the same name');
  });
});

describe('the sampling plan', () => {
  const s2Transform: [number, number, number, number, number, number] = [699960, 10, 0, 3600000, 0, -10];

  it('matches the exact transform within 1/8 pixel for a UTM source', () => {
    const toSource = mercatorToSourcePixel(utm34n, s2Transform);
    const t = tileForLonLat(23.5, 32.3, 12);
    const plan = planSamples(tileBounds(t), 256, toSource);
    const b = tileBounds(t);
    const res = (b[2] - b[0]) / 256;
    const conv = proj4('EPSG:3857', utm34n.proj4);
    let worst = 0;
    for (let j = 0; j < 256; j += 7) {
      for (let i = 0; i < 256; i += 5) {
        const [x, y] = conv.forward([b[0] + (i + 0.5) * res, b[3] - (j + 0.5) * res]);
        const col = (x! - 699960) / 10;
        const row = (3600000 - y!) / 10;
        worst = Math.max(worst, Math.abs(plan.cols[j * 256 + i]! - col), Math.abs(plan.rows[j * 256 + i]! - row));
      }
    }
    const ratio = gridRatio(planGrid(b, 256, toSource));
    assert.ok(worst <= 0.125 * Math.max(1, ratio), `worst ${worst} source pixels at ratio ${ratio}`);
  });

  it('refines the grid where the projection bends, and computes cells exactly where it has no answer', () => {
    let calls = 0;
    const curvy = (x: number, y: number): [number, number] => {
      calls++;
      return x < 0 ? [NaN, NaN] : [x / 1000 + Math.sin(y / 2e5) * 40, y / 1000];
    };
    const bounds: [number, number, number, number] = [-100000, 0, 1_000_000 - 100000, 1_000_000];
    const grid = planGrid(bounds, 256, curvy);
    assert.equal(grid.complete, false);
    const plan = fillSamples(grid, new Float64Array(65536), new Float64Array(65536));
    for (let k = 0; k < 65536; k += 97) {
      const i = k % 256;
      const j = Math.floor(k / 256);
      const exact = curvy(bounds[0] + (i + 0.5) * (1_000_000 / 256), bounds[3] - (j + 0.5) * (1_000_000 / 256));
      if (Number.isNaN(exact[0])) assert.ok(Number.isNaN(plan.cols[k]!));
      else assert.ok(Math.abs(plan.cols[k]! - exact[0]) < 0.5 && Math.abs(plan.rows[k]! - exact[1]) < 0.5, `pixel ${i},${j}`);
    }
    assert.ok(calls < 65536 * 2, 'most pixels are interpolated');
  });

  it('bounds the source window by the grid nodes and pads it for the kernel', () => {
    const toSource = (x: number, y: number): [number, number] => [x / 2, -y / 2];
    const grid = planGrid([0, -512, 512, 0], 256, toSource);
    const e = gridExtent(grid)!;
    const dense = planSamples([0, -512, 512, 0], 256, toSource);
    const d = coordExtent(dense.cols, dense.rows, 255)!;
    assert.ok(e.minC <= d.minC && e.maxC >= d.maxC && e.minR <= d.minR && e.maxR >= d.maxR);
    assert.deepEqual(levelWindow(e, 1, 1, 100, 100, 1), { x0: 0, y0: 0, width: 100, height: 100 });
    assert.deepEqual(levelWindow(e, 1, 1, 1000, 1000, 2), { x0: 0, y0: 0, width: 259, height: 259 }, 'nodes reach pixel 256 (col 256.5), plus half a pixel and the pad');
    assert.equal(levelWindow({ minC: 2000, maxC: 2100, minR: 0, maxR: 10, spanPx: 255 }, 1, 1, 1000, 1000, 2), null);
  });
});

describe('the level for a zoom (gdalwarp -ovr AUTO)', () => {
  const levels = [{ width: 4096, height: 4096 }, { width: 2048, height: 2048 }, { width: 1024, height: 1024 }, { width: 512, height: 512 }];
  it('picks the coarsest level whose factor is below the ratio, or within 0.1 of it', () => {
    assert.equal(chooseLevel(levels, 0.5), 0);
    assert.equal(chooseLevel(levels, 1.9), 0);
    assert.equal(chooseLevel(levels, 1.95), 1);
    assert.equal(chooseLevel(levels, 2.5), 1);
    assert.equal(chooseLevel(levels, 4), 2);
    assert.equal(chooseLevel(levels, 100), 3);
    assert.equal(chooseLevel(levels, NaN), 0);
    assert.deepEqual(levelScale(levels, 2), [4, 4]);
  });
});

describe('layer extents', () => {
  const level = (w: number): RasterLevel => ({ width: w, height: w, tileWidth: 512, tileHeight: 512, tilesAcross: Math.ceil(w / 512), tilesDown: Math.ceil(w / 512), tiled: true, offsets: [], byteCounts: [], ifdIndex: 0 });
  const [ox, oy] = lonLatToMercator(172.18, -43.66);
  const info = { geo: { crs: { epsg: 3857, proj4: '+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +wktext +no_defs', geographic: false }, transform: [ox, 0.5, 0, oy, 0, -0.5] as [number, number, number, number, number, number], pixelIsPoint: false }, levels: [level(4096), level(2048), level(1024), level(512)] } as unknown as RasterInfo;

  it('minzoom from the coarsest overview, maxzoom from native resolution plus overzoom', () => {
    const e = layerExtent(info);
    assert.equal(e.nativezoom, 19);
    assert.equal(e.maxzoom, 19 + Overzoom);
    assert.equal(e.minzoom, coarsestZoom(4), 'the 512-pixel overview at 4 m');
    assert.ok(e.center[2] >= e.minzoom && e.center[2] <= e.maxzoom);
  });

  it('narrows the bounds to an AOI within the data', () => {
    const e = layerExtent(info, [172.185, -43.67, 172.19, -43.665]);
    assert.deepEqual(e.bounds, [172.185, -43.67, 172.19, -43.665]);
    const whole = layerExtent(info);
    assert.deepEqual(layerExtent(info, [0, 0, 1, 1]).bounds, whole.bounds, 'an AOI off the data leaves the data bounds');
    assert.equal(intersectBounds([0, 0, 1, 1], [2, 2, 3, 3]), null);
  });
});

describe('capture dates and attribution', () => {
  const feature = (date: string, type: string | null, lon: number): CaptureFeature => ({ type: 'Feature', geometry: { type: 'Polygon', coordinates: [[[lon, 0], [lon + 1, 0], [lon + 1, 1], [lon, 1], [lon, 0]]] }, properties: { capture_date: date, mosaic_type: type } });
  it('keeps the footprints of the mosaic type that overlap the bounds', () => {
    const fs = [feature('2024-01-02', 'visual', 0), feature('2024-03-04', null, 0.5), feature('2024-05-06', 'analytic', 0), feature('2025-01-01', 'visual', 10)];
    assert.deepEqual(captureRangeOf(fs, 'visual', [0.2, 0.2, 0.8, 0.8]), { start: '2024-01-02', end: '2024-03-04' });
    assert.equal(captureRangeOf(fs, 'visual', [50, 50, 51, 51]), null);
    assert.deepEqual(itemCaptureRange({ datetime: '2024-02-02T00:00:00Z' }), { start: '2024-02-02T00:00:00Z', end: '2024-02-02T00:00:00Z' });
    assert.equal(attributionOf({ start: '2024-01-02', end: '2024-03-04T10:00:00Z' }), 'geopera · imagery captured 2024-01-02 – 2024-03-04');
    assert.equal(attributionOf(null), 'geopera');
  });
});
