/** Spend: the AOI's area times the outputs is held on create, captured on success, released on failure or delete. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { aoiInside, startTestServer, waitForJob, type TestServer } from '../support/harness.js';

const demoBbox: [number, number, number, number] = [172.1799827, -43.6733194, 172.1983802, -43.6600112];

describe('credits', () => {
  let t: TestServer;
  let poor: string;
  before(async () => {
    t = await startTestServer();
    poor = await t.makeKey('poor', undefined, { creditLimitKm2: 0.05 });
  });
  after(() => t.close());

  it('costs the AOI area (km², on the ellipsoid, within the data) times the number of outputs', async () => {
    const aoi = aoiInside(demoBbox, 0.3);
    const one = (await (await t.op('clip.create_from_area', { area: 'demo-valley', mosaic_types: ['visual'], aoi_geometry: aoi, organization_id: 'acme' })).json()) as { job: { cost_km2: number } };
    const two = (await (await t.op('clip.create_from_area', { area: 'demo-valley', mosaic_types: ['visual', 'analytic'], aoi_geometry: aoi, organization_id: 'acme' })).json()) as { job: { cost_km2: number } };
    assert.ok(one.job.cost_km2 > 0.01 && one.job.cost_km2 < 0.3, String(one.job.cost_km2));
    assert.ok(Math.abs(two.job.cost_km2 - 2 * one.job.cost_km2) < one.job.cost_km2 * 0.05, `${two.job.cost_km2} vs 2 x ${one.job.cost_km2}`);
  });

  it('answers 402 insufficient_credits with the cost and the balance when short, creating nothing', async () => {
    const res = await t.op('clip.create_from_area', { area: 'demo-valley', mosaic_types: ['visual', 'analytic'], aoi_geometry: aoiInside(demoBbox, 0.8), organization_id: 'poor' }, { key: poor });
    assert.equal(res.status, 402);
    const p = (await res.json()) as { code: string; cost_km2: number; balance_km2: number };
    assert.equal(p.code, 'insufficient_credits');
    assert.ok(p.cost_km2 > p.balance_km2);
    assert.equal(p.balance_km2, 0.05);
    assert.equal((await t.runtime.services.storage.ledger.credits('poor')).length, 0);
  });

  it('holds then captures on success; the balance goes down by the cost', async () => {
    const res = await t.op('clip.create_from_area', { area: 'demo-valley', mosaic_types: ['visual'], aoi_geometry: aoiInside(demoBbox, 0.05), organization_id: 'poor' }, { key: poor });
    assert.equal(res.status, 200);
    const { job } = (await res.json()) as { job: { id: string; cost_km2: number } };
    const done = await waitForJob(t, job.id, poor);
    assert.equal(done.status, 'completed');
    const rows = await t.runtime.services.storage.ledger.credits('poor');
    assert.deepEqual(rows.map((r) => r.kind), ['hold', 'capture']);
    const { balanceOf } = await import('../../src/jobs/credits.js');
    assert.ok(Math.abs((await balanceOf(t.runtime.services.storage, 'poor')).available_km2! - (0.05 - job.cost_km2)) < 1e-6);
  });

  it('releases the hold when a job is deleted before it completes', async () => {
    const storage = t.runtime.services.storage;
    const res = await t.op('clip.create_from_area', { area: 'demo-valley', mosaic_types: ['visual', 'analytic'], aoi_geometry: aoiInside(demoBbox, 0.9), organization_id: 'acme' });
    const { job } = (await res.json()) as { job: { id: string } };
    const del = await t.op('clip.job.delete', { job_id: job.id });
    assert.equal(del.status, 200);
    const rows = (await storage.ledger.credits('acme')).filter((r) => r.job_id === job.id);
    const kinds = rows.map((r) => r.kind);
    // Deleted before completion: released. (If it had already completed, it is captured and nothing is released.)
    assert.ok(JSON.stringify(kinds) === '["hold","release"]' || JSON.stringify(kinds) === '["hold","capture"]', kinds.join(','));
  });
});
