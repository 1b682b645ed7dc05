/**
 * SECURITY.md "Names a caller chooses" (OWASP API8): CR/LF, quotes, semicolons, slashes and non-ASCII in
 * `output_name` / `aoi_name` and in request paths and headers never split a header or a log line:
 * `Content-Disposition` is one `attachment; filename="…"` with a safe file name, and every log line
 * stays one JSON record.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { aoiOf, DemoBbox, finalJob } from '../support/fault.tools.js';
import { startTestServer, type TestServer } from '../support/harness.js';

const Evil = 'evil"\r\nX-Injected: yes\r\n; filename="../../etc/passwd" Ōtautahi\\';

describe('names with CR/LF and quotes', { timeout: 120_000 }, () => {
  const logLines: string[] = [];
  let t: TestServer;
  let jobId: string;
  before(async () => {
    t = await startTestServer({ logLines, env: { GEOPERA_LOG_LEVEL: 'debug' } });
    const res = await t.op('clip.create_from_item', { source_item_id: 'demo-valley-2025', asset_keys: ['visual'], output_name: Evil, aoi_name: Evil, aoi_geometry: aoiOf(DemoBbox, 0.08) });
    assert.equal(res.status, 200);
    jobId = ((await res.json()) as { job: { id: string } }).job.id;
    assert.equal((await finalJob(t.url, t.key, jobId)).status, 'completed');
  });
  after(() => t.close());

  it('the job keeps the names as given (JSON-escaped), its file name is safe', async () => {
    const job = (await (await t.op('clip.job.get', { job_id: jobId })).json()) as { aoi_name: string; output_name: string };
    assert.equal(job.aoi_name, Evil);
    assert.equal(job.output_name, Evil);
    const { items } = (await (await t.op('clip.job.downloads', { job_id: jobId })).json()) as { items: { file_name: string }[] };
    assert.match(items[0]!.file_name, /^[\w.-]+\.tif$/);
  });

  it('Content-Disposition is one attachment with a quoted safe file name; no header is injected', async () => {
    const viaOp = await t.op('clip.job.download', { job_id: jobId, mosaic_type: 'visual' }, { headers: { accept: '*/*', range: 'bytes=0-15' } });
    const { items } = (await (await t.op('clip.job.downloads', { job_id: jobId })).json()) as { items: { url: string }[] };
    const viaLink = await fetch(items[0]!.url, { headers: { range: 'bytes=0-15' } });
    for (const res of [viaOp, viaLink]) {
      assert.equal(res.status, 206);
      assert.match(res.headers.get('content-disposition') ?? '', /^attachment; filename="[\w.-]+\.tif"$/);
      assert.equal(res.headers.get('x-injected'), null);
      await res.arrayBuffer();
    }
  });

  it('CR/LF and quotes in paths and request ids leave every log line one JSON record', async () => {
    const before = logLines.length;
    await fetch(`${t.url}/v1/files/${jobId}%0D%0A%7B%22level%22%3A60%7D/visual?token=x`);
    await fetch(`${t.url}/v1/op/clip.job.get%0A"forged"`, { method: 'POST', headers: { authorization: `Bearer ${t.key}` } });
    const odd = await fetch(`${t.url}/v1/op/clip.areas.list`, { method: 'POST', headers: { authorization: `Bearer ${t.key}`, 'x-request-id': 'a"b\\c{}' } });
    assert.match(odd.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/, 'an unsafe request id is replaced');
    const lines = logLines.slice(before);
    assert.equal(lines.filter((l) => l.includes('"Request:Done"')).length, 3, 'one access line per request');
    for (const line of lines) {
      const rec = JSON.parse(line) as { level: number; msg: string };
      assert.notEqual(rec.level, 60, 'no forged record');
    }
  });
});
