/**
 * Map tiles over HTTP against a real geopera (temp data dir with the sample area, real SQLite, real
 * clip jobs): `clip.job.tile_info`, the tile GETs behind its templates (signed token or Bearer), 204,
 * 304, other orgs, forged and expired tokens, transparency outside the AOI, 16-bit rescale, area tiles.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { lonLatToMercator, tileBounds, tileForLonLat, type TileAddress } from '../../src/tiles/tile.grid.js';
import type { TileRenderer } from '../../src/tiles/tile.service.js';
import { skipUnlessGdal } from '../support/gdal.js';
import { aoiInside, startTestServer, waitForJob, type TestServer } from '../support/harness.js';
import { gdalTile, psnr } from './tile.oracle.js';

type Doc = Record<string, unknown> & { tiles: string[]; bounds: [number, number, number, number]; minzoom: number; maxzoom: number; tile_templates: Record<string, string>; tile_templates_2x: Record<string, string> };

let t: TestServer;
let jobId: string;
let aoi: { type: string; coordinates: [number, number][][] };
let info: Doc & { mosaics: Record<string, Doc> };
/** The server's clock when it answered tile_info (its `Date` header, whole seconds) */
let infoDate: number;

const url = (template: string, a: TileAddress, query = ''): string => template.replace('{z}', String(a.z)).replace('{x}', String(a.x)).replace('{y}', String(a.y)) + query;

async function rgba(body: ArrayBuffer): Promise<{ data: Buffer; width: number; height: number }> {
  const { data, info: i } = await sharp(Buffer.from(body)).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: i.width, height: i.height };
}

/** Ray casting in EPSG:3857 metres (the AOI is small, so its edges are straight there too). */
function inside(ring: [number, number][], p: [number, number]): boolean {
  let c = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) c = !c;
  }
  return c;
}

function distanceToRing(ring: [number, number][], p: [number, number]): number {
  let best = Infinity;
  for (let i = 0; i + 1 < ring.length; i++) {
    const [ax, ay] = ring[i]!;
    const [bx, by] = ring[i + 1]!;
    const l2 = (bx - ax) ** 2 + (by - ay) ** 2;
    const k = Math.max(0, Math.min(1, ((p[0] - ax) * (bx - ax) + (p[1] - ay) * (by - ay)) / l2));
    best = Math.min(best, Math.hypot(p[0] - ax - k * (bx - ax), p[1] - ay - k * (by - ay)));
  }
  return best;
}

describe('map tiles over HTTP', () => {
  before(async () => {
    t = await startTestServer();
    const areas = (await (await t.op('clip.areas.list', {})).json()) as { items: { id: string; bounds: [number, number, number, number] }[] };
    const demo = areas.items.find((a) => a.id === 'demo-valley')!;
    aoi = aoiInside(demo.bounds, 0.5) as typeof aoi;
    const res = await t.op('clip.create_from_area', { area: 'demo-valley', mosaic_types: ['visual', 'analytic'], aoi_geometry: aoi, organization_id: 'acme', aoi_name: 'tiles test' });
    assert.equal(res.status, 200, await res.clone().text());
    jobId = ((await res.json()) as { job: { id: string } }).job.id;
    const done = await waitForJob(t, jobId);
    assert.equal(done.status, 'completed', JSON.stringify(done));
    const ti = await t.op('clip.job.tile_info', { job_id: jobId });
    assert.equal(ti.status, 200, await ti.clone().text());
    infoDate = Date.parse(ti.headers.get('date')!);
    info = (await ti.json()) as typeof info;
  });
  after(() => t?.close());

  describe('clip.job.tile_info', () => {
    it('answers a TileJSON 3.0.0 document with absolute, signed {z}/{x}/{y} templates', () => {
      assert.equal(info.tilejson, '3.0.0');
      assert.equal(info.mosaic_type, 'visual', 'the first mosaic type the job asked for');
      assert.equal(info.tiles.length, 1);
      const template = info.tiles[0]!;
      assert.ok(template.startsWith(`${t.url}/v1/tiles/jobs/${jobId}/`), template);
      assert.match(template, /\/\{z\}\/\{x\}\/\{y\}\.png\?token=[\w.-]+$/);
      assert.match(info.tile_templates_2x.webp!, /\{y\}@2x\.webp\?token=/);
      assert.deepEqual(info.formats, ['png', 'webp', 'jpg']);
      assert.equal(info.tile_size, 256);
      assert.equal(typeof info.name, 'string');
      const life = Date.parse(info.token_expires_at as string) - infoDate;
      assert.ok(life > 12 * 3600 * 1000 - 2000 && life <= 12 * 3600 * 1000 + 1000, `a token lasts 12 h by default, not ${life} ms`);
    });

    it('gives every output under `mosaics`, each with the source description and render defaults', () => {
      assert.deepEqual(Object.keys(info.mosaics).sort(), ['analytic', 'visual']);
      const analytic = info.mosaics.analytic!;
      const src = analytic.source as { data_type: string; bands: number; crs: string; overview_levels: unknown[]; mask: boolean };
      assert.equal(src.data_type, 'uint16');
      assert.equal(src.bands, 4);
      assert.equal(src.crs, 'EPSG:3857');
      assert.ok(src.overview_levels.length >= 1);
      const render = analytic.render as { rescale: [number, number][]; bidx: number[] };
      assert.deepEqual(render.bidx, [1, 2, 3]);
      assert.ok(render.rescale.length === 3 && render.rescale.every(([lo, hi]) => lo < hi && hi <= 65535), JSON.stringify(render.rescale));
      const visual = info.mosaics.visual!;
      assert.equal((visual.render as { rescale?: unknown }).rescale, undefined, '8-bit RGB needs no rescale');
      assert.equal((visual.source as { mask: boolean }).mask, true);
    });

    it('bounds are the AOI within the data; zooms from the coarsest overview to native resolution plus overzoom', () => {
      const ring = aoi.coordinates[0]!;
      const lons = ring.map((p) => p[0]);
      const lats = ring.map((p) => p[1]);
      const [w, s, e, n] = info.bounds;
      assert.ok(Math.abs(w - Math.min(...lons)) < 1e-6 && Math.abs(e - Math.max(...lons)) < 1e-6, `${info.bounds} vs AOI`);
      assert.ok(Math.abs(s - Math.min(...lats)) < 1e-6 && Math.abs(n - Math.max(...lats)) < 1e-6);
      assert.ok(info.minzoom < info.maxzoom);
      const src = info.source as { native_zoom: number };
      assert.equal(info.maxzoom, src.native_zoom + 2);
      const c = info.center as [number, number, number];
      assert.ok(c[0] > w && c[0] < e && c[1] > s && c[1] < n && c[2] >= info.minzoom && c[2] <= info.maxzoom);
    });

    it('attribution carries the capture-date range of the area', () => {
      assert.match(info.attribution as string, /captured 20\d\d-\d\d-\d\d/);
      assert.ok((info.capture_date_range as { start: string } | null)?.start);
    });

    it('answers only the asked mosaic type; 404 for one the job lacks', async () => {
      const one = (await (await t.op('clip.job.tile_info', { job_id: jobId, mosaic_type: 'analytic' })).json()) as Doc & { mosaics: Record<string, unknown> };
      assert.equal(one.mosaic_type, 'analytic');
      assert.deepEqual(Object.keys(one.mosaics), ['analytic']);
      const res = await t.op('clip.job.tile_info', { job_id: jobId, mosaic_type: 'nope' });
      assert.equal(res.status, 404);
      assert.equal(((await res.json()) as { code: string }).code, 'output_not_found');
    });

    it('answers 409 job_not_ready before the job completes, 404 for another org', async () => {
      const storage = t.runtime.services.storage;
      await storage.jobs.create({ job: { id: 'job_queued_tiles', org_id: 'acme', key_id: null, kind: 'area', area: 'demo-valley', source_item_id: null, outputs_requested: '["visual"]', aoi: JSON.stringify(aoi), aoi_name: null, project_id: null, output_name: null, cost_km2: 0 }, checkHold: () => {} });
      const res = await t.op('clip.job.tile_info', { job_id: 'job_queued_tiles' });
      assert.equal(res.status, 409);
      assert.equal(((await res.json()) as { code: string }).code, 'job_not_ready');
      const other = await t.makeKey('globex', ['clip:read']);
      const res2 = await t.op('clip.job.tile_info', { job_id: jobId }, { key: other });
      assert.equal(res2.status, 404);
    });

    it('uses GEOPERA_PUBLIC_URL for absolute links when set', async () => {
      const t2 = await startTestServer({ env: { GEOPERA_PUBLIC_URL: 'https://maps.example.org/geo' } });
      try {
        const areas = (await (await t2.op('clip.areas.list', {})).json()) as { items: { bounds: [number, number, number, number] }[] };
        const res = await t2.op('clip.create_from_area', { area: 'demo-valley', mosaic_types: ['visual'], aoi_geometry: aoiInside(areas.items[0]!.bounds, 0.1), organization_id: 'acme' });
        const id = ((await res.json()) as { job: { id: string } }).job.id;
        await waitForJob(t2, id);
        const doc = (await (await t2.op('clip.job.tile_info', { job_id: id })).json()) as Doc;
        assert.ok(doc.tiles[0]!.startsWith(`https://maps.example.org/geo/v1/tiles/jobs/${id}/visual/{z}/{x}/{y}.png?token=`), doc.tiles[0]);
      } finally {
        await t2.close();
      }
    });
  });

  describe('tile GETs', () => {
    const centreTile = (z: number): TileAddress => tileForLonLat((info.bounds[0] + info.bounds[2]) / 2, (info.bounds[1] + info.bounds[3]) / 2, z);

    it('serves a PNG from the template with no headers at all, with ETag and Cache-Control', async () => {
      const res = await fetch(url(info.tiles[0]!, centreTile(info.maxzoom - 2)));
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'image/png');
      assert.match(res.headers.get('etag') ?? '', /^"[\w-]+"$/);
      assert.match(res.headers.get('cache-control') ?? '', /max-age=\d+/);
      assert.equal(res.headers.get('access-control-allow-origin'), '*');
      const img = await rgba(await res.arrayBuffer());
      assert.equal(img.width, 256);
      assert.equal(img.height, 256);
    });

    it('serves webp, jpg and 512-pixel @2x tiles', async () => {
      const a = centreTile(info.maxzoom - 2);
      const webp = await fetch(url(info.tile_templates.webp!, a));
      assert.equal(webp.headers.get('content-type'), 'image/webp');
      const jpg = await fetch(url(info.tile_templates.jpg!, a));
      assert.equal(jpg.headers.get('content-type'), 'image/jpeg');
      const x2 = await rgba(await (await fetch(url(info.tile_templates_2x.png!, a))).arrayBuffer());
      assert.equal(x2.width, 512);
    });

    it('answers 304 to If-None-Match with the tile ETag', async () => {
      const u = url(info.tiles[0]!, centreTile(info.maxzoom - 1));
      const first = await fetch(u);
      const etag = first.headers.get('etag')!;
      await first.arrayBuffer();
      const again = await fetch(u, { headers: { 'if-none-match': etag } });
      assert.equal(again.status, 304);
      assert.equal(again.headers.get('etag'), etag);
      const other = await fetch(url(info.tile_templates.webp!, centreTile(info.maxzoom - 1)), { headers: { 'if-none-match': etag } });
      assert.equal(other.status, 200, 'another format has another ETag');
      await other.arrayBuffer();
    });

    it('says where a tile\'s time went in Server-Timing: the render\'s stages, then a cache hit', async () => {
      const u = url(info.tiles[0]!, centreTile(info.maxzoom - 3));
      const first = await fetch(u);
      await first.arrayBuffer();
      const stages = (first.headers.get('server-timing') ?? '').split(', ').map((p) => p.split(';dur='));
      assert.deepEqual(stages.map(([name]) => name), ['queue', 'read', 'draw', 'encode'], first.headers.get('server-timing') ?? 'no Server-Timing');
      for (const [name, dur] of stages) assert.ok(Number(dur) >= 0 && Number.isFinite(Number(dur)), `${name}: ${dur}`);
      const again = await fetch(u);
      await again.arrayBuffer();
      assert.equal(again.headers.get('server-timing'), 'cache;desc=hit');
      // A map page on another origin reads the stages through the Resource Timing API.
      assert.equal(again.headers.get('timing-allow-origin'), '*');
      assert.match(again.headers.get('access-control-expose-headers') ?? '', /Server-Timing/);
    });

    it('answers 204 below minzoom and outside the bounds', async () => {
      const below = await fetch(url(info.tiles[0]!, centreTile(info.minzoom - 1)));
      assert.equal(below.status, 204);
      const c = centreTile(info.maxzoom);
      const away = await fetch(url(info.tiles[0]!, { z: c.z, x: c.x + 500, y: c.y }));
      assert.equal(away.status, 204);
    });

    it('is transparent outside the AOI and opaque inside, on a tile crossing the AOI edge', async () => {
      const z = info.maxzoom - 4;
      const ring = aoi.coordinates[0]!.map(([lon, lat]) => lonLatToMercator(lon, lat));
      // The tile under the middle of the AOI's west edge.
      const [lon0, lat0] = aoi.coordinates[0]![0]!;
      const [lon3, lat3] = aoi.coordinates[0]![3]!;
      const a = tileForLonLat((lon0 + lon3) / 2, (lat0 + lat3) / 2, z);
      const img = await rgba(await (await fetch(url(info.tiles[0]!, a))).arrayBuffer());
      const b = tileBounds(a);
      const res = (b[2] - b[0]) / 256;
      let inCount = 0;
      let outCount = 0;
      for (let j = 0; j < 256; j++) {
        for (let i = 0; i < 256; i++) {
          const p: [number, number] = [b[0] + (i + 0.5) * res, b[3] - (j + 0.5) * res];
          if (distanceToRing(ring, p) < 3 * res) continue;
          const alpha = img.data[(j * 256 + i) * 4 + 3]!;
          if (inside(ring, p)) {
            inCount++;
            assert.equal(alpha, 255, `pixel ${i},${j} inside the AOI`);
          } else {
            outCount++;
            assert.equal(alpha, 0, `pixel ${i},${j} outside the AOI`);
          }
        }
      }
      assert.ok(inCount > 500 && outCount > 500, `in ${inCount}, out ${outCount}`);
    });

    it('draws the job output like gdalwarp does (PSNR >= 35 dB)', { skip: skipUnlessGdal }, async () => {
      const out = (await t.runtime.services.storage.jobs.outputs(jobId)).find((o) => o.output_key === 'visual')!;
      // gdalwarp reads the stored output itself: from the data directory, or from the bucket through /vsis3/.
      const file = t.files.gdalPath(out.rel_path);
      for (const z of [info.maxzoom - 4, info.maxzoom - 2]) {
        const a = centreTile(z);
        const img = await rgba(await (await fetch(url(info.tiles[0]!, a))).arrayBuffer());
        const g = await gdalTile(file, a);
        const p = psnr(new Uint8Array(img.data), g.values, g.bands, g.alpha);
        assert.ok(p.compared > 10000 && p.psnr >= 35, `z${z}: PSNR ${p.psnr.toFixed(1)} over ${p.compared}`);
      }
    });

    it('rescales 16-bit data by its defaults, and by rescale / bidx query parameters', async () => {
      const template = info.mosaics.analytic!.tiles[0]!;
      const a = centreTile(info.maxzoom - 3);
      const byDefault = await rgba(await (await fetch(url(template, a))).arrayBuffer());
      const mean = (img: { data: Buffer }): number => {
        let s = 0;
        let n = 0;
        for (let i = 0; i < img.data.length; i += 4) if (img.data[i + 3] === 255) { s += img.data[i]! + img.data[i + 1]! + img.data[i + 2]!; n += 3; }
        return s / n;
      };
      const m = mean(byDefault);
      assert.ok(m > 40 && m < 215, `a 2-98 % stretch spreads values over the byte range (mean ${m.toFixed(0)})`);
      const dark = await rgba(await (await fetch(url(template, a, '&rescale=0,65535'))).arrayBuffer());
      assert.ok(mean(dark) < m / 2, `rescale=0,65535 is darker (${mean(dark).toFixed(0)} vs ${m.toFixed(0)})`);
      const nir = await fetch(url(template, a, '&bidx=4,3,2'));
      assert.equal(nir.status, 200);
      await nir.arrayBuffer();
      const bad = await fetch(url(template, a, '&bidx=9'));
      assert.equal(bad.status, 422);
      assert.equal(((await bad.json()) as { code: string }).code, 'invalid_input');
      const badRescale = await fetch(url(template, a, '&rescale=5'));
      assert.equal(badRescale.status, 422);
    });
  });

  describe('tile auth', () => {
    const tileUrl = (token?: string): string => {
      const a = tileForLonLat((info.bounds[0] + info.bounds[2]) / 2, (info.bounds[1] + info.bounds[3]) / 2, info.maxzoom - 2);
      const u = url(info.tiles[0]!, a);
      return token === undefined ? u.replace(/\?token=.*$/, '') : u.replace(/token=[^&]*/, `token=${token}`);
    };
    const tokenOf = (): string => /token=([^&]+)/.exec(info.tiles[0]!)![1]!;
    const code = async (res: Response): Promise<string> => ((await res.json()) as { code: string }).code;

    it('rejects a forged token with 401', async () => {
      const tok = tokenOf();
      const forged = tok.slice(0, -2) + (tok.endsWith('AA') ? 'BB' : 'AA');
      const res = await fetch(tileUrl(forged));
      assert.equal(res.status, 401);
      assert.equal(await code(res), 'invalid_signature');
      const otherOrg = tok.replace(/\.[^.]+\.([^.]+)$/, `.${Buffer.from('globex').toString('base64url')}.$1`);
      assert.equal((await fetch(tileUrl(otherOrg))).status, 401);
    });

    it('rejects an expired token with 401 token_expired', async () => {
      const signer = (t.runtime.services.tiles as TileRenderer).signer;
      const keyId = /^\d+\.([^.]+)\./.exec(tokenOf())![1]!;
      const expired = signer.sign({ purpose: 'tile', orgId: 'acme', jobId, subject: '', keyId, exp: Math.floor(Date.now() / 1000) - 5 });
      const res = await fetch(tileUrl(expired));
      assert.equal(res.status, 401);
      assert.equal(await code(res), 'token_expired');
    });

    it('rejects a token for another job and a download link token', async () => {
      const signer = (t.runtime.services.tiles as TileRenderer).signer;
      const keyId = /^\d+\.([^.]+)\./.exec(tokenOf())![1]!;
      const exp = Math.floor(Date.now() / 1000) + 600;
      assert.equal((await fetch(tileUrl(signer.sign({ purpose: 'tile', orgId: 'acme', jobId: 'job_other', subject: '', keyId, exp })))).status, 401);
      assert.equal((await fetch(tileUrl(signer.sign({ purpose: 'dl', orgId: 'acme', jobId, subject: '', keyId, exp })))).status, 401);
    });

    it('accepts Bearer or X-API-Key with clip:read instead of a token; 401 with neither; 403 without the scope', async () => {
      assert.equal((await fetch(tileUrl(), { headers: { authorization: `Bearer ${t.key}` } })).status, 200);
      assert.equal((await fetch(tileUrl(), { headers: { 'x-api-key': t.key } })).status, 200);
      const none = await fetch(tileUrl());
      assert.equal(none.status, 401);
      assert.match(none.headers.get('www-authenticate') ?? '', /Bearer/);
      const writer = await t.makeKey('acme', ['clip:write']);
      const res = await fetch(tileUrl(), { headers: { authorization: `Bearer ${writer}` } });
      assert.equal(res.status, 403);
      assert.equal(await code(res), 'missing_scope');
    });

    it('answers a cross-origin preflight for Bearer and X-API-Key, and the tile itself allows any origin', async () => {
      const origin = { origin: 'http://maps.example' };
      const pre = await fetch(tileUrl(), { method: 'OPTIONS', headers: { ...origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' } });
      assert.equal(pre.status, 204);
      assert.equal(pre.headers.get('access-control-allow-origin'), '*');
      assert.match(pre.headers.get('access-control-allow-methods') ?? '', /\bGET\b/);
      const allowed = (pre.headers.get('access-control-allow-headers') ?? '').toLowerCase();
      for (const h of ['authorization', 'x-api-key', 'if-none-match']) assert.ok(allowed.includes(h), `${h} in ${allowed}`);
      const res = await fetch(tileUrl(), { headers: { ...origin, authorization: `Bearer ${t.key}` } });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('access-control-allow-origin'), '*');
      assert.match(res.headers.get('access-control-expose-headers') ?? '', /ETag/);
    });

    it("answers 404 for another org's job, exactly as for a missing one", async () => {
      const other = await t.makeKey('initech', ['clip:read']);
      const res = await fetch(tileUrl(), { headers: { authorization: `Bearer ${other}` } });
      assert.equal(res.status, 404);
      assert.equal(await code(res), 'job_not_found');
      const missing = await fetch(tileUrl().replace(jobId, 'job_missing'), { headers: { authorization: `Bearer ${t.key}` } });
      assert.equal(missing.status, 404);
      assert.equal(await code(missing), 'job_not_found');
    });

    it('a token dies with the key that minted it', async () => {
      const key = await t.makeKey('acme', ['clip:read']);
      const doc = (await (await t.op('clip.job.tile_info', { job_id: jobId }, { key })).json()) as Doc;
      const a = tileForLonLat((info.bounds[0] + info.bounds[2]) / 2, (info.bounds[1] + info.bounds[3]) / 2, info.maxzoom - 2);
      assert.equal((await fetch(url(doc.tiles[0]!, a))).status, 200);
      const keyId = /^\d+\.([^.]+)\./.exec(/token=([^&]+)/.exec(doc.tiles[0]!)![1]!)![1]!;
      await t.runtime.services.storage.keys.revoke(keyId);
      assert.equal((await fetch(url(doc.tiles[0]!, a))).status, 401);
    });
  });

  describe('area mosaic tiles', () => {
    it('TileJSON of an area mosaic (Bearer clip:read) whose token serves its tiles, and no other', async () => {
      const res = await fetch(`${t.url}/v1/tiles/areas/demo-valley/visual/tilejson.json`, { headers: { authorization: `Bearer ${t.key}` } });
      assert.equal(res.status, 200);
      const doc = (await res.json()) as Doc;
      assert.equal(doc.tilejson, '3.0.0');
      assert.match(doc.tiles[0]!, /\/v1\/tiles\/areas\/demo-valley\/visual\/\{z\}\/\{x\}\/\{y\}\.png\?token=/);
      const a = tileForLonLat((doc.bounds[0] + doc.bounds[2]) / 2, (doc.bounds[1] + doc.bounds[3]) / 2, doc.maxzoom - 3);
      const tile = await fetch(url(doc.tiles[0]!, a));
      assert.equal(tile.status, 200);
      const img = await rgba(await tile.arrayBuffer());
      assert.ok(img.data.some((v, i) => i % 4 === 3 && v === 255));
      // The same token does not open the job's tiles.
      const tok = /token=([^&]+)/.exec(doc.tiles[0]!)![1]!;
      const jobTile = url(info.tiles[0]!, tileForLonLat((info.bounds[0] + info.bounds[2]) / 2, (info.bounds[1] + info.bounds[3]) / 2, info.maxzoom - 2)).replace(/token=[^&]*/, `token=${tok}`);
      assert.equal((await fetch(jobTile)).status, 401);
      assert.equal((await fetch(`${t.url}/v1/tiles/areas/demo-valley/visual/tilejson.json`)).status, 401);
      assert.equal((await fetch(url(doc.tiles[0]!, a).replace(/\?token=.*$/, ''))).status, 401);
      assert.equal((await fetch(`${t.url}/v1/tiles/areas/nowhere/visual/tilejson.json`, { headers: { authorization: `Bearer ${t.key}` } })).status, 404);
    });
  });
});
