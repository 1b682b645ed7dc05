/**
 * Fault: the disk holding job outputs fills while an output is written. The job fails with the stable
 * code `disk_full`, no partial file is left or served, its credit hold is released, and the server
 * keeps serving (a job that fits completes on the same disk right after).
 *
 * The disk: a 2 MiB tmpfs mounted on `<data>/jobs` where `mount` works (root with CAP_SYS_ADMIN); else
 * the server runs under `prlimit --fsize` (2 MiB per file, the kernel answers EFBIG); else the test is
 * skipped with the reason. `FAULT_DISK=rlimit` forces the fallback.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { generateApiKey } from '../../src/auth/api.key.js';
import { startChildServer, type ChildServer } from '../support/child.server.js';
import { aoiOf, brokenOutputs, callOp, DemoBbox, finalJob, jobFiles, ledgerOf } from '../support/fault.tools.js';
import { repoRoot } from '../support/gdal.js';

const LimitBytes = 2 * 1024 * 1024;

function commandWorks(cmd: string, args: string[]): boolean {
  return spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
}

/** A server whose job outputs cannot grow past LimitBytes, or why none can be made here. */
interface LimitedServer { url: string; key: string; org: string; dataDir: string; how: string; close(): Promise<void> }

async function limitedServer(): Promise<LimitedServer | string> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'geopera-diskfull-'));
  await symlink(path.join(repoRoot, 'data/areas'), path.join(dataDir, 'areas'));
  const jobs = path.join(dataDir, 'jobs');
  await mkdir(jobs);
  let how: string;
  let wrap: string[] = [];
  if (process.env.FAULT_DISK !== 'rlimit' && commandWorks('mount', ['-t', 'tmpfs', '-o', `size=${LimitBytes}`, 'tmpfs', jobs])) {
    how = `a ${LimitBytes}-byte tmpfs on jobs/`;
  } else if (commandWorks('prlimit', ['--version'])) {
    how = `prlimit --fsize=${LimitBytes}`;
    wrap = ['prlimit', `--fsize=${LimitBytes}`, '--'];
  } else {
    await rm(dataDir, { recursive: true, force: true });
    return 'neither `mount -t tmpfs` nor `prlimit` works here';
  }
  const key = generateApiKey();
  const s: ChildServer = await startChildServer({ GEOPERA_DATA_DIR: dataDir, GEOPERA_BOOTSTRAP_KEY: key, GEOPERA_WORKERS: '1' }, { built: true, wrap });
  return {
    url: s.url, key, org: 'default', dataDir, how,
    async close() {
      s.child.kill('SIGTERM');
      await s.exited;
      if (wrap.length === 0) spawnSync('umount', [jobs]);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

const server = await limitedServer();

describe('fault: the disk fills while an output is written', { skip: typeof server === 'string' ? server : false, timeout: 120_000 }, () => {
  const s = server as LimitedServer;
  after(() => s.close());

  it(`fails the job with disk_full, leaves and serves no partial file, releases the hold, keeps serving (${typeof server === 'string' ? '' : s.how})`, async () => {
    // The 16-bit 4-band mosaic over 95 % of the area: about 5 MB of output, over the 2 MiB left.
    const created = await callOp(s.url, s.key, 'clip.create_from_area', { area: 'demo-valley', mosaic_types: ['analytic'], organization_id: s.org, aoi_geometry: aoiOf(DemoBbox, 0.95) });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const id = created.body.job.id as string;
    const job = await finalJob(s.url, s.key, id);
    assert.equal(job.status, 'failed', JSON.stringify(job));
    assert.equal(job.error.code, 'disk_full');
    assert.doesNotMatch(job.error.message as string, /\//, 'no server path in the message');

    assert.deepEqual(await jobFiles(s.dataDir), [], 'no partial output, spool or temp file is left');
    for (const op of ['clip.job.downloads', 'clip.job.tile_info']) {
      const r = await callOp(s.url, s.key, op, { job_id: id });
      assert.equal(r.status, 409, `${op} of the failed job`);
      assert.equal(r.body.code, 'job_not_ready');
    }
    assert.equal((await callOp(s.url, s.key, 'clip.job.download', { job_id: id, mosaic_type: 'analytic' })).status, 409);
    assert.equal(await ledgerOf(s.dataDir, s.org, id), 'hold,release', 'the hold is released once');

    // The server keeps serving: reads answer, and a clip that fits in the space left completes whole.
    assert.equal((await callOp(s.url, s.key, 'clip.areas.list', {})).status, 200);
    const small = await callOp(s.url, s.key, 'clip.create_from_area', { area: 'demo-valley', mosaic_types: ['visual'], organization_id: s.org, aoi_geometry: aoiOf(DemoBbox, 0.1) });
    const done = await finalJob(s.url, s.key, small.body.job.id as string);
    assert.equal(done.status, 'completed', JSON.stringify(done));
    assert.deepEqual(await brokenOutputs(s.dataDir, done.id as string), []);
    assert.equal(await ledgerOf(s.dataDir, s.org, done.id as string), 'hold,capture');
  });
});
