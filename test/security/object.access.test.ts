/**
 * SECURITY.md "Object-level authorisation" (OWASP API1, API3): another org's job, files and tiles answer
 * exactly as missing ones (404), on every operation of the registry and every GET route of the app; a
 * body's `organization_id` naming another org is 404 and changes nothing; fields a caller may not set
 * (status, cost, org, id) are ignored.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createApp } from '../../src/http/app.js';
import { OperationList } from '../../src/operations/registry.js';
import { startTestServer, type TestServer } from '../support/harness.js';
import { completedJob, localPart, routesOf } from './security.world.js';

/** How each operation meets another org's objects (a new operation must be placed here). */
const ByOperation: Record<string, 'job' | 'organization' | 'catalog'> = {
  'clip.area.metadata': 'catalog',
  'clip.area.mosaics': 'catalog',
  'clip.areas.list': 'catalog',
  'clip.create_from_area': 'organization',
  'clip.create_from_item': 'organization',
  'clip.job.delete': 'job',
  'clip.job.download': 'job',
  'clip.job.downloads': 'job',
  'clip.job.get': 'job',
  'clip.job.tile_info': 'job',
  'clip.jobs.list': 'organization',
  'clip.quote_from_area': 'organization',
};

/** Every GET route, and who may read it (a new GET route must be placed here). */
const GetRoutes: Record<string, 'public' | 'own credential' | 'job object' | 'shared catalog' | 'operator'> = {
  'GET /openapi.json': 'public',
  'GET /v1/openapi.json': 'public',
  'GET /healthz': 'public',
  // The node's counts and times (no org, key or path): open like /healthz, or only to GEOPERA_METRICS_TOKEN's Bearer.
  'GET /metrics': 'operator',
  'GET /': 'public',
  'GET /assets/:file': 'public',
  'GET /v1/op': 'public',
  'GET /realms/public/protocol/openid-connect/userinfo': 'own credential',
  'GET /v1/files/:job/:output': 'job object',
  'GET /v1/tiles/jobs/:job/:mosaic/:z/:x/:tile': 'job object',
  'GET /v1/tiles/areas/:area/:mosaic/tilejson.json': 'shared catalog',
  'GET /v1/tiles/areas/:area/:mosaic/:z/:x/:tile': 'shared catalog',
};

describe('object-level authorisation', () => {
  let t: TestServer;
  let keyA: string;
  let keyB: string;
  let jobA: string;
  let jobB: string;
  before(async () => {
    t = await startTestServer();
    keyA = await t.makeKey('org-a');
    keyB = await t.makeKey('org-b');
    [jobA, jobB] = await Promise.all([completedJob(t, keyA, 'org-a'), completedJob(t, keyB, 'org-b')]);
  });
  after(() => t.close());

  it('every operation of the registry is classified, and every GET route of the app', () => {
    assert.deepEqual(Object.keys(ByOperation).sort(), OperationList.map((op) => op.id).sort());
    const gets = routesOf(createApp(t.runtime.services, t.runtime.routers)).filter((r) => r.startsWith('GET '));
    assert.deepEqual(gets.sort(), Object.keys(GetRoutes).sort());
  });

  for (const [id, kind] of Object.entries(ByOperation).filter(([, k]) => k === 'job')) {
    it(`${id}: another org's job answers as a missing one (404, same code and detail)`, async () => {
      const body = (job: string) => ({ job_id: job, mosaic_type: 'visual' });
      const other = await t.op(id, body(jobA), { key: keyB });
      const missing = await t.op(id, body('job_doesnotexist0'), { key: keyB });
      assert.equal(other.status, 404, kind);
      assert.equal(missing.status, 404);
      const [a, m] = [(await other.json()) as Record<string, string>, (await missing.json()) as Record<string, string>];
      assert.equal(a.code, 'job_not_found');
      assert.equal(a.code, m.code);
      assert.equal(a.detail!.replace(jobA, 'X'), m.detail!.replace('job_doesnotexist0', 'X'));
    });
  }

  it("clip.jobs.list never shows another org's jobs; a delete by another org changes nothing", async () => {
    const listB = (await (await t.op('clip.jobs.list', { organization_id: 'org-b' }, { key: keyB })).json()) as { items: { id: string }[] };
    assert.deepEqual(listB.items.map((j) => j.id), [jobB]);
    assert.equal((await t.op('clip.job.delete', { job_id: jobA }, { key: keyB })).status, 404);
    const still = (await (await t.op('clip.job.get', { job_id: jobA }, { key: keyA })).json()) as { status: string };
    assert.equal(still.status, 'completed');
  });

  for (const [id, kind] of Object.entries(ByOperation).filter(([, k]) => k === 'organization')) {
    it(`${id}: organization_id naming another org answers 404 organization_not_found and creates nothing`, async () => {
      const before = (await t.runtime.services.storage.ledger.credits('org-a')).length;
      const body = { organization_id: 'org-a', area: 'demo-valley', mosaic_types: ['visual'], source_item_id: 'demo-valley-2025', asset_keys: ['visual'], aoi_geometry: { type: 'Polygon', coordinates: [[[172.185, -43.667], [172.186, -43.667], [172.186, -43.666], [172.185, -43.667]]] } };
      const res = await t.op(id, body, { key: keyB });
      assert.equal(res.status, 404, kind);
      assert.equal(((await res.json()) as { code: string }).code, 'organization_not_found');
      assert.equal((await t.runtime.services.storage.ledger.credits('org-a')).length, before);
      assert.equal((await t.runtime.services.storage.jobs.list('org-a', { limit: 10, offset: 0 })).total, 1);
    });
  }

  it('GET /v1/files: a link signed for one job does not open another org\'s job (401), and no credential header opens it either', async () => {
    const [mine] = ((await (await t.op('clip.job.downloads', { job_id: jobB }, { key: keyB })).json()) as { items: { url: string }[] }).items;
    const forged = localPart(mine!.url).replace(jobB, jobA);
    const res = await fetch(`${t.url}${forged}`);
    assert.equal(res.status, 401);
    assert.equal(((await res.json()) as { code: string }).code, 'invalid_signature');
    const withKey = await fetch(`${t.url}/v1/files/${jobA}/visual`, { headers: { authorization: `Bearer ${keyB}` } });
    assert.equal(withKey.status, 401);
  });

  it("GET /v1/tiles/jobs: another org's job is 404 with a key, 401 with a token of another job", async () => {
    const tile = `/v1/tiles/jobs/${jobA}/visual/15/32000/20000.png`;
    const byKey = await fetch(`${t.url}${tile}`, { headers: { 'x-api-key': keyB } });
    assert.equal(byKey.status, 404);
    assert.equal(((await byKey.json()) as { code: string }).code, 'job_not_found');
    const info = (await (await t.op('clip.job.tile_info', { job_id: jobB }, { key: keyB })).json()) as { tiles: string[] };
    const token = new URL(info.tiles[0]!.replace('{z}/{x}/{y}', '1/1/1')).searchParams.get('token')!;
    const byToken = await fetch(`${t.url}${tile}?token=${token}`);
    assert.equal(byToken.status, 401);
  });

  it('fields a caller may not set are ignored: status, cost, org, id, progress', async () => {
    const res = await t.op('clip.create_from_area', {
      area: 'demo-valley', mosaic_types: ['visual'], organization_id: 'org-b', aoi_geometry: { type: 'Polygon', coordinates: [[[172.185, -43.667], [172.186, -43.667], [172.186, -43.666], [172.185, -43.667]]] },
      status: 'completed', cost_km2: 0, org_id: 'org-a', id: 'job_chosen', progress: 1, key_id: 'key_x',
    }, { key: keyB });
    const { job } = (await res.json()) as { job: Record<string, unknown> };
    assert.equal(job.organization_id, 'org-b');
    assert.notEqual(job.id, 'job_chosen');
    assert.notEqual(job.status, 'completed');
    assert.ok((job.cost_km2 as number) > 0);
    assert.equal(job.progress, 0);
    assert.equal('key_id' in job, false);
  });
});
