/**
 * `clip.quote_from_area` (geopera extension): the credits `clip.create_from_area` with the same body holds,
 * to the last bit (one pricing code path), the balance, the limits; it validates as create does and writes nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { aoiInside, startTestServer, type TestServer } from '../support/harness.js';

const demoBbox: [number, number, number, number] = [172.1799827, -43.6733194, 172.1983802, -43.6600112];

interface Quote {
  cost_km2: number;
  outputs: { mosaic_type: string; area_km2: number }[];
  aoi: { vertices: number; polygons: number };
  balance: { available_km2: number | null };
  sufficient: boolean;
  limits: { max_vertices: number; max_body_bytes: number };
}

describe('clip.quote_from_area', () => {
  let t: TestServer;
  let poor: string;
  before(async () => {
    t = await startTestServer();
    poor = await t.makeKey('quoted', undefined, { creditLimitKm2: 0.05 });
  });
  after(() => t.close());

  it('answers exactly the credits the same create then holds, per output, and writes nothing', async () => {
    const body = { area: 'demo-valley', mosaic_types: ['visual', 'analytic'], aoi_geometry: aoiInside(demoBbox, 0.02), organization_id: 'quoted' };
    const ledger = t.runtime.services.storage.ledger;
    const res = await t.op('clip.quote_from_area', body, { key: poor });
    assert.equal(res.status, 200);
    const quote = (await res.json()) as Quote;
    assert.deepEqual(quote.outputs.map((o) => o.mosaic_type), ['visual', 'analytic']);
    assert.ok(Math.abs(quote.cost_km2 - (quote.outputs[0]!.area_km2 + quote.outputs[1]!.area_km2)) < 2e-6);
    assert.equal(quote.balance.available_km2, 0.05);
    assert.equal(quote.sufficient, true);
    assert.deepEqual(quote.aoi, { ...quote.aoi, vertices: 5, polygons: 1 });
    assert.deepEqual(quote.limits, { max_vertices: 10_000, max_body_bytes: 1024 * 1024 });
    assert.equal((await ledger.credits('quoted')).length, 0, 'a quote holds nothing');
    assert.equal((await t.runtime.services.storage.jobs.list('quoted', { status: null, limit: 10, offset: 0 })).total, 0, 'a quote makes no job');

    const created = await t.op('clip.create_from_area', body, { key: poor });
    assert.equal(created.status, 200);
    const { job } = (await created.json()) as { job: { id: string; cost_km2: number } };
    const hold = (await ledger.credits('quoted')).find((r) => r.job_id === job.id && r.kind === 'hold')!;
    assert.equal(job.cost_km2, quote.cost_km2, 'the job costs what the quote said');
    assert.equal(Math.round(hold.amount_km2 * 1e6) / 1e6, quote.cost_km2, 'the hold is the quoted amount');
  });

  it('says when the balance does not cover the order (create would answer 402)', async () => {
    const body = { area: 'demo-valley', mosaic_types: ['visual', 'analytic'], aoi_geometry: aoiInside(demoBbox, 0.9), organization_id: 'quoted' };
    const quote = (await (await t.op('clip.quote_from_area', body, { key: poor })).json()) as Quote;
    assert.equal(quote.sufficient, false);
    assert.ok(quote.cost_km2 > quote.balance.available_km2!);
    assert.equal((await t.op('clip.create_from_area', body, { key: poor })).status, 402);
  });

  it('refuses what create refuses, with the same 422 field issues', async () => {
    const outside = { type: 'Polygon', coordinates: [[[10, 10], [10.01, 10], [10.01, 10.01], [10, 10]]] };
    for (const aoi of [outside, { type: 'Polygon', coordinates: [[[0, 0], [1, 1], [0, 1]]] }]) {
      const body = { area: 'demo-valley', mosaic_types: ['visual'], aoi_geometry: aoi, organization_id: 'acme' };
      const [q, c] = await Promise.all([t.op('clip.quote_from_area', body), t.op('clip.create_from_area', body)]);
      assert.equal(q.status, 422);
      assert.equal(c.status, 422);
      const [qp, cp] = (await Promise.all([q.json(), c.json()])) as { code: string; detail: unknown }[];
      assert.equal(qp!.code, cp!.code);
      assert.deepEqual(qp!.detail, cp!.detail);
    }
    assert.equal((await t.op('clip.quote_from_area', { area: 'nowhere', mosaic_types: ['visual'], aoi_geometry: aoiInside(demoBbox), organization_id: 'acme' })).status, 404);
    assert.equal((await t.op('clip.quote_from_area', { area: 'demo-valley', mosaic_types: ['visual'], aoi_geometry: aoiInside(demoBbox), organization_id: 'other' })).status, 404);
  });

  it('is a read: a clip:read key may quote, and no Idempotency-Key is needed', async () => {
    const reader = await t.makeKey('acme', ['clip:read']);
    const res = await t.op('clip.quote_from_area', { area: 'demo-valley', mosaic_types: ['visual'], aoi_geometry: aoiInside(demoBbox), organization_id: 'acme' }, { key: reader });
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as Quote).balance.available_km2, null, 'acme has no limit');
  });
});

describe('clip.job.get', () => {
  let t: TestServer;
  before(async () => { t = await startTestServer(); });
  after(() => t.close());

  it('answers the job with the AOI it was ordered with (so a map can show it); the list stays light', async () => {
    const aoi = aoiInside(demoBbox, 0.02);
    const { job } = (await (await t.op('clip.create_from_area', { area: 'demo-valley', mosaic_types: ['visual'], aoi_geometry: aoi, organization_id: 'acme' })).json()) as { job: { id: string } };
    const got = (await (await t.op('clip.job.get', { job_id: job.id })).json()) as { aoi_geometry: unknown };
    assert.deepEqual(got.aoi_geometry, aoi);
    const list = (await (await t.op('clip.jobs.list', { organization_id: 'acme' })).json()) as { items: Record<string, unknown>[] };
    assert.equal(list.items[0]!.aoi_geometry, undefined);
  });
});
