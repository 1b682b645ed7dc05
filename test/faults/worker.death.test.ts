/**
 * Fault: a clip worker thread dies under a job — out of heap (a real V8 heap limit, GEOPERA_WORKER_HEAP_MB)
 * or ended like `process.exit` (the thread terminated mid-clip). The job fails with a stable code, never
 * stays `running`; its hold is released and its files removed; the pool replaces the thread and the
 * server keeps serving and clipping.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generateApiKey } from '../../src/auth/api.key.js';
import { startChildServer, type ChildServer } from '../support/child.server.js';
import { aoiOf, brokenOutputs, callOp, DemoBbox, finalJob, jobFiles, ledgerOf, pollUntil } from '../support/fault.tools.js';
import { repoRoot } from '../support/gdal.js';
import { startTestServer, type TestServer } from '../support/harness.js';

const big = (org: string, type = 'visual') => ({ area: 'demo-valley', mosaic_types: [type], organization_id: org, aoi_geometry: aoiOf(DemoBbox, 0.95) });

/**
 * Both mosaics over `big`'s AOI with its edges cut into 9 996 vertices (the limit is 10 000), wavy by a
 * few metres: the clip thread holds the polygon, its edge tables and two outputs' work. Measured on this
 * machine: out of heap with a limit of up to 20 MB, completed with 26. The visual mosaic over the
 * 5-vertex AOI needed 13-14 MB, so a clip keeping fewer tiles in flight (while API calls wait, as on a
 * busy CI machine) could finish under the 12 MB below: CI saw that once.
 */
function heavy(org: string): Record<string, unknown> {
  const ring = (aoiOf(DemoBbox, 0.95).coordinates as number[][][])[0]!;
  const dense: number[][] = [];
  const per = Math.floor(9995 / (ring.length - 1));
  for (let k = 0; k + 1 < ring.length; k++) {
    const [x0, y0] = ring[k]!;
    const [x1, y1] = ring[k + 1]!;
    for (let i = 0; i < per; i++) {
      const f = i / per;
      const wave = (i % 2 === 0 ? 1 : -1) * 2e-5;
      dense.push([x0! + (x1! - x0!) * f + wave, y0! + (y1! - y0!) * f + wave]);
    }
  }
  dense.push(dense[0]!);
  return { area: 'demo-valley', mosaic_types: ['visual', 'analytic'], organization_id: org, aoi_geometry: { type: 'Polygon', coordinates: [dense] } };
}
const small = (org: string) => ({ area: 'demo-valley', mosaic_types: ['visual'], organization_id: org, aoi_geometry: aoiOf(DemoBbox, 0.1) });

describe('fault: a clip worker runs out of heap', { timeout: 120_000 }, () => {
  let dataDir: string;
  let server: ChildServer;
  const key = generateApiKey();
  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'geopera-oom-'));
    await symlink(path.join(repoRoot, 'data/areas'), path.join(dataDir, 'areas'));
    // 12 MB of V8 heap: a clip thread starts and answers pings (about 10 MB), a large RGB clip needs more than 16.
    // No warm-up: its clip would end the thread first (a failed warm-up: test/server/warmup.pool.test.ts).
    server = await startChildServer({ GEOPERA_DATA_DIR: dataDir, GEOPERA_BOOTSTRAP_KEY: key, GEOPERA_WORKERS: '1', GEOPERA_WORKER_HEAP_MB: '12', GEOPERA_WARMUP: '0' }, { built: true });
  });
  after(async () => {
    server.child.kill('SIGTERM');
    await server.exited;
    await rm(dataDir, { recursive: true, force: true });
  });

  it('fails the job with worker_out_of_memory, releases its hold, and the server lives on', async () => {
    // A health check pings a clip thread (2 s to answer): on a busy machine a new thread may need a few tries.
    const healthy = () => pollUntil(async () => (await fetch(`${server.url}/healthz`)).status, (s) => s === 200, 'healthz 200', 60, 100);
    await healthy(); // the clip thread starts within the limit
    const created = await callOp(server.url, key, 'clip.create_from_area', heavy('default'));
    const job = await finalJob(server.url, key, created.body.job.id as string);
    assert.equal(job.status, 'failed', JSON.stringify(job));
    assert.equal(job.error.code, 'worker_out_of_memory');
    assert.equal(await ledgerOf(dataDir, 'default', job.id as string), 'hold,release');
    assert.deepEqual(await jobFiles(dataDir), []);
    await healthy(); // a new clip thread answers
    assert.equal((await callOp(server.url, key, 'clip.jobs.list', { organization_id: 'default' })).body.total, 1);
    assert.equal(server.child.exitCode, null, 'the server process is still running');
  });
});

describe('fault: a clip worker thread is ended mid-clip', { timeout: 120_000 }, () => {
  let t: TestServer;
  before(async () => { t = await startTestServer(); });
  after(() => t.close());

  it('fails the job with worker_crashed (never stuck in running), and the next job completes on a new thread', async () => {
    // The thread is ended once the job runs; a clip that finished first (a fast machine, a slow poll) proves nothing,
    // so another job is tried, at most 3 (a count, not a clock).
    let id = '';
    let job: Record<string, any> = {};
    for (let attempt = 0; attempt < 3; attempt++) {
      // A started thread first: one still loading its modules holds no task yet (ended, the next thread runs the job).
      assert.equal(await t.runtime.pool.run({ ping: true }), 'pong');
      const created = await callOp(t.url, t.key, 'clip.create_from_area', big('acme', 'analytic'));
      id = created.body.job.id as string;
      await pollUntil(async () => (await callOp(t.url, t.key, 'clip.job.get', { job_id: id })).body, (j) => j.status === 'running', 'job running', 2000, 5);
      const threads = t.runtime.pool.threads;
      assert.equal(threads.length, 1);
      await threads[0]!.terminate(); // what `process.exit()` inside the thread does: the thread ends, its task is lost
      job = await finalJob(t.url, t.key, id);
      if (job.status !== 'completed') break;
    }
    assert.equal(job.status, 'failed', JSON.stringify(job));
    assert.equal(job.error.code, 'worker_crashed');
    assert.equal(await ledgerOf(t.runtime.services.storage, 'acme', id), 'hold,release');
    // Only this job's: a job tried before it may have completed (its outputs stay).
    assert.deepEqual((await jobFiles(t.dataDir)).filter((f) => f.startsWith(`${id}/`)), [], 'its temp and spool files are removed');

    const next = await finalJob(t.url, t.key, (await callOp(t.url, t.key, 'clip.create_from_area', small('acme'))).body.job.id as string);
    assert.equal(next.status, 'completed', JSON.stringify(next));
    assert.deepEqual(await brokenOutputs({ storage: t.runtime.services.storage, files: t.files.store }, next.id as string), []);
  });
});
