/**
 * Retention: a completed job's files end at `expires_at` (the org's policy, else GEOPERA_RETENTION_DAYS); the
 * sweeper (on a clock the test moves) deletes them through the file store, records `job.expired` once however
 * many nodes sweep, keeps the job's row and ledgers, and from then on downloads, tiles and the STAC Item answer
 * 410 `job_expired`. And the free-space floor: below GEOPERA_MIN_FREE_MB creates answer 507 with Retry-After
 * before anything is written, and /healthz reports the free space.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { RetentionSweeper } from '../../src/events/retention.sweeper.js';
import { createLogger } from '../../src/log.js';
import { openTestStorage } from '../support/backend.js';
import { FakeClock } from '../support/fake.clock.js';
import { startTestServer, type TestServer } from '../support/harness.js';
import { aoiOf, DemoBbox } from '../support/fault.tools.js';
import { completedJob, localPart } from '../security/security.world.js';

const Day = 24 * 3600_000;

describe('retention', { timeout: 120_000 }, () => {
  let t: TestServer;
  let job: string;
  let shortJob: string;
  before(async () => {
    t = await startTestServer({ lifecycle: 'manual', env: { GEOPERA_RETENTION_DAYS: '30' } });
    await t.makeKey('brief');
    await t.runtime.services.storage.orgs.setRetention('brief', 2);
    job = await completedJob(t, t.key, 'acme');
    shortJob = await completedJob(t, await t.makeKey('brief'), 'brief');
  });
  const closers: (() => Promise<void>)[] = [];
  after(async () => {
    for (const close of closers) await close();
    await t.close();
  });

  it('gives each completed job expires_at from its org (2 days) or the server default (GEOPERA_RETENTION_DAYS=30)', async () => {
    const storage = t.runtime.services.storage;
    for (const [id, days] of [[job, 30], [shortJob, 2]] as const) {
      const row = (await storage.jobs.get(id))!;
      assert.equal(Date.parse(row.expires_at!) - Date.parse(row.finished_at!), days * Day, id);
    }
    const resource = (await (await t.op('clip.job.get', { job_id: job })).json()) as Record<string, unknown>;
    assert.equal(resource.expires_at, (await storage.jobs.get(job))!.expires_at);
    assert.equal(resource.expired_at, null);
  });

  it('sweeps at expiry, once across two nodes: files gone, job.expired recorded, row and ledgers kept; then downloads, tiles and STAC answer 410 job_expired', async () => {
    const storage = t.runtime.services.storage;
    const files = t.runtime.files;
    const finished = Date.parse((await storage.jobs.get(job))!.finished_at!);
    const downloads = ((await (await t.op('clip.job.downloads', { job_id: job })).json()) as { items: { url: string }[] }).items;
    const { stac_url: stacUrl } = (await (await t.op('clip.job.get', { job_id: job })).json()) as { stac_url: string };
    const ledgers = { credits: await storage.ledger.credits('acme'), egress: await storage.ledger.egress('acme') };
    const clock = new FakeClock(finished + 29 * Day);
    const log = createLogger('silent');
    // Node b sweeps through its own database connection, as another process would.
    const other = await openTestStorage(t.dataDir, t.config.databaseUrl ? { GEOPERA_DATABASE_URL: t.config.databaseUrl } : {});
    closers.push(() => other.close());
    const nodes = [new RetentionSweeper(storage, files, log, { nodeId: 'node-a', clock }), new RetentionSweeper(other, files, log, { nodeId: 'node-b', clock })];
    const total = async (): Promise<number> => (await Promise.all(nodes.map((n) => n.sweep()))).reduce((a, b) => a + b, 0);
    assert.equal(await total(), 1, 'at 29 days only the 2-day job is due');
    assert.ok((await storage.jobs.get(shortJob))!.expired_at);
    assert.equal((await storage.jobs.get(job))!.expired_at, null);
    assert.ok((await files.list(`jobs/${job}/`, 3)).length > 0);
    await clock.advance(2 * Day);
    assert.equal(await total(), 1, 'at 31 days the 30-day job, by one of the two nodes');
    assert.deepEqual((await files.list(`jobs/${job}/`, 3)).map((f) => f.key), [], 'files deleted');
    const row = (await storage.jobs.get(job))!;
    assert.equal(row.expired_at, new Date(clock.now()).toISOString());
    assert.equal(row.status, 'completed');
    assert.equal((await storage.jobs.outputs(job)).length, 1, 'output records kept');
    assert.deepEqual({ credits: await storage.ledger.credits('acme'), egress: await storage.ledger.egress('acme') }, ledgers, 'ledgers kept');
    const events = (await storage.events.after('acme', 0, 1000, job)).map((e) => e.type);
    assert.equal(events.filter((e) => e === 'job.expired').length, 1, 'one job.expired');
    assert.equal(await total(), 0, 'nothing left');

    const answers = [
      await t.op('clip.job.download', { job_id: job, mosaic_type: 'visual' }, { headers: { accept: '*/*' } }),
      await t.op('clip.job.downloads', { job_id: job }),
      await t.op('clip.job.tile_info', { job_id: job }),
      await fetch(`${t.url}${localPart(downloads[0]!.url)}`),
      await fetch(`${t.url}/v1/tiles/jobs/${job}/visual/15/32000/20000.png`, { headers: { 'x-api-key': t.key } }),
      await fetch(`${t.url}${localPart(stacUrl)}`),
    ];
    for (const res of answers) {
      assert.equal(res.status, 410, res.url);
      assert.equal(res.headers.get('content-type'), 'application/problem+json');
      const problem = (await res.json()) as { code: string; expired_at: string };
      assert.equal(problem.code, 'job_expired');
      assert.equal(problem.expired_at, row.expired_at);
    }
    const after = (await (await t.op('clip.job.get', { job_id: job })).json()) as Record<string, unknown>;
    assert.equal(after.expired_at, row.expired_at);
    assert.equal('stac_url' in after, false, 'no STAC link for an expired job');
  });
});

describe('the free-space floor', { timeout: 60_000 }, () => {
  let t: TestServer;
  before(async () => { t = await startTestServer({ lifecycle: 'manual', env: { GEOPERA_MIN_FREE_MB: String(2 ** 40) } }); });
  after(() => t.close());

  it('refuses creates below GEOPERA_MIN_FREE_MB with 507 insufficient_storage and Retry-After, before a job exists; /healthz reports the free space', async () => {
    const res = await t.op('clip.create_from_area', { area: 'demo-valley', mosaic_types: ['visual'], organization_id: 'acme', aoi_geometry: aoiOf(DemoBbox, 0.1) });
    assert.equal(res.status, 507);
    assert.equal(res.headers.get('retry-after'), '300');
    const problem = (await res.json()) as { code: string; free_mb: number; min_free_mb: number; detail: string };
    assert.equal(problem.code, 'insufficient_storage');
    assert.equal(problem.min_free_mb, 2 ** 40);
    assert.ok(problem.free_mb >= 0 && problem.free_mb < 2 ** 40);
    assert.equal((await t.runtime.services.storage.jobs.list('acme', { limit: 10, offset: 0 })).total, 0, 'no job was made');
    assert.equal((await t.runtime.services.storage.ledger.credits('acme')).length, 0, 'no hold');
    // A server from the sources may still be loading its first clip thread (its ping then times out): poll, as a load balancer does.
    type Health = { status: string; workers: boolean; disk: { free_mb: number; min_free_mb: number; low: boolean } };
    let health = (await (await fetch(`${t.url}/healthz`)).json()) as Health;
    for (let poll = 0; poll < 30 && !health.workers; poll++) health = (await (await fetch(`${t.url}/healthz`)).json()) as Health;
    assert.deepEqual({ ...health.disk, free_mb: 0 }, { free_mb: 0, min_free_mb: 2 ** 40, low: true });
    // The free space as the file system reports it (df's "Avail"); other processes write meanwhile, so within 256 MB.
    const df = (await promisify(execFile)('df', ['-Pk', t.dataDir])).stdout.trim().split('\n').at(-1)!.split(/\s+/);
    const freeMb = Math.floor(Number(df[3]) / 1024);
    for (const seen of [health.disk.free_mb, problem.free_mb]) assert.ok(Math.abs(seen - freeMb) < 256, `${seen} MB reported, ${freeMb} MB free`);
    assert.equal(health.status, 'degraded');
  });
});
