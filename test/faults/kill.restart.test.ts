/**
 * Fault: the server is killed with SIGKILL again and again while 20 jobs run, and started again each
 * time (as a supervisor would). Every job completes exactly once: one job per Idempotency-Key (creates
 * sent again after a kill replay the same job), one hold and one capture each, every output whole
 * (size and sha256 as recorded, read back from disk), no temp file left behind.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generateApiKey } from '../../src/auth/api.key.js';
import { openStorage } from '../../src/storage/storage.js';
import { startChildServer, type ChildServer } from '../support/child.server.js';
import { aoiOf, brokenOutputs, callOp, DemoBbox, jobFiles, ledgerOf, leftovers, pollUntil } from '../support/fault.tools.js';
import { repoRoot } from '../support/gdal.js';

const JobCount = 20;
/** Kill once this many more jobs completed since the last kill (and one is running). */
const CompletionsPerRound = 4;
const MaxRounds = 30;

const createBody = (i: number) => ({
  area: 'demo-valley', mosaic_types: i % 5 === 0 ? ['visual', 'analytic'] : ['visual'], organization_id: 'default',
  aoi_name: `kill-${i}`, aoi_geometry: aoiOf(DemoBbox, 0.15, ((i % 5) - 2) * 0.1),
});

describe('fault: SIGKILL every few seconds while 20 jobs run', { timeout: 300_000 }, () => {
  let dataDir: string;
  let server: ChildServer;
  const key = generateApiKey();
  const start = () => startChildServer({ GEOPERA_DATA_DIR: dataDir, GEOPERA_BOOTSTRAP_KEY: key, GEOPERA_WORKERS: '2' }, { built: true });
  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'geopera-kill-'));
    await symlink(path.join(repoRoot, 'data/areas'), path.join(dataDir, 'areas'));
    server = await start();
  });
  after(async () => {
    server.child.kill('SIGKILL');
    await server.exited;
    await rm(dataDir, { recursive: true, force: true });
  });

  const statuses = async (): Promise<Record<string, number>> => {
    const { items } = (await callOp(server.url, key, 'clip.jobs.list', { organization_id: 'default', limit: 100 })).body as { items: { status: string }[] };
    const out: Record<string, number> = {};
    for (const j of items) out[j.status] = (out[j.status] ?? 0) + 1;
    return out;
  };

  it('every job completes exactly once with whole files', async (t) => {
    const ids: string[] = [];
    for (let i = 0; i < JobCount; i++) {
      const r = await callOp(server.url, key, 'clip.create_from_area', createBody(i), { 'idempotency-key': `kill-${i}` });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      ids.push(r.body.job.id as string);
    }
    let kills = 0;
    let killedRunning = 0;
    let lastCompleted = 0;
    for (let round = 1; ; round++) {
      assert.ok(round <= MaxRounds, `still not done after ${MaxRounds} rounds`);
      const s = await pollUntil(statuses, (x) => (x.completed ?? 0) === JobCount || ((x.completed ?? 0) >= lastCompleted + CompletionsPerRound && (x.running ?? 0) > 0), `round ${round}`, 6000, 10);
      if ((s.completed ?? 0) === JobCount) break;
      lastCompleted = s.completed ?? 0;
      server.child.kill('SIGKILL');
      await server.exited;
      kills++;
      killedRunning += s.running ?? 0;
      assert.equal(s.failed ?? 0, 0, JSON.stringify(s));
      server = await start();
      if (kills === 1) {
        // A client that lost its answers sends its creates again: each replays the job it made.
        for (let i = 0; i < JobCount; i++) {
          const again = await fetch(`${server.url}/v1/op/clip.create_from_area`, { method: 'POST', headers: { 'x-api-key': key, 'content-type': 'application/json', 'idempotency-key': `kill-${i}` }, body: JSON.stringify(createBody(i)) });
          assert.equal(again.headers.get('idempotent-replayed'), 'true');
          assert.equal(((await again.json()) as { job: { id: string } }).job.id, ids[i]);
        }
      }
    }
    t.diagnostic(`${kills} kills, ${killedRunning} running jobs cut off`);
    assert.ok(kills >= 3, `the server was killed ${kills} times`);
    assert.ok(killedRunning >= kills, `each kill hit running jobs (${killedRunning} in ${kills} kills)`);

    const storage = await openStorage({ dataDir });
    let rerun = 0;
    try {
      assert.equal((await storage.jobs.list('default', { limit: 100, offset: 0 })).total, JobCount, 'one job per Idempotency-Key');
      for (const id of ids) {
        const row = (await storage.jobs.get(id))!;
        assert.equal(row.status, 'completed', id);
        if (row.attempts > 1) rerun++;
        assert.equal((await storage.jobs.outputs(id)).length, JSON.parse(row.outputs_requested).length, `${id} has each output once`);
      }
    } finally {
      await storage.close();
    }
    assert.ok(rerun >= 1, 'jobs cut off by a kill ran again');
    for (const id of ids) {
      assert.equal(await ledgerOf(dataDir, 'default', id), 'hold,capture', `${id} is charged once`);
      assert.deepEqual(await brokenOutputs(dataDir, id), [], `${id}'s files are whole`);
    }
    assert.deepEqual(leftovers(await jobFiles(dataDir)), [], 'no temp or spool file is left');
  });
});
