/** Egress is enforced: bytes actually sent are recorded (interrupted downloads count what was sent); past the quota, 429 before any byte. */
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { aoiInside, startTestServer, waitForJob, type TestServer } from '../support/harness.js';

const demoBbox: [number, number, number, number] = [172.1799827, -43.6733194, 172.1983802, -43.6600112];

describe('egress', () => {
  let t: TestServer;
  let key: string;
  let jobId: string;
  let size: number;
  before(async () => {
    t = await startTestServer();
    key = await t.makeKey('metered', undefined, { egressLimitBytes: 3_000_000 });
    const res = await t.op('clip.create_from_area', { area: 'demo-valley', mosaic_types: ['analytic'], aoi_geometry: aoiInside(demoBbox, 1.2), organization_id: 'metered' }, { key });
    jobId = ((await res.json()) as { job: { id: string } }).job.id;
    assert.equal((await waitForJob(t, jobId, key)).status, 'completed');
    const d = (await (await t.op('clip.job.downloads', { job_id: jobId }, { key })).json()) as { items: { size_bytes: number }[] };
    size = d.items[0]!.size_bytes;
  });
  after(() => t.close());

  it('records what an interrupted download sent, not the file size', async () => {
    assert.ok(size > 2_000_000, `output of ${size} bytes is big enough to interrupt`);
    const url = new URL(`${t.url}/v1/op/clip.job.download`);
    await new Promise<void>((resolve) => {
      const req = http.request(url, { method: 'POST', headers: { 'x-api-key': key, 'content-type': 'application/json', 'user-agent': 'interrupter/1' } }, (res) => {
        res.once('data', () => {
          res.pause();
          setTimeout(() => { req.destroy(); resolve(); }, 50);
        });
      });
      req.end(JSON.stringify({ job_id: jobId, mosaic_type: 'analytic', requester_ip: '203.0.113.7' }));
    });
    await new Promise((r) => setTimeout(r, 300));
    const rows = await t.runtime.services.storage.ledger.egress('metered');
    assert.equal(rows.length, 1);
    assert.ok(rows[0]!.bytes > 0 && rows[0]!.bytes < size, `recorded ${rows[0]!.bytes} of ${size}`);
    assert.equal(rows[0]!.requester_ip, '203.0.113.7', 'the body\'s requester_ip is recorded');
    assert.equal(rows[0]!.user_agent, 'interrupter/1');
    assert.match(rows[0]!.key_id ?? '', /^key_/);
  });

  it('answers 429 egress_quota_exceeded before any byte once the quota is used', async () => {
    const storage = t.runtime.services.storage;
    // A quota that one more whole download passes.
    await storage.orgs.setLimits('metered', { egressLimitBytes: (await storage.ledger.egressTotal('metered')) + 1 });
    const full = await t.op('clip.job.download', { job_id: jobId, mosaic_type: 'analytic' }, { key, headers: { accept: '*/*' } });
    assert.equal(full.status, 200);
    await full.arrayBuffer();
    await new Promise((r) => setTimeout(r, 100));
    assert.ok((await storage.ledger.egressTotal('metered')) > (await storage.orgs.get('metered'))!.egress_limit_bytes!);
    const res = await t.op('clip.job.download', { job_id: jobId, mosaic_type: 'analytic' }, { key, headers: { accept: '*/*' } });
    assert.equal(res.status, 429);
    assert.ok(res.headers.get('retry-after'));
    assert.equal(((await res.json()) as { code: string }).code, 'egress_quota_exceeded');
    const link = (await (await t.op('clip.job.download', { job_id: jobId, mosaic_type: 'analytic' }, { key })).json()) as { url: string };
    assert.equal((await fetch(link.url)).status, 429, 'signed links are enforced the same way');
  });
});
