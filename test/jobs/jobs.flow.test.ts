/**
 * Clip jobs end to end over HTTP against the sample area: create, run in the pool, download (whole,
 * Range, signed link), tenant isolation, delete, and the credit ledger. Runs on the local data directory
 * and, in `npm test`'s second pass, on a real S3 server (outputs then read back by GDAL through /vsis3/).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { jobOutputs } from '../support/files.js';
import { aoiInside, startTestServer, waitForJob, type TestServer } from '../support/harness.js';
import { run, validateCog, skipUnlessGdal } from '../support/gdal.js';

/** Per-band checksums as `gdalinfo -checksum` prints them. */
function gdalChecksums(file: string): string[] {
  return [...run('gdalinfo', ['-checksum', file]).matchAll(/Checksum=(\d+)/g)].map((m) => m[1]!);
}

const demoBbox: [number, number, number, number] = [172.1799827, -43.6733194, 172.1983802, -43.6600112];

describe('clip jobs end to end', () => {
  let t: TestServer;
  let jobId: string;
  before(async () => { t = await startTestServer({ env: { GEOPERA_WORKERS: '2' } }); });
  after(() => t.close());

  it('clip.create_from_area answers 200 {job} with a queued job and a cost', async () => {
    const res = await t.op('clip.create_from_area', { area: 'demo-valley', mosaic_types: ['visual', 'analytic'], aoi_geometry: aoiInside(demoBbox, 0.4), aoi_name: 'field', organization_id: 'acme' });
    assert.equal(res.status, 200);
    const { job } = (await res.json()) as { job: Record<string, any> };
    assert.match(job.id, /^job_/);
    assert.equal(job.organization_id, 'acme');
    assert.ok(['queued', 'running'].includes(job.status));
    assert.deepEqual(job.mosaic_types, ['visual', 'analytic']);
    assert.equal(job.area, 'demo-valley');
    assert.equal(job.aoi_name, 'field');
    assert.ok(job.cost_km2 > 0);
    for (const k of ['created_at', 'updated_at', 'progress', 'project_id']) assert.ok(k in job, k);
    jobId = job.id;
  });

  it('runs to completed with progress 1, listed newest first', async () => {
    const job = await waitForJob(t, jobId);
    assert.equal(job.status, 'completed', JSON.stringify(job));
    assert.equal(job.progress, 1);
    const list = (await (await t.op('clip.jobs.list', { organization_id: 'acme', status: 'completed' })).json()) as { items: { id: string }[]; total: number; limit: number; offset: number };
    assert.equal(list.items[0]!.id, jobId);
    assert.equal(list.limit, 50);
    assert.equal(list.offset, 0);
    assert.ok(list.total >= 1);
  });

  it('writes valid COGs under the attempt\'s key and lists one download descriptor per output', { skip: skipUnlessGdal }, async () => {
    const res = await t.op('clip.job.downloads', { job_id: jobId });
    assert.equal(res.status, 200);
    const { items } = (await res.json()) as { items: Record<string, any>[] };
    assert.deepEqual(items.map((d) => d.mosaic_type).sort(), ['analytic', 'visual']);
    const stored = await jobOutputs(t.files.store, jobId);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'geopera-dl-'));
    try {
      for (const d of items) {
        for (const k of ['file_name', 'size_bytes', 'media_type', 'sha256', 'url', 'expires_at']) assert.ok(d[k], k);
        assert.equal(d.media_type, 'image/tiff; application=geotiff; profile=cloud-optimized');
        const file = stored.get(d.mosaic_type as string)!;
        assert.equal(file.key, `jobs/${jobId}/attempt-1/${d.mosaic_type}.tif`);
        assert.equal(file.size, d.size_bytes);
        // GDAL reads the stored output itself (a path on disk, or /vsis3/ from the bucket) ...
        const gdalName = t.files.gdalPath(file.key);
        assert.deepEqual(validateCog(gdalName).errors, []);
        // ... and sees the same pixels as in the downloaded bytes, whose sha256 is the recorded one.
        const bytes = Buffer.from(await (await fetch(d.url as string)).arrayBuffer());
        assert.equal(createHash('sha256').update(bytes).digest('hex'), d.sha256);
        const copy = path.join(dir, `${d.mosaic_type}.tif`);
        await writeFile(copy, bytes);
        const sums = gdalChecksums(gdalName);
        assert.ok(sums.length >= 3);
        assert.deepEqual(sums, gdalChecksums(copy));
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('clip.job.download streams the file with its headers, and Range answers 206 byte-exact', async () => {
    const res = await t.op('clip.job.download', { job_id: jobId, mosaic_type: 'visual' }, { headers: { accept: '*/*' } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/tiff; application=geotiff; profile=cloud-optimized');
    assert.equal(res.headers.get('accept-ranges'), 'bytes');
    assert.match(res.headers.get('content-disposition') ?? '', /attachment; filename="field_visual\.tif"/);
    const body = Buffer.from(await res.arrayBuffer());
    assert.equal(Number(res.headers.get('content-length')), body.length);
    const sha = createHash('sha256').update(body).digest('hex');
    assert.equal(res.headers.get('etag'), `"${sha}"`);

    const part = await t.op('clip.job.download', { job_id: jobId, mosaic_type: 'visual' }, { headers: { accept: '*/*', range: 'bytes=100-1099' } });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get('content-range'), `bytes 100-1099/${body.length}`);
    assert.deepEqual(Buffer.from(await part.arrayBuffer()), body.subarray(100, 1100));

    const stale = await t.op('clip.job.download', { job_id: jobId, mosaic_type: 'visual' }, { headers: { accept: '*/*', range: 'bytes=0-9', 'if-range': '"other"' } });
    assert.equal(stale.status, 200, 'If-Range with another validator sends the whole file');
    await stale.arrayBuffer();
    const bad = await t.op('clip.job.download', { job_id: jobId, mosaic_type: 'visual' }, { headers: { accept: '*/*', range: `bytes=${body.length + 5}-` } });
    assert.equal(bad.status, 416);
  });

  it('with Accept: application/json answers a descriptor whose signed link serves the file (Range too)', async () => {
    const res = await t.op('clip.job.download', { job_id: jobId, mosaic_type: 'analytic' });
    const d = (await res.json()) as { url: string; sha256: string; size_bytes: number; expires_at: string };
    const life = Date.parse(d.expires_at) - Date.parse(res.headers.get('date')!);
    assert.ok(life > 900_000 - 2000 && life <= 900_000 + 1000, `a link lasts 15 minutes by default, not ${life} ms`);
    const file = await fetch(d.url);
    assert.equal(file.status, 200);
    const bytes = Buffer.from(await file.arrayBuffer());
    assert.equal(bytes.length, d.size_bytes);
    assert.equal(createHash('sha256').update(bytes).digest('hex'), d.sha256);
    const ranged = await fetch(d.url, { headers: { range: 'bytes=-10' } });
    assert.equal(ranged.status, 206);
    assert.deepEqual(Buffer.from(await ranged.arrayBuffer()), bytes.subarray(bytes.length - 10));
    const forged = await fetch(d.url.replace(/token=([^&]+)/, (_m, tok: string) => `token=${tok.slice(0, -2)}xx`));
    assert.equal(forged.status, 401);
    const otherFile = await fetch(d.url.replace('/analytic?', '/visual?'));
    assert.equal(otherFile.status, 401, 'a link is for one file only');
  });

  it('records the bytes actually sent in the egress ledger (a Range counts its bytes)', async () => {
    await new Promise((r) => setTimeout(r, 100));
    const rows = await t.runtime.services.storage.ledger.egress('acme');
    assert.ok(rows.length >= 4);
    const ranged = rows.find((r) => r.range === '100-1099');
    assert.equal(ranged?.bytes, 1000);
    assert.equal(ranged?.key_id !== null, true);
    assert.ok(rows.every((r) => r.requester_ip && r.job_id === jobId));
  });

  it('hides the job from another org exactly as a missing one (404 on every job operation)', async () => {
    const other = await t.makeKey('globex');
    for (const [op, body] of [
      ['clip.job.get', { job_id: jobId }], ['clip.job.downloads', { job_id: jobId }], ['clip.job.download', { job_id: jobId, mosaic_type: 'visual' }],
      ['clip.job.delete', { job_id: jobId }], ['clip.job.tile_info', { job_id: jobId }],
    ] as const) {
      const res = await t.op(op, body, { key: other });
      assert.equal(res.status, 404, op);
    }
    const list = (await (await t.op('clip.jobs.list', { organization_id: 'globex' }, { key: other })).json()) as { total: number };
    assert.equal(list.total, 0);
  });

  it('captures the credit hold on success', async () => {
    const rows = (await t.runtime.services.storage.ledger.credits('acme')).filter((r) => r.job_id === jobId);
    assert.deepEqual(rows.map((r) => r.kind), ['hold', 'capture']);
  });

  it('clip.job.delete removes the files, keeps the ledgers, and a second delete answers 404', async () => {
    const res = await t.op('clip.job.delete', { job_id: jobId });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { deleted: boolean; files_removed: string[] };
    assert.equal(body.deleted, true);
    assert.equal(body.files_removed.length, 2);
    assert.equal((await jobOutputs(t.files.store, jobId)).size, 0, 'no output left in the store');
    assert.deepEqual(await t.files.store.list(`jobs/${jobId}/`, 3), []);
    assert.equal((await t.op('clip.job.delete', { job_id: jobId })).status, 404);
    assert.equal((await t.op('clip.job.get', { job_id: jobId })).status, 404);
    assert.ok((await t.runtime.services.storage.ledger.egress('acme')).length > 0);
  });

  it('clip.create_from_item clips the STAC item\'s COG assets and answers assets_to_clip and asset_keys', async () => {
    const res = await t.op('clip.create_from_item', { source_item_id: 'demo-valley-2025', aoi_geometry: aoiInside(demoBbox, 0.2), output_name: 'item clip' });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { job: Record<string, any>; asset_keys: string[]; assets_to_clip: unknown[] };
    assert.deepEqual([...body.asset_keys].sort(), ['analytic', 'visual']);
    assert.equal(body.assets_to_clip.length, 2);
    assert.equal(body.job.source_item_id, 'demo-valley-2025');
    const job = await waitForJob(t, body.job.id);
    assert.equal(job.status, 'completed', JSON.stringify(job));
    const alias = await t.op('clip.create_from_item', { item_id: 'demo-valley-2025', assets: ['visual'], aoi_geometry: aoiInside(demoBbox, 0.1) });
    assert.equal(alias.status, 200);
    assert.deepEqual(((await alias.json()) as { asset_keys: string[] }).asset_keys, ['visual']);
  });

  it('rejects bad creates with precise codes', async () => {
    const base = { area: 'demo-valley', mosaic_types: ['visual'], aoi_geometry: aoiInside(demoBbox), organization_id: 'acme' };
    const cases: [Record<string, unknown>, number, string][] = [
      [{ ...base, area: 'nowhere' }, 404, 'area_not_found'],
      [{ ...base, mosaic_types: ['thermal'] }, 404, 'mosaic_not_found'],
      [{ ...base, organization_id: 'globex' }, 404, 'organization_not_found'],
      [{ ...base, aoi_geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 1], [0, 1], [1, 0], [0, 0]]] } }, 422, 'invalid_aoi'],
      [{ ...base, aoi_geometry: aoiInside([10, 10, 11, 11]) }, 422, 'aoi_outside_area'],
      [{ ...base, mosaic_types: [] }, 422, 'invalid_input'],
    ];
    for (const [body, status, code] of cases) {
      const res = await t.op('clip.create_from_area', body);
      const problem = (await res.json()) as { code: string; detail: unknown };
      assert.equal(res.status, status, `${code}: ${JSON.stringify(problem)}`);
      assert.equal(problem.code, code);
      if (status === 422) assert.ok(Array.isArray(problem.detail));
    }
    const item = await t.op('clip.create_from_item', { aoi_geometry: aoiInside(demoBbox) });
    assert.equal(item.status, 422);
  });

  it('answers 409 job_not_ready for downloads of a job that is not completed', async () => {
    const res = await t.op('clip.create_from_area', { area: 'demo-valley', mosaic_types: ['visual'], aoi_geometry: aoiInside(demoBbox, 0.9), organization_id: 'acme' });
    const { job } = (await res.json()) as { job: { id: string } };
    const dl = await t.op('clip.job.downloads', { job_id: job.id });
    if (dl.status !== 200) {
      assert.equal(dl.status, 409);
      assert.equal(((await dl.json()) as { code: string }).code, 'job_not_ready');
    }
    await waitForJob(t, job.id);
  });
});
