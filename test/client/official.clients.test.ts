/**
 * What the official clients send, for every operation, and whether they can parse the answer — the
 * facts behind the README's "official clients" table. The Python SDK and CLI (httpx) send `Accept: *\/*`;
 * the TypeScript SDK sends `Accept: application/json`. Every answer is one JSON document except
 * `clip.job.download` without `Accept: application/json`, which is the file's bytes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { OperationList } from '../../src/operations/registry.js';
import { startClientWorld, worldSkip, type ClientWorld } from './client.world.js';

interface Flavour { name: string; headers: (key: string) => Record<string, string> }

const Flavours: Flavour[] = [
  { name: 'Python SDK (geopera, httpx)', headers: (key) => ({ authorization: `Bearer ${key}`, 'content-type': 'application/json', accept: '*/*', 'accept-encoding': 'gzip, deflate', 'user-agent': 'python-httpx/0.28.1' }) },
  { name: 'TypeScript SDK (@geopera/sdk)', headers: (key) => ({ authorization: `Bearer ${key}`, 'content-type': 'application/json', accept: 'application/json' }) },
  { name: 'CLI (geopera-cli, API-key profile)', headers: (key) => ({ 'X-API-Key': key, 'content-type': 'application/json', accept: '*/*', 'user-agent': 'python-httpx/0.28.1' }) },
];

describe('official clients against every operation', { skip: worldSkip }, () => {
  let w: ClientWorld;
  let jobId: string;
  const bodies = (): Record<string, unknown> => ({
    'clip.areas.list': {},
    'clip.area.mosaics': { area: w.area },
    'clip.area.metadata': { area: w.area },
    'clip.create_from_area': { area: w.area, mosaic_types: [w.mosaicTypes[0]], aoi_geometry: w.aoi, organization_id: w.orgId },
    'clip.create_from_item': { source_item_id: w.itemId, aoi_geometry: w.aoi },
    'clip.job.get': { job_id: jobId },
    'clip.jobs.list': { organization_id: w.orgId },
    'clip.job.downloads': { job_id: jobId },
    'clip.job.download': { job_id: jobId, mosaic_type: w.mosaicTypes[0] },
    'clip.job.tile_info': { job_id: jobId },
    'clip.job.delete': { job_id: 'job_does_not_exist' },
    // A geopera extension: the official SDKs reach it through their generic invoke.
    'clip.quote_from_area': { area: w.area, mosaic_types: [w.mosaicTypes[0]], aoi_geometry: w.aoi, organization_id: w.orgId },
  });

  before(async () => {
    w = await startClientWorld();
    const res = await w.t.op('clip.create_from_area', { area: w.area, mosaic_types: [w.mosaicTypes[0]], aoi_geometry: w.aoi, organization_id: w.orgId });
    jobId = ((await res.json()) as { job: { id: string } }).job.id;
    for (;;) {
      const job = (await (await w.t.op('clip.job.get', { job_id: jobId })).json()) as { status: string };
      if (job.status !== 'queued' && job.status !== 'running') break;
      await new Promise((r) => setTimeout(r, 100));
    }
  });
  after(() => w?.t.close());

  for (const flavour of Flavours) {
    it(`${flavour.name}: one parsable JSON answer per operation (the download: bytes unless Accept asks for JSON)`, async () => {
      const table = bodies();
      assert.deepEqual(Object.keys(table).sort(), OperationList.map((o) => o.id).sort());
      for (const op of OperationList) {
        const res = await fetch(`${w.t.url}/v1/op/${op.id}`, { method: 'POST', headers: flavour.headers(w.t.key), body: JSON.stringify(table[op.id]) });
        const text = await res.text();
        if (op.id === 'clip.job.delete') {
          assert.equal(res.status, 404, 'a problem the SDKs parse');
          assert.equal((JSON.parse(text) as { title: string }).title, 'Not Found');
          continue;
        }
        assert.equal(res.status, 200, `${op.id}: ${text.slice(0, 200)}`);
        const wantsJson = flavour.headers('k').accept === 'application/json';
        if (op.id === 'clip.job.download' && !wantsJson) {
          assert.match(res.headers.get('content-type') ?? '', /^image\/tiff/);
          assert.throws(() => JSON.parse(text) as unknown, 'the file itself: what the README tells these clients to avoid');
          continue;
        }
        assert.match(res.headers.get('content-type') ?? '', /^application\/json/, op.id);
        assert.doesNotThrow(() => JSON.parse(text) as unknown, op.id);
      }
    });
  }

  it('the documented workaround for the Python SDK and CLI: Accept: application/json gets the download descriptor', async () => {
    const res = await fetch(`${w.t.url}/v1/op/clip.job.download`, {
      method: 'POST', headers: { ...Flavours[0]!.headers(w.t.key), accept: 'application/json' }, body: JSON.stringify({ job_id: jobId, mosaic_type: w.mosaicTypes[0] }),
    });
    const desc = (await res.json()) as { url: string; sha256: string };
    const file = await fetch(desc.url);
    assert.equal(file.status, 200, 'the signed link needs no headers');
    assert.match(file.headers.get('etag') ?? '', new RegExp(desc.sha256));
  });
});
