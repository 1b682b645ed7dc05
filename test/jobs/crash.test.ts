/**
 * Crash safety: a server killed with SIGKILL mid-job, then started again, runs its unfinished jobs again;
 * none is lost, none completes twice, no partial file is listed. SIGTERM stops taking jobs and leaves
 * the rest queued. Deleting a running job stops it.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generateApiKey } from '../../src/auth/api.key.js';
import type { FileStore } from '../../src/files/file.store.js';
import { freshDatabase, openTestStorage, type TestDatabase } from '../support/backend.js';
import { startChildServer } from '../support/child.server.js';
import { jobOutputs, readStored, testFiles, type TestFiles } from '../support/files.js';
import { leftovers } from '../support/fault.tools.js';
import { repoRoot } from '../support/gdal.js';
import { aoiInside, startTestServer, waitForJob, type TestServer } from '../support/harness.js';

const demoBbox: [number, number, number, number] = [172.1799827, -43.6733194, 172.1983802, -43.6600112];
const bigJob = { area: 'demo-valley', mosaic_types: ['visual', 'analytic'], aoi_geometry: aoiInside(demoBbox, 0.95), organization_id: 'default' };

async function op(url: string, key: string, id: string, body: unknown): Promise<Record<string, any>> {
  const res = await fetch(`${url}/v1/op/${id}`, { method: 'POST', headers: { 'x-api-key': key, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return (await res.json()) as Record<string, any>;
}

/** Every file under `jobs/` of the store (temp files and spools included). */
async function allFiles(store: FileStore): Promise<string[]> {
  return (await store.list('jobs/', 4)).map((f) => f.key);
}

describe('crash safety', { timeout: 240_000 }, () => {
  let dataDir: string;
  let files: TestFiles;
  let database: TestDatabase;
  const key = generateApiKey();
  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'geopera-crash-'));
    files = await testFiles(dataDir);
    await files.link(path.join(repoRoot, 'data/areas'), 'areas');
    database = await freshDatabase();
  });
  after(async () => {
    await database.drop();
    await files.cleanup();
    await rm(dataDir, { recursive: true, force: true });
  });
  // One node restarting: the same node id, so it takes back the jobs its lease names at once.
  const env = (): Record<string, string> => ({ GEOPERA_DATA_DIR: dataDir, GEOPERA_BOOTSTRAP_KEY: key, GEOPERA_WORKERS: '1', GEOPERA_NODE_ID: 'crash-node', ...files.env, ...database.env });

  it('SIGKILL mid-job, restart: every job completes exactly once with whole files', async () => {
    const first = await startChildServer(env());
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await op(first.url, key, 'clip.create_from_area', { ...bigJob, aoi_name: `crash-${i}` })).job.id as string);
    // Wait until a job is running with progress, then kill the server without warning.
    for (let i = 0; i < 400; i++) {
      const jobs = await Promise.all(ids.map((id) => op(first.url, key, 'clip.job.get', { job_id: id })));
      if (jobs.some((j) => j.status === 'running' && j.progress > 0)) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    first.child.kill('SIGKILL');
    await first.exited;
    const mid = await openTestStorage(dataDir, env());
    const statuses = await Promise.all(ids.map(async (id) => (await mid.jobs.get(id))!.status));
    await mid.close();
    assert.ok(statuses.includes('running'), `a job was running at the kill: ${statuses.join(',')}`);

    const second = await startChildServer(env());
    try {
      for (const id of ids) {
        for (let i = 0; ; i++) {
          const j = await op(second.url, key, 'clip.job.get', { job_id: id });
          if (j.status === 'completed') break;
          assert.notEqual(j.status, 'failed', JSON.stringify(j));
          assert.ok(i < 1200, `job ${id} stuck in ${j.status}`);
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      const stored = await allFiles(files.store);
      assert.deepEqual(leftovers(stored), [], 'no temp leftovers');
      assert.equal(stored.filter((f) => f.endsWith('.tif')).length, ids.length * 2, `one file per output, earlier attempts' files removed: ${stored.join(', ')}`);
      for (const id of ids) {
        const d = (await op(second.url, key, 'clip.job.downloads', { job_id: id })).items as { mosaic_type: string; sha256: string; size_bytes: number }[];
        assert.equal(d.length, 2);
        const outputs = await jobOutputs(files.store, id);
        for (const x of d) {
          const bytes = await readStored(files.store, outputs.get(x.mosaic_type)!.key);
          assert.equal(bytes.length, x.size_bytes);
          assert.equal(createHash('sha256').update(bytes).digest('hex'), x.sha256);
        }
      }
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
    const storage = await openTestStorage(dataDir, env());
    try {
      for (const id of ids) {
        const kinds = (await storage.ledger.credits('default')).filter((r) => r.job_id === id).map((r) => r.kind);
        assert.deepEqual(kinds, ['hold', 'capture'], `one hold and one capture for ${id}`);
        assert.equal((await storage.jobs.outputs(id)).length, 2);
      }
    } finally {
      await storage.close();
    }
  });

  it('SIGTERM: stops taking jobs, requeues what outlives the grace period, exits 0; the next start runs them', async () => {
    const server = await startChildServer({ ...env(), GEOPERA_SHUTDOWN_GRACE_MS: '50' });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await op(server.url, key, 'clip.create_from_area', { ...bigJob, aoi_name: `term-${i}` })).job.id as string);
    for (let i = 0; i < 400; i++) {
      const j = await op(server.url, key, 'clip.job.get', { job_id: ids[0] });
      if (j.status === 'running') break;
      await new Promise((r) => setTimeout(r, 10));
    }
    server.child.kill('SIGTERM');
    assert.equal(await server.exited, 0);
    const storage = await openTestStorage(dataDir, env());
    const statuses = await Promise.all(ids.map(async (id) => (await storage.jobs.get(id))!.status));
    await storage.close();
    assert.ok(statuses.every((s) => s === 'queued' || s === 'completed'), statuses.join(','));
    assert.ok(statuses.includes('queued'));

    const again = await startChildServer(env());
    try {
      for (const id of ids) {
        for (let i = 0; ; i++) {
          const j = await op(again.url, key, 'clip.job.get', { job_id: id });
          if (j.status === 'completed') break;
          assert.ok(i < 1200 && j.status !== 'failed', `${id}: ${j.status}`);
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    } finally {
      again.child.kill('SIGTERM');
      await again.exited;
    }
  });
});

describe('delete while running', { timeout: 120_000 }, () => {
  let t: TestServer;
  before(async () => { t = await startTestServer(); });
  after(() => t.close());

  it('cancels the job, stops the worker, removes its files and answers what was removed', async () => {
    const { job } = (await (await t.op('clip.create_from_area', { ...bigJob, organization_id: 'acme' })).json()) as { job: { id: string } };
    for (let i = 0; i < 500; i++) {
      const j = (await (await t.op('clip.job.get', { job_id: job.id })).json()) as { status: string };
      if (j.status !== 'queued') break;
      await new Promise((r) => setTimeout(r, 5));
    }
    const res = await t.op('clip.job.delete', { job_id: job.id });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { status: string; canceled: boolean; credits_released_km2: number };
    if (body.status === 'canceled') {
      assert.equal(body.canceled, true);
      assert.ok(body.credits_released_km2 > 0);
    }
    await new Promise((r) => setTimeout(r, 1000));
    assert.deepEqual(await allFiles(t.files.store), [], 'nothing left in the store after a second');
    const staged = await readdir(path.join(t.dataDir, 'staging'), { recursive: true }).catch(() => []);
    assert.deepEqual(staged.filter((e) => e !== 'jobs'), [], 'nothing staged on local disk either, not even the job\'s folder');
    const row = (await t.runtime.services.storage.jobs.get(job.id))!;
    assert.ok(row.deleted_at);
    assert.notEqual(row.status, 'running');
    assert.equal((await t.op('clip.job.get', { job_id: job.id })).status, 404);
    void waitForJob;
  });
});
