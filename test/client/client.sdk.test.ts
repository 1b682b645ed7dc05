/**
 * The TypeScript SDK against a live geopera: every operation through its namespace method, lists as
 * JSON and as NDJSON streams, a clip waited for, downloaded to disk (checked by SHA-256, resumed from
 * a partial file), tile info, delete, and errors as `GeoperaError` with the server's code and request id.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { GeoperaClient, GeoperaError, type Job } from '../../src/client/index.js';
import { OperationList } from '../../src/operations/registry.js';
import { startClientWorld, worldSkip, type ClientWorld } from './client.world.js';

const sha256 = async (file: string): Promise<string> => createHash('sha256').update(await readFile(file)).digest('hex');

describe('TypeScript SDK against a live server', { skip: worldSkip }, () => {
  let w: ClientWorld;
  let client: GeoperaClient;
  let dir: string;
  let job: Job;
  const called = new Set<string>();
  const note = (id: string): void => { called.add(id); };

  before(async () => {
    w = await startClientWorld();
    client = new GeoperaClient({ token: w.t.key, baseUrl: w.t.url, retryDelayMs: 50 });
    dir = await mkdtemp(path.join(os.tmpdir(), 'geopera-sdk-'));
  });
  after(async () => {
    await w?.t.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('lists areas as one JSON document and as a stream of records', async () => {
    const doc = await client.clip.areas.list();
    note('clip.areas.list');
    assert.ok(doc.items.some((a) => a.id === w.area));
    const streamed = [];
    for await (const area of client.clip.areas.list.stream()) streamed.push(area);
    assert.deepEqual(streamed, doc.items);
  });

  it('describes mosaics and capture dates of an area', async () => {
    const mosaics = await client.clip.area.mosaics({ area: w.area });
    note('clip.area.mosaics');
    assert.deepEqual(mosaics.items.map((m) => m.mosaic_type).sort(), [...w.mosaicTypes].sort());
    const meta = await client.clip.area.metadata({ area: w.area });
    note('clip.area.metadata');
    assert.equal(meta.type, 'FeatureCollection');
    const dates = [];
    for await (const f of client.clip.area.metadata.stream({ area: w.area })) dates.push(f.properties.capture_date);
    assert.ok(dates.length > 0);
    assert.deepEqual(dates, [...dates].sort(), 'sorted by date');
  });

  it('throws GeoperaError with status, code, problem and request id', async () => {
    const err = await client.clip.area.mosaics({ area: 'no-such-area' }).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof GeoperaError);
    assert.equal(err.status, 404);
    assert.equal(err.code, 'area_not_found');
    assert.equal(err.operation, 'clip.area.mosaics');
    assert.match(err.requestId ?? '', /\S/);
    assert.match(String(err.problem.detail), /no-such-area/);
    const invalid = await client.invoke('clip.area.mosaics', {} as { area: string }).then(() => undefined, (e: unknown) => e);
    assert.ok(invalid instanceof GeoperaError);
    assert.equal(invalid.status, 422);
    assert.deepEqual(invalid.issues.map((i) => i.loc), [['body', 'area']]);
  });

  it('creates a clip from an area and waits for it, reporting progress', async () => {
    const quote = await client.clip.quote_from_area({ area: w.area, mosaic_types: [w.mosaicTypes[0]!], aoi_geometry: w.aoi, organization_id: w.orgId });
    note('clip.quote_from_area');
    const created = await client.clip.create_from_area({ area: w.area, mosaic_types: [w.mosaicTypes[0]!], aoi_geometry: w.aoi, organization_id: w.orgId, aoi_name: 'sdk-test' });
    note('clip.create_from_area');
    assert.equal(created.job.area, w.area);
    assert.equal(created.job.cost_km2, quote.cost_km2, 'the quote is what create holds');
    const seen: string[] = [];
    job = await client.clip.job.wait(created.job.id, { onProgress: (j) => seen.push(j.status), intervalMs: 100 });
    assert.equal(job.status, 'completed', JSON.stringify(job.error));
    assert.equal(seen.at(-1), 'completed');
    const again = await client.clip.job.get({ job_id: job.id });
    note('clip.job.get');
    assert.equal(again.progress, 1);
  });

  it('lists jobs as a page and as a stream, newest first', async () => {
    const page = await client.clip.jobs.list({ organization_id: w.orgId });
    note('clip.jobs.list');
    assert.ok(page.total >= 1);
    assert.equal(page.items[0]!.id, job.id);
    const ids = [];
    for await (const j of client.clip.jobs.list.stream({ organization_id: w.orgId, limit: 5 })) ids.push(j.id);
    assert.deepEqual(ids, page.items.slice(0, 5).map((j) => j.id));
  });

  it('lists download descriptors and answers a descriptor for one file', async () => {
    const list = await client.clip.job.downloads({ job_id: job.id });
    note('clip.job.downloads');
    assert.equal(list.items.length, 1);
    assert.match(list.items[0]!.sha256, /^[0-9a-f]{64}$/);
    const desc = await client.clip.job.download({ job_id: job.id, mosaic_type: w.mosaicTypes[0]! });
    note('clip.job.download');
    assert.equal(desc.sha256, list.items[0]!.sha256);
    assert.match(desc.url, /^http:\/\/.+token=/);
  });

  it('downloads a file to disk, checked by SHA-256, and resumes a partial one with Range', async () => {
    const to = path.join(dir, 'clip.tif');
    const progress: number[] = [];
    const r = await client.clip.job.download({ job_id: job.id, mosaic_type: w.mosaicTypes[0]! }, { to, onProgress: (p) => progress.push(p.received) });
    assert.equal(r.verified, true);
    assert.equal(r.sha256, await sha256(to));
    assert.equal((await stat(to)).size, r.size_bytes);
    assert.equal(progress.at(-1), r.size_bytes);
    assert.equal(r.resumed_from, 0);

    // Leave the first half as an interrupted run would: `.part` plus its ETag record.
    const whole = await readFile(to);
    const half = Math.floor(whole.length / 2);
    const to2 = path.join(dir, 'resumed.tif');
    await writeFile(`${to2}.part`, whole.subarray(0, half));
    await writeFile(`${to2}.part.json`, JSON.stringify({ etag: `"${r.sha256}"`, size: whole.length }));
    const r2 = await client.clip.job.download({ job_id: job.id, mosaic_type: w.mosaicTypes[0]! }, { to: to2 });
    assert.equal(r2.resumed_from, half);
    assert.equal(r2.sha256, r.sha256);
    assert.deepEqual(await readFile(to2), whole);
    await assert.rejects(stat(`${to2}.part`), 'the partial file is renamed into place');
  });

  it('answers tile info for the finished clip', async () => {
    const info = await client.clip.job.tile_info({ job_id: job.id });
    note('clip.job.tile_info');
    assert.match(JSON.stringify(info), /\{z\}\/\{x\}\/\{y\}/);
  });

  it('creates a clip from a STAC Item', async () => {
    const created = await client.clip.create_from_item({ source_item_id: w.itemId, aoi_geometry: w.aoi, output_name: 'from-item' });
    note('clip.create_from_item');
    assert.ok(created.asset_keys.length > 0);
    assert.equal(created.job.source_item_id, w.itemId);
    const done = await client.clip.job.wait(created.job.id, { intervalMs: 100 });
    assert.equal(done.status, 'completed', JSON.stringify(done.error));
  });

  it('deletes a job; a second delete is a 404', async () => {
    const removed = await client.clip.job.delete({ job_id: job.id });
    note('clip.job.delete');
    assert.ok(removed);
    await assert.rejects(client.clip.job.delete({ job_id: job.id }), (e: unknown) => e instanceof GeoperaError && e.status === 404);
  });

  it('called every operation of the registry', () => {
    assert.deepEqual([...called].sort(), OperationList.map((o) => o.id).sort());
  });
});
