/**
 * Fault: the mosaic a job is reading is truncated, written over in place, or replaced (renamed over)
 * while the job runs. A write to the open file fails the job with `source_changed` — never a crash,
 * never an output mixing two files; a replacement by rename is read whole from the file that was
 * opened, so the output is exactly the clip of the original (compared by sha256 with the engine's
 * clip of a copy).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readdir, readFile, readlink, realpath, rename, rm, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { clipToCog } from '../../src/raster/clip/clip.run.js';
import { aoiOf, callOp, DemoBbox, finalJob, jobFiles, ledgerOf } from '../support/fault.tools.js';
import { repoRoot } from '../support/gdal.js';
import { startTestServer, type TestServer } from '../support/harness.js';

const analytic = path.join(repoRoot, 'data/areas/demo-valley/mosaics/analytic.tif');
const visual = path.join(repoRoot, 'data/areas/demo-valley/mosaics/visual.tif');
const aoi = aoiOf(DemoBbox, 0.95);

describe('fault: a mosaic changes while a job reads it', { timeout: 120_000 }, () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer({ linkSampleData: false });
  });
  after(() => t.close());

  /** Whether this process (the server and its clip threads) holds `file` open now. */
  async function isOpen(file: string): Promise<boolean> {
    const fds = await readdir('/proc/self/fd').catch(() => [] as string[]);
    for (const fd of fds) if ((await readlink(`/proc/self/fd/${fd}`).catch(() => '')) === file) return true;
    return false;
  }

  /**
   * An area `name` holding a copy of the analytic mosaic and a job over most of it, caught mid-read: the clip
   * thread holds the file open (the catalog's header reads close it before create answers), seen by polling
   * this process's open files. A clip that finished before it was seen (a fast machine) is left to finish and
   * another area tried (at most 3); the polls are counted, not timed.
   */
  async function jobMidRead(name: string): Promise<{ id: string; file: string }> {
    for (let attempt = 1; attempt <= 3; attempt++) {
      const area = `${name}-${attempt}`;
      const dir = path.join(t.dataDir, 'areas', area, 'mosaics');
      await mkdir(dir, { recursive: true });
      const file = path.join(dir, 'analytic.tif');
      await copyFile(analytic, file);
      const created = await callOp(t.url, t.key, 'clip.create_from_area', { area, mosaic_types: ['analytic'], organization_id: 'acme', aoi_geometry: aoi });
      assert.equal(created.status, 200, JSON.stringify(created.body));
      const id = created.body.job.id as string;
      const real = await realpath(file);
      for (let poll = 0; poll < 20_000; poll++) {
        if (await isOpen(real)) return { id, file };
        if (poll % 50 === 49) {
          const status = (await callOp(t.url, t.key, 'clip.job.get', { job_id: id })).body.status as string;
          if (status !== 'queued' && status !== 'running') break;
        }
      }
      await finalJob(t.url, t.key, id);
    }
    throw new Error(`no job of ${name} was caught mid-read in 3 tries`);
  }

  async function assertCleanFailure(id: string): Promise<void> {
    const job = await finalJob(t.url, t.key, id);
    assert.equal(job.status, 'failed', JSON.stringify(job));
    assert.equal(job.error.code, 'source_changed');
    assert.match(job.error.message as string, /^areas\/[\w-]+\/mosaics\/analytic\.tif changed while it was read/, 'a path relative to the data directory');
    assert.equal(await ledgerOf(t.runtime.services.storage, 'acme', id), 'hold,release');
    assert.deepEqual((await jobFiles(t.dataDir)).filter((f) => f.startsWith(id)), [], 'nothing written');
    assert.equal((await callOp(t.url, t.key, 'clip.job.downloads', { job_id: id })).status, 409);
  }

  it('truncated mid-read: source_changed, nothing written, hold released', async () => {
    const { id, file } = await jobMidRead('truncated');
    await truncate(file, 2_000_000);
    await assertCleanFailure(id);
  });

  it('written over in place with other bytes of the same size mid-read: source_changed, not a mix of two files', async () => {
    const { id, file } = await jobMidRead('overwritten');
    const bytes = await readFile(analytic);
    for (let i = bytes.length >> 1; i < bytes.length; i++) bytes[i] ^= 0x5a; // the second half's tiles, other bytes
    await writeFile(file, bytes);
    await assertCleanFailure(id);
  });

  it('replaced by a rename mid-read: the job reads the opened file whole, its output is the clip of the original', async () => {
    const { id, file } = await jobMidRead('renamed');
    const next = `${file}.new`;
    await copyFile(visual, next);
    await rename(next, file);
    const job = await finalJob(t.url, t.key, id);
    assert.equal(job.status, 'completed', JSON.stringify(job));
    const scratch = await mkdtemp(path.join(os.tmpdir(), 'geopera-ref-'));
    try {
      const reference = await clipToCog(analytic, aoi, path.join(scratch, 'ref.tif'));
      const [d] = (await callOp(t.url, t.key, 'clip.job.downloads', { job_id: id })).body.items as { sha256: string; size_bytes: number }[];
      assert.equal(d!.sha256, reference.sha256, 'the output equals the clip of the original mosaic');
      const [out] = await t.runtime.services.storage.jobs.outputs(id);
      const bytes = await readFile(path.join(t.dataDir, out!.rel_path));
      assert.equal(createHash('sha256').update(bytes).digest('hex'), reference.sha256);
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
    // The area now holds the replacement, and a new job reads that.
    const areas = (await callOp(t.url, t.key, 'clip.area.mosaics', { area: path.basename(path.dirname(path.dirname(file))) })).body.items as { bands: number }[];
    assert.equal(areas[0]!.bands, 3);
  });
});
