/** Bad input, each with its code, as RFC 9457 problem details (CONTRACT "HTTP: operations"). */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../support/harness.js';

describe('bad input', () => {
  let t: TestServer;
  before(async () => { t = await startTestServer(); });
  after(() => t.close());

  it('malformed JSON → 400 invalid_json', async () => {
    const res = await t.op('clip.job.get', '{"job_id": ');
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { code: string }).code, 'invalid_json');
  });

  it('schema errors → 422 invalid_input listing every failing field as {loc, msg, type}', async () => {
    const res = await t.op('clip.create_from_area', { area: 5, mosaic_types: 'visual' });
    assert.equal(res.status, 422);
    const body = (await res.json()) as { code: string; detail: { loc: (string | number)[]; msg: string; type: string }[] };
    assert.equal(body.code, 'invalid_input');
    const locs = body.detail.map((d) => d.loc.join('.')).sort();
    assert.deepEqual(locs, ['body.aoi_geometry', 'body.area', 'body.mosaic_types', 'body.organization_id']);
    for (const d of body.detail) {
      assert.equal(typeof d.msg, 'string');
      assert.equal(typeof d.type, 'string');
    }
    assert.equal(body.detail.find((d) => d.loc.join('.') === 'body.organization_id')?.type, 'missing');
  });

  it('an empty body counts as {} (and so fails required fields with 422, not 400)', async () => {
    const res = await t.op('clip.job.get', '');
    assert.equal(res.status, 422);
    const ok = await t.op('clip.areas.list', '');
    assert.equal(ok.status, 200);
  });

  it('unknown fields are ignored', async () => {
    const res = await t.op('clip.areas.list', { surprise: true, nested: { x: 1 } });
    assert.equal(res.status, 200);
  });

  it('a body over 1 MiB → 413', async () => {
    const res = await t.op('clip.areas.list', JSON.stringify({ pad: 'x'.repeat(1024 * 1024 + 10) }));
    assert.equal(res.status, 413);
    assert.equal(((await res.json()) as { code: string }).code, 'payload_too_large');
  });

  it('unknown operation → 404 unknown_operation on both route forms', async () => {
    for (const p of ['/v1/op/clip.nope', '/v1/clip/nope']) {
      const res = await fetch(`${t.url}${p}`, { method: 'POST', headers: { authorization: `Bearer ${t.key}` } });
      assert.equal(res.status, 404, p);
      assert.equal(((await res.json()) as { code: string }).code, 'unknown_operation');
    }
  });

  it('a GET on an operation path answers a JSON problem, never a redirect', async () => {
    const res = await fetch(`${t.url}/v1/op/clip.job.get`, { redirect: 'manual' });
    assert.ok(res.status >= 400 && res.status < 500);
    assert.match(res.headers.get('content-type') ?? '', /json/);
    assert.equal(typeof ((await res.json()) as { code: string }).code, 'string');
  });

  it('another org\'s organization_id answers 404, exactly as a missing one', async () => {
    const other = await t.op('clip.jobs.list', { organization_id: 'someone-else' });
    const missing = await t.op('clip.jobs.list', { organization_id: 'does-not-exist' });
    await t.makeKey('someone-else');
    const other2 = await t.op('clip.jobs.list', { organization_id: 'someone-else' });
    assert.equal(other.status, 404);
    assert.equal(missing.status, 404);
    assert.equal(other2.status, 404);
    const [a, b] = [(await other2.json()) as Record<string, unknown>, (await missing.json()) as Record<string, unknown>];
    assert.equal(a.code, b.code);
    assert.equal(String(a.detail).replace('someone-else', 'X'), String(b.detail).replace('does-not-exist', 'X'));
  });

  it('every error carries the request id in the body and the X-Request-Id header', async () => {
    const res = await t.op('clip.job.get', {}, { headers: { 'x-request-id': 'req-123' } });
    assert.equal(res.headers.get('x-request-id'), 'req-123');
    assert.equal(((await res.json()) as { request_id: string }).request_id, 'req-123');
  });
});

describe('rate limits', () => {
  let t: TestServer;
  before(async () => { t = await startTestServer({ env: { GEOPERA_RATE_ORG: '3', GEOPERA_RATE_ANON: '2' } }); });
  after(() => t.close());

  it('answers 429 with Retry-After past the per-org limit', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await t.op('clip.areas.list', {})).status);
    assert.deepEqual(statuses, [200, 200, 200, 429]);
    const res = await t.op('clip.areas.list', {});
    assert.ok(Number(res.headers.get('retry-after')) >= 1);
    assert.equal(((await res.json()) as { code: string }).code, 'rate_limited');
  });

  it('limits callers without credentials per IP', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await t.op('clip.areas.list', {}, { key: null })).status);
    assert.deepEqual(statuses, [401, 401, 429]);
  });
});
