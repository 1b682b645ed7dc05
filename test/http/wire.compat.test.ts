/**
 * What the official clients send, replayed byte for byte in spirit: `Accept: application/json` or `*\/*`,
 * `Content-Type: application/json` with an empty body, `X-API-Key` alone, Bearer alone; and the shapes
 * they parse: 200 JSON on success, `title`/`status`/`detail` on 401/403/404, `{loc,msg,type}` on 422.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { hashSecret } from '../../src/auth/api.key.js';
import { OperationList, resourcePath } from '../../src/operations/registry.js';
import { startTestServer, type TestServer } from '../support/harness.js';

describe('wire compatibility with the official clients', () => {
  let t: TestServer;
  before(async () => { t = await startTestServer(); });
  after(() => t.close());

  const post = (p: string, headers: Record<string, string>, body = ''): Promise<Response> => fetch(`${t.url}${p}`, { method: 'POST', headers, body });

  it('Python SDK: X-API-Key alone, Accept application/json, JSON body → 200 JSON', async () => {
    const res = await post('/v1/op/clip.areas.list', { 'x-api-key': t.key, accept: 'application/json', 'content-type': 'application/json', 'user-agent': 'geopera-python/2.0.0' }, '{}');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    const body = (await res.json()) as { items: unknown[] };
    assert.ok(Array.isArray(body.items));
  });

  it('TypeScript SDK: Bearer alone, Accept */*, Content-Type JSON with an empty body → 200', async () => {
    const res = await post('/v1/op/clip.areas.list', { authorization: `Bearer ${t.key}`, accept: '*/*', 'content-type': 'application/json' });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  });

  it('header names in any case (X-Api-Key as the SDK spells it)', async () => {
    const res = await post('/v1/op/clip.areas.list', { 'X-Api-Key': t.key });
    assert.equal(res.status, 200);
  });

  it('CLI: a session token from the token endpoint works as Bearer; userinfo answers the principal', async () => {
    const tok = await fetch(`${t.url}/realms/public/protocol/openid-connect/token`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'geopera', client_secret: t.key }),
    });
    assert.equal(tok.status, 200);
    const pair = (await tok.json()) as Record<string, unknown>;
    assert.equal(pair.token_type, 'Bearer');
    assert.equal(pair.expires_in, 300);
    assert.equal(pair.refresh_expires_in, 1800);
    assert.equal(typeof pair.refresh_token, 'string');
    const info = await fetch(`${t.url}/realms/public/protocol/openid-connect/userinfo`, { headers: { authorization: `Bearer ${String(pair.access_token)}` } });
    const who = (await info.json()) as Record<string, unknown>;
    assert.equal(who.geopera_org_id, 'acme');
    assert.equal(who.geopera_principal_type, 'api_key');
    assert.ok(String(who.scope).includes('clip:read'));
    const viaKey = await fetch(`${t.url}/realms/public/protocol/openid-connect/userinfo`, { headers: { 'x-api-key': t.key } });
    assert.equal(viaKey.status, 200);

    const refreshed = await fetch(`${t.url}/realms/public/protocol/openid-connect/token`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: String(pair.refresh_token), client_id: 'geopera' }),
    });
    assert.equal(refreshed.status, 200);
    const again = await fetch(`${t.url}/realms/public/protocol/openid-connect/token`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: String(pair.refresh_token) }),
    });
    assert.equal(again.status, 401, 'a refresh token is single-use');

    const newPair = (await refreshed.json()) as { access_token: string };
    await fetch(`${t.url}/realms/public/protocol/openid-connect/revoke`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: newPair.access_token }) });
    const dead = await post('/v1/op/clip.areas.list', { authorization: `Bearer ${newPair.access_token}` });
    assert.equal(dead.status, 401);
  });

  it('a session token dies with its key and may be narrower in scope', async () => {
    const key = await t.makeKey('acme');
    const tok = await fetch(`${t.url}/realms/public/protocol/openid-connect/token`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'geopera', client_secret: key, scope: 'clip:read' }),
    });
    const { access_token, scope } = (await tok.json()) as { access_token: string; scope: string };
    assert.equal(scope, 'clip:read');
    const denied = await post('/v1/op/clip.job.delete', { authorization: `Bearer ${access_token}` }, '{"job_id":"x"}');
    assert.equal(denied.status, 403);
    const storage = t.runtime.services.storage;
    await storage.keys.revoke((await storage.keys.byHash(hashSecret(key)))!.id);
    const res = await post('/v1/op/clip.areas.list', { authorization: `Bearer ${access_token}` });
    assert.equal(res.status, 401);
  });

  it('401/403/404 bodies carry title, status and detail (the SDK error model)', async () => {
    const cases: [Response, number][] = [
      [await post('/v1/op/clip.areas.list', {}), 401],
      [await post('/v1/op/clip.job.delete', { 'x-api-key': await t.makeKey('acme', ['clip:read']) }, '{"job_id":"j"}'), 403],
      [await post('/v1/op/clip.job.get', { 'x-api-key': t.key }, '{"job_id":"job_missing"}'), 404],
    ];
    for (const [res, status] of cases) {
      assert.equal(res.status, status);
      assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
      const body = (await res.json()) as Record<string, unknown>;
      assert.equal(body.status, status);
      assert.equal(typeof body.title, 'string');
      assert.equal(typeof body.detail, 'string');
    }
  });

  it('every read operation gives the same answer through both routes', async () => {
    const bodies: Record<string, unknown> = {
      'clip.areas.list': {}, 'clip.area.mosaics': { area: 'demo-valley' }, 'clip.area.metadata': { area: 'demo-valley' },
      'clip.jobs.list': { organization_id: 'acme' }, 'clip.job.get': { job_id: 'job_nope' }, 'clip.job.downloads': { job_id: 'job_nope' },
      'clip.job.download': { job_id: 'job_nope', mosaic_type: 'visual' }, 'clip.job.tile_info': { job_id: 'job_nope' }, 'clip.job.delete': { job_id: 'job_nope' },
      'clip.create_from_area': { area: 'nowhere', mosaic_types: ['visual'], aoi_geometry: {}, organization_id: 'acme' },
      'clip.create_from_item': { source_item_id: 'nothing', aoi_geometry: {} },
    };
    for (const op of OperationList) {
      const a = await post(`/v1/op/${op.id}`, { 'x-api-key': t.key, 'content-type': 'application/json' }, JSON.stringify(bodies[op.id]));
      const b = await post(resourcePath(op.id), { 'x-api-key': t.key, 'content-type': 'application/json' }, JSON.stringify(bodies[op.id]));
      assert.equal(a.status, b.status, op.id);
      const strip = (x: Record<string, unknown>): Record<string, unknown> => { const { request_id: _r, ...rest } = x; return rest; };
      assert.deepEqual(strip((await a.json()) as Record<string, unknown>), strip((await b.json()) as Record<string, unknown>), op.id);
    }
  });

  it('list operations stream NDJSON when Accept asks for it', async () => {
    const res = await post('/v1/op/clip.area.metadata', { 'x-api-key': t.key, accept: 'application/x-ndjson' }, '{"area":"demo-valley"}');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /application\/x-ndjson/);
    const lines = (await res.text()).trim().split('\n').map((l) => JSON.parse(l) as { type: string; properties: { capture_date: string } });
    assert.ok(lines.length >= 2);
    assert.ok(lines.every((f) => f.type === 'Feature'));
    const dates = lines.map((f) => f.properties.capture_date);
    assert.deepEqual(dates, [...dates].sort());
  });
});
