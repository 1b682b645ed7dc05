/**
 * STAC for every result: a completed job's Item (by its signed `stac_url`, or Bearer) and the org's jobs as an
 * ItemCollection, validated by `stac-node-validator` against the STAC 1.0.0 Item schema and the projection
 * 1.1.0, raster 1.1.0, file 2.1.0 and web-map-links 1.2.0 extension schemas kept in test/fixtures/stac-schemas
 * (nothing downloaded: the loader refuses URLs); every field checked against the downloaded files as GDAL reads
 * them; and GDAL's STACIT driver opening the ItemCollection and reading the assets through their signed hrefs.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import validate from 'stac-node-validator';
import { gdalValidStatistics, repoRoot, skipUnlessGdal } from '../support/gdal.js';
import { startTestServer, type TestServer } from '../support/harness.js';
import { completedJob, localPart } from '../security/security.world.js';

const exec = promisify(execFile);
const schemas = path.join(repoRoot, 'test/fixtures/stac-schemas');
const ext = (name: string, v: string): [string, string] => [`https://stac-extensions.github.io/${name}/${v}/schema.json`, path.join(schemas, 'extensions', name, v, 'schema.json')];

/** stac-node-validator, offline: core schemas from the fixtures, extensions mapped one by one, GeoJSON from the npm package; any URL left is an error. */
const offline = {
  schemas: path.join(schemas, 'stac-spec/v1.0.0'),
  schemaMap: Object.fromEntries([
    ext('projection', 'v1.1.0'), ext('raster', 'v1.1.0'), ext('file', 'v2.1.0'), ext('web-map-links', 'v1.2.0'),
    ['https://proj.org/schemas/v0.5/projjson.schema.json', path.join(schemas, 'proj/v0.5/projjson.schema.json')],
    ['https://geojson.org/schema/', `${path.join(repoRoot, 'node_modules/geojson-schema')}/`],
  ]),
  loader: async (uri: string) => {
    if (/^[a-z]+:\/\//i.test(uri)) throw new Error(`refused to download ${uri}`);
    return JSON.parse(readFileSync(uri, 'utf8')) as unknown;
  },
};

/** Per-band statistics of the valid pixels (GDAL's mask band) of a file, by GDAL's Python bindings and numpy. */
async function check(doc: unknown): Promise<{ valid: boolean; errors: string }> {
  const report = (await validate(doc, offline)) as { valid: boolean; results: unknown; children: unknown[]; messages: unknown[] };
  return { valid: report.valid, errors: JSON.stringify({ results: report.results, children: report.children, messages: report.messages }).slice(0, 3000) };
}

describe('STAC Items of completed jobs', { timeout: 180_000 }, () => {
  let t: TestServer;
  let job: string;
  let item: any;
  let dir: string;
  const files: Record<string, Buffer> = {};
  before(async () => {
    t = await startTestServer();
    dir = await mkdtemp(path.join(os.tmpdir(), 'geopera-stac-'));
    job = await completedJob(t, t.key, 'acme', { mosaic_types: ['visual', 'analytic'] });
    const resource = (await (await t.op('clip.job.get', { job_id: job })).json()) as { stac_url: string };
    const res = await fetch(resource.stac_url);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/geo+json');
    item = await res.json();
    for (const key of ['visual', 'analytic']) files[key] = Buffer.from(await (await fetch(item.assets[key].href)).arrayBuffer());
    for (const [key, bytes] of Object.entries(files)) await writeFile(path.join(dir, `${key}.tif`), bytes);
  });
  after(async () => {
    await t.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('is a valid STAC 1.0.0 Item with the projection, raster, file and web-map-links extensions (stac-node-validator, offline schemas)', async () => {
    const r = await check(item);
    assert.equal(r.valid, true, r.errors);
    const report = (await validate(item, offline)) as { results: { extensions: Record<string, unknown[]> } };
    assert.deepEqual(Object.keys(report.results.extensions).sort(), [ext('file', 'v2.1.0'), ext('projection', 'v1.1.0'), ext('raster', 'v1.1.0'), ext('web-map-links', 'v1.2.0')].map((e) => e[0]).sort());
    const broken = structuredClone(item);
    broken.assets.visual['file:checksum'] = 'not-a-multihash';
    broken.assets.visual['proj:shape'] = ['tall', 'wide'];
    assert.equal((await check(broken)).valid, false, 'the validator refuses a broken Item');
  });

  it('describes each output as GDAL reads the file its signed href downloads: size, sha256 multihash, EPSG, shape, transform, data type, statistics', { skip: skipUnlessGdal }, async () => {
    assert.equal(item.id, job);
    assert.deepEqual(Object.keys(item.assets).sort(), ['analytic', 'analytic_thumbnail', 'visual', 'visual_thumbnail']);
    for (const key of ['visual', 'analytic']) {
      const a = item.assets[key];
      assert.deepEqual(a.roles, ['data']);
      const bytes = files[key]!;
      assert.equal(a['file:size'], bytes.length);
      assert.equal(a['file:checksum'], `1220${createHash('sha256').update(bytes).digest('hex')}`);
      const file = path.join(dir, `${key}.tif`);
      const info = JSON.parse((await exec('gdalinfo', ['-json', file])).stdout) as any;
      const stats = gdalValidStatistics(file);
      assert.deepEqual(a['proj:shape'], [info.size[1], info.size[0]]);
      const gt = info.geoTransform as number[];
      assert.deepEqual(a['proj:transform'], [gt[1], gt[2], gt[0], gt[4], gt[5], gt[3]]);
      assert.equal(a['proj:epsg'], 3857);
      assert.equal(a['raster:bands'].length, info.bands.length);
      info.bands.forEach((b: any, i: number) => {
        const s = a['raster:bands'][i];
        assert.equal(s.data_type, { Byte: 'uint8', UInt16: 'uint16' }[b.type as string]);
        // The clips are at most 1024 px a side: statistics of every pixel GDAL's mask band calls valid (GDAL 3.6's
        // -stats counts masked pixels too, so the oracle is numpy over GDAL's reads of the band and its mask).
        const o = stats[i]!;
        assert.equal(s.statistics.minimum, o.minimum, `${key} band ${i + 1} min`);
        assert.equal(s.statistics.maximum, o.maximum, `${key} band ${i + 1} max`);
        assert.ok(Math.abs(s.statistics.mean - o.mean) < 1e-6, `${key} band ${i + 1} mean ${s.statistics.mean} vs ${o.mean}`);
        assert.ok(Math.abs(s.statistics.stddev - o.stddev) < 1e-6, `${key} band ${i + 1} stddev ${s.statistics.stddev} vs ${o.stddev}`);
        assert.ok(Math.abs(s.statistics.valid_percent - o.valid_percent) < 0.01, `${key} valid percent ${s.statistics.valid_percent} vs ${o.valid_percent}`);
        assert.ok(o.valid_percent > 0 && o.valid_percent <= 100);
      });
    }
  });

  it('has the AOI within the data as geometry, capture dates as RFC 3339 datetimes, a PNG thumbnail and the tile template as an xyz link', async () => {
    const { aoi_geometry: aoi } = (await (await t.op('clip.job.get', { job_id: job })).json()) as { aoi_geometry: { coordinates: number[][][] } };
    const xs = aoi.coordinates[0]!.map((p) => p[0]!);
    const ys = aoi.coordinates[0]!.map((p) => p[1]!);
    const [w, s, e, n] = item.bbox as number[];
    const eps = 1e-9;
    assert.ok(w! >= Math.min(...xs) - eps && e! <= Math.max(...xs) + eps && s! >= Math.min(...ys) - eps && n! <= Math.max(...ys) + eps, 'within the AOI');
    assert.equal(item.geometry.type, 'Polygon');
    assert.equal(item.properties.datetime, null);
    // The dated footprints of the area's capture_dates.geojson that meet the Item: first day 00:00 to last day 23:59:59 UTC.
    const footprints = (JSON.parse(readFileSync(path.join(repoRoot, 'data/areas/demo-valley/capture_dates.geojson'), 'utf8')) as any).features as any[];
    const meeting = footprints.filter((f) => {
      const pts = (f.geometry.coordinates as number[][][]).flat();
      const [fw, fe, fs, fn] = [Math.min(...pts.map((p) => p[0]!)), Math.max(...pts.map((p) => p[0]!)), Math.min(...pts.map((p) => p[1]!)), Math.max(...pts.map((p) => p[1]!))];
      return fw < e! && fe > w! && fs < n! && fn > s!;
    }).map((f) => f.properties.capture_date as string).sort();
    assert.ok(meeting.length > 0, 'the Item meets dated footprints');
    assert.equal(item.properties.start_datetime, `${meeting[0]}T00:00:00Z`);
    assert.equal(item.properties.end_datetime, `${meeting.at(-1)}T23:59:59Z`);
    const png = Buffer.from(await (await fetch(item.assets.visual_thumbnail.href)).arrayBuffer());
    assert.equal(png.subarray(1, 4).toString(), 'PNG');
    assert.equal(Math.max(png.readUInt32BE(16), png.readUInt32BE(20)), 256, 'longest side 256 px');
    const xyz = item.links.filter((l: any) => l.rel === 'xyz');
    assert.equal(xyz.length, 2);
    const lon = (w! + e!) / 2;
    const lat = (s! + n!) / 2;
    const z = 17;
    const x = Math.floor(((lon + 180) / 360) * 2 ** z);
    const y = Math.floor(((1 - Math.log(Math.tan((lat * Math.PI) / 180) + 1 / Math.cos((lat * Math.PI) / 180)) / Math.PI) / 2) * 2 ** z);
    const tile = await fetch(xyz[0].href.replace('{z}', String(z)).replace('{x}', String(x)).replace('{y}', String(y)));
    assert.equal(tile.status, 200);
    assert.equal(tile.headers.get('content-type'), 'image/png');
  });

  it("answers Bearer requests, lists the org's completed jobs as a valid ItemCollection, and refuses a job not completed (409)", async () => {
    const byKey = await fetch(`${t.url}/v1/stac/jobs/${job}`, { headers: { authorization: `Bearer ${t.key}` } });
    assert.equal(byKey.status, 200);
    assert.equal(((await byKey.json()) as { id: string }).id, job);
    const coll = (await (await fetch(`${t.url}/v1/stac/jobs?limit=10`, { headers: { authorization: `Bearer ${t.key}` } })).json()) as any;
    assert.equal(coll.type, 'FeatureCollection');
    assert.deepEqual(coll.features.map((f: any) => f.id), [job]);
    assert.equal(coll.numberMatched, 1);
    const r = await check(coll);
    assert.equal(r.valid, true, r.errors);
    const queued = (await (await t.op('clip.create_from_area', { area: 'demo-valley', mosaic_types: ['visual'], organization_id: 'acme', aoi_geometry: item.geometry })).json()) as { job: { id: string } };
    const early = await fetch(`${t.url}/v1/stac/jobs/${queued.job.id}`, { headers: { authorization: `Bearer ${t.key}` } });
    assert.ok([409, 200].includes(early.status), 'not completed yet (409), unless it already finished');
    assert.equal((await fetch(`${t.url}${localPart(item.links[0].href).replace(/token=[^&]+/, 'token=forged.x.y.z')}`)).status, 401);
  });

  it("opens in GDAL's STACIT driver (the ItemCollection URL, Bearer by GDAL_HTTP_HEADERS), which reads each asset through its signed href: the same pixels as the download", { skip: skipUnlessGdal }, async () => {
    const url = `${t.url}/v1/stac/jobs?ids=${job}`;
    const headers = ['--config', 'GDAL_HTTP_HEADERS', `Authorization: Bearer ${t.key}`];
    const top = (await exec('gdalinfo', [...headers, `STACIT:"${url}"`])).stdout;
    assert.match(top, /SUBDATASET_\d_NAME=STACIT:".*":asset=visual/);
    assert.match(top, /SUBDATASET_\d_NAME=STACIT:".*":asset=analytic/);
    for (const key of ['visual', 'analytic']) {
      const viaStac = (await exec('gdalinfo', [...headers, '-checksum', `STACIT:"${url}":asset=${key}`], { maxBuffer: 1 << 24 })).stdout;
      const direct = (await exec('gdalinfo', ['-checksum', path.join(dir, `${key}.tif`)])).stdout;
      const sums = (text: string): string[] => [...text.matchAll(/Checksum=(\d+)/g)].map((m) => m[1]!);
      assert.ok(sums(viaStac).length >= 3, viaStac.slice(0, 500));
      assert.deepEqual(sums(viaStac), sums(direct), key);
      assert.match(viaStac, /\/vsicurl\/http:\/\/127\.0\.0\.1:\d+\/v1\/files\//, 'read through the signed download link');
    }
  });
});
