/**
 * Idempotency-Key on the spend operations (IETF draft / Stripe behaviour): replay byte for byte with
 * Idempotent-Replayed, 409 for another body, 409 in flight, 400 for a long key, nothing stored on
 * failure, and never two jobs or two holds for one key.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { aoiInside, startTestServer, type TestServer } from '../support/harness.js';

const demoBbox: [number, number, number, number] = [172.1799827, -43.6733194, 172.1983802, -43.6600112];
const body = { area: 'demo-valley', mosaic_types: ['visual'], aoi_geometry: aoiInside(demoBbox, 0.1), organization_id: 'acme' };

describe('Idempotency-Key', () => {
  let t: TestServer;
  before(async () => { t = await startTestServer(); });
  after(() => t.close());
  const jobsOf = async (org: string): Promise<number> => (await t.runtime.services.storage.jobs.list(org, { limit: 1, offset: 0 })).total;
  const holdsOf = async (org: string): Promise<number> => (await t.runtime.services.storage.ledger.credits(org)).filter((r) => r.kind === 'hold').length;

  it('replays the first response byte for byte with Idempotent-Replayed: true', async () => {
    const first = await t.op('clip.create_from_area', body, { headers: { 'idempotency-key': 'k-1' } });
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('idempotent-replayed'), null);
    const firstText = await first.text();
    // Key order does not change the fingerprint.
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    const again = await t.op('clip.create_from_area', reordered, { headers: { 'idempotency-key': 'k-1' } });
    assert.equal(again.status, 200);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.equal(await again.text(), firstText);
    assert.equal(await jobsOf('acme'), 1);
    assert.equal(await holdsOf('acme'), 1);
  });

  it('answers 409 idempotency_key_reused for the same key with another body', async () => {
    const res = await t.op('clip.create_from_area', { ...body, aoi_name: 'other' }, { headers: { 'idempotency-key': 'k-1' } });
    assert.equal(res.status, 409);
    assert.equal(((await res.json()) as { code: string }).code, 'idempotency_key_reused');
    assert.equal(await jobsOf('acme'), 1);
  });

  it('scopes keys to the org: another org may use the same key', async () => {
    const other = await t.makeKey('globex');
    const res = await t.op('clip.create_from_area', { ...body, organization_id: 'globex' }, { key: other, headers: { 'idempotency-key': 'k-1' } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('idempotent-replayed'), null);
  });

  it('answers 400 for a key longer than 255 characters', async () => {
    const res = await t.op('clip.create_from_area', body, { headers: { 'idempotency-key': 'x'.repeat(256) } });
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { code: string }).code, 'idempotency_key_invalid');
  });

  it('stores nothing for a request that fails validation, auth or a domain rule', async () => {
    const bad = await t.op('clip.create_from_area', { ...body, mosaic_types: 'visual' }, { headers: { 'idempotency-key': 'k-bad' } });
    assert.equal(bad.status, 422);
    const outside = await t.op('clip.create_from_area', { ...body, aoi_geometry: aoiInside([10, 10, 11, 11]) }, { headers: { 'idempotency-key': 'k-bad' } });
    assert.equal(outside.status, 422);
    const unauth = await t.op('clip.create_from_area', body, { key: null, headers: { 'idempotency-key': 'k-bad' } });
    assert.equal(unauth.status, 401);
    const ok = await t.op('clip.create_from_area', body, { headers: { 'idempotency-key': 'k-bad' } });
    assert.equal(ok.status, 200, 'the key is still free after failures');
    assert.equal(ok.headers.get('idempotent-replayed'), null);
  });

  it('answers 409 idempotency_key_in_flight with Retry-After while the first is still being handled', async () => {
    const storage = t.runtime.services.storage;
    // A reservation another request holds right now.
    const { fingerprint, InFlightStaleMs } = await import('../../src/http/idempotency.js');
    assert.ok(await storage.idempotency.reserve({ org_id: 'acme', key: 'k-busy', operation: 'clip.create_from_area', fingerprint: fingerprint('clip.create_from_area', body) }, 60_000, InFlightStaleMs));
    const res = await t.op('clip.create_from_area', body, { headers: { 'idempotency-key': 'k-busy' } });
    assert.equal(res.status, 409);
    assert.equal(((await res.json()) as { code: string }).code, 'idempotency_key_in_flight');
    assert.ok(Number(res.headers.get('retry-after')) >= 1);
  });

  it('makes one job and one hold for concurrent requests with one key', async () => {
    const before = await jobsOf('acme');
    const holds = await holdsOf('acme');
    const results = await Promise.all(Array.from({ length: 6 }, () => t.op('clip.create_from_area', body, { headers: { 'idempotency-key': 'k-race' } })));
    const statuses = results.map((r) => r.status);
    assert.ok(statuses.every((s) => s === 200 || s === 409), statuses.join(','));
    const ids = new Set<string>();
    for (const r of results) {
      const b = (await r.json()) as { job?: { id: string }; code?: string };
      if (r.status === 200) ids.add(b.job!.id);
      else assert.equal(b.code, 'idempotency_key_in_flight');
    }
    assert.equal(ids.size, 1, 'every success names the same job');
    assert.equal(await jobsOf('acme'), before + 1);
    assert.equal(await holdsOf('acme'), holds + 1);
  });

  it('applies to clip.create_from_item as well', async () => {
    const b = { source_item_id: 'demo-valley-2025', asset_keys: ['visual'], aoi_geometry: aoiInside(demoBbox, 0.1) };
    const a = await t.op('clip.create_from_item', b, { headers: { 'idempotency-key': 'item-1' } });
    const r = await t.op('clip.create_from_item', b, { headers: { 'idempotency-key': 'item-1' } });
    assert.equal(r.headers.get('idempotent-replayed'), 'true');
    assert.equal(await r.text(), await a.text());
  });
});
