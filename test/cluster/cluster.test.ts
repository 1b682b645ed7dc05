/**
 * Three geopera nodes (real server processes, started as an operator starts them) on one PostgreSQL
 * database and one bucket (the Ceph RGW of npm test's second pass; one shared data directory when the run
 * has no S3 server): jobs run exactly once wherever they are created, a killed node's job is finished by
 * another after its lease, one Idempotency-Key makes one job across nodes, rate limits and egress quotas
 * count across nodes, a job made on one node is downloaded, tiled and deleted on the others, and nodes
 * restart in the middle of it all. GDAL reads an output from the store as an independent client. The nodes
 * sit behind a proxy (GEOPERA_TRUST_PROXY=1), so the anonymous calls come from an address of their own.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { tileForLonLat } from '../../src/tiles/tile.grid.js';
import { testDatabaseUrl } from '../support/backend.js';
import { startCluster, type Cluster } from '../support/cluster.js';
import { readStored } from '../support/files.js';
import { run, skipUnlessGdal } from '../support/gdal.js';
import { aoiInside } from '../support/harness.js';
import { parseMetrics, skipUnlessPromParser, valueOf } from '../support/prometheus.js';

const demoBbox: [number, number, number, number] = [172.1799827, -43.6733194, 172.1983802, -43.6600112];
const smallJob = (name: string) => ({ area: 'demo-valley', mosaic_types: ['visual'], aoi_geometry: aoiInside(demoBbox, 0.15), aoi_name: name, organization_id: 'default' });
const bigJob = { area: 'demo-valley', mosaic_types: ['visual', 'analytic'], aoi_geometry: aoiInside(demoBbox, 0.95), aoi_name: 'big' };
const LeaseS = 4;

type Json = Record<string, any>;

describe(`three nodes on one PostgreSQL database and ${process.env.GEOPERA_TEST_FILES === 's3' ? 'one bucket' : 'one data directory'}`, { skip: testDatabaseUrl ? false : 'needs PostgreSQL (npm test runs it in its PostgreSQL pass)', timeout: 600_000 }, () => {
  let c: Cluster;
  before(async () => {
    // The contract's rate limits (600 / 30 / 60 a minute); short leases and grace so takeovers come soon.
    c = await startCluster(3, { GEOPERA_RATE_ORG: '600', GEOPERA_RATE_SPEND: '30', GEOPERA_RATE_ANON: '60', GEOPERA_JOB_LEASE_S: String(LeaseS), GEOPERA_SHUTDOWN_GRACE_MS: '100', GEOPERA_TRUST_PROXY: '1' });
  });
  after(() => c?.close());

  const json = async (res: Response | Promise<Response>): Promise<Json> => (await (await res).json()) as Json;
  /** Create a job on node `i`; answers its id. */
  async function create(i: number, body: unknown, key = c.key): Promise<string> {
    const res = await c.op(i, 'clip.create_from_area', body, { key });
    const answer = await json(res);
    assert.equal(res.status, 200, JSON.stringify(answer));
    return answer.job.id as string;
  }
  /** Poll a job (round the running nodes) until it is final; a hang guard of `maxPolls` polls, not a timer. */
  async function finished(jobId: string, key = c.key, maxPolls = 1200): Promise<Json> {
    for (let poll = 0; ; poll++) {
      const up = c.nodes.flatMap((n, i) => (n ? [i] : []));
      const job = await json(c.op(up[poll % up.length]!, 'clip.job.get', { job_id: jobId }, { key }));
      if (['completed', 'failed', 'canceled'].includes(job.status as string)) return job;
      assert.ok(poll < maxPolls, `job ${jobId} still ${job.status} after ${poll} polls`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  const completions = (jobId: string) => c.logs().filter((l) => l.msg === 'Job:Completed' && l.jobId === jobId);
  async function sha256Of(rel: string): Promise<string> {
    return createHash('sha256').update(await readStored(c.files.store, rel)).digest('hex');
  }

  it('start at once on a new database: one migration, one bootstrap key, one URL secret, all healthy', async () => {
    assert.equal(await c.storage.keys.count(), 1);
    for (const n of c.nodes) {
      // A node from the sources may still be loading its first clip thread: a load balancer polls too.
      for (let poll = 0; ; poll++) {
        const res = await fetch(`${n!.url}/healthz`);
        const body = await res.text();
        if (res.status === 200) break;
        assert.ok(poll < 50, body);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    // A download link signed by one node verifies on the others: the secret is the database's.
    assert.ok(await c.storage.settings.get('url_secret'));
  });

  it('run jobs created on any node exactly once, while a node stops (SIGTERM) and starts again', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push(await create(i % 3, smallJob(`any-${i}`)));
    assert.equal(await c.stop(2, 'SIGTERM'), 0);
    await c.start(2);
    for (const id of ids) assert.equal((await finished(id)).status, 'completed', id);
    for (const id of ids) {
      const done = completions(id);
      assert.equal(done.length, 1, `${id} completed once: ${JSON.stringify(done)}`);
      const kinds = (await c.storage.ledger.credits('default')).filter((r) => r.job_id === id).map((r) => r.kind);
      assert.deepEqual(kinds, ['hold', 'capture'], id);
      const [out] = await c.storage.jobs.outputs(id);
      assert.equal(await sha256Of(out!.rel_path), out!.sha256, 'the recorded file is whole');
    }
  });

  it('writes outputs GDAL reads from the store itself (/vsis3/ on S3) with the pixels of the recorded file', { skip: skipUnlessGdal }, async () => {
    const jobs = (await c.storage.jobs.list('default', { status: 'completed', limit: 1, offset: 0 })).rows;
    const [out] = await c.storage.jobs.outputs(jobs[0]!.id);
    const bytes = await readStored(c.files.store, out!.rel_path);
    assert.equal(createHash('sha256').update(bytes).digest('hex'), out!.sha256);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'geopera-cluster-gdal-'));
    try {
      await writeFile(path.join(dir, 'copy.tif'), bytes);
      const sums = (file: string) => [...run('gdalinfo', ['-checksum', file]).matchAll(/Checksum=(\d+)/g)].map((m) => m[1]);
      const stored = sums(c.files.gdalPath(out!.rel_path));
      assert.ok(stored.length >= 3);
      assert.deepEqual(stored, sums(path.join(dir, 'copy.tif')));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('make one job and one hold for one Idempotency-Key sent to two nodes at once', async () => {
    const key = await c.makeKey('idem');
    const body = { ...smallJob('same-key'), organization_id: 'idem' };
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => c.op(i % 2, 'clip.create_from_area', body, { key, headers: { 'idempotency-key': 'one-job' } })));
    const ids = new Set<string>();
    for (const a of answers) {
      const b = await json(a);
      if (a.status === 200) ids.add(b.job.id as string);
      else assert.equal(b.code, 'idempotency_key_in_flight', JSON.stringify(b));
    }
    assert.equal(ids.size, 1, 'every success names the same job');
    assert.equal((await c.storage.jobs.list('idem', { limit: 10, offset: 0 })).total, 1);
    assert.equal((await c.storage.ledger.credits('idem')).filter((r) => r.kind === 'hold').length, 1);
    const replay = await c.op(2, 'clip.create_from_area', body, { key, headers: { 'idempotency-key': 'one-job' } });
    assert.equal(replay.headers.get('idempotent-replayed'), 'true', 'a third node replays it');
    assert.equal((await json(replay)).job.id, [...ids][0]);
    await finished([...ids][0]!, key);
  });

  it('count an org\'s 600 calls a minute across the three nodes (and 30 spend calls, and 60 anonymous calls an address)', async () => {
    const key = await c.makeKey('counted');
    // Calls that fail validation after being counted: the count is the point, not the work.
    const statuses = async (n: number, call: (i: number) => Promise<Response>): Promise<Map<number, number>> => {
      const seen = new Map<number, number>();
      for (let i = 0; i < n; i += 30) {
        const batch = await Promise.all(Array.from({ length: Math.min(30, n - i) }, (_, j) => call(i + j).then(async (r) => { await r.arrayBuffer(); return r.status; })));
        for (const s of batch) seen.set(s, (seen.get(s) ?? 0) + 1);
      }
      return seen;
    };
    const list = await statuses(660, (i) => c.op(i % 3, 'clip.jobs.list', { limit: 'many' }, { key }));
    assert.deepEqual([...list].sort(), [[422, 600], [429, 60]]);
    const spendKey = await c.makeKey('spender');
    const spend = await statuses(40, (i) => c.op(i % 3, 'clip.create_from_area', {}, { key: spendKey }));
    assert.deepEqual([...spend].sort(), [[422, 30], [429, 10]]);
    // From an address of their own (the proxy's X-Forwarded-For): 60 failures lock that address out for the minute, not the tests'.
    const anon = await statuses(70, (i) => c.op(i % 3, 'clip.areas.list', {}, { key: null, headers: { 'x-forwarded-for': '203.0.113.60' } }));
    assert.deepEqual([...anon].sort(), [[401, 60], [429, 10]]);
  });

  it('enforce an egress quota across nodes: admitted while below it, so concurrent downloads overshoot by less than one', async () => {
    const key = await c.makeKey('metered');
    const id = await create(0, { ...smallJob('metered'), organization_id: 'metered' }, key);
    assert.equal((await finished(id, key)).status, 'completed');
    const [out] = await c.storage.jobs.outputs(id);
    const size = out!.size_bytes;
    await c.storage.orgs.setLimits('metered', { egressLimitBytes: size + 1 });
    const download = (i: number) => c.op(i, 'clip.job.download', { job_id: id, mosaic_type: 'visual' }, { key, headers: { accept: '*/*' } });
    const answers = await Promise.all([0, 1, 2].map(download));
    const codes = await Promise.all(answers.map(async (a) => { await a.arrayBuffer(); return a.status; }));
    // 0 < size + 1 and size < size + 1 are admitted; 2 × size is not, whichever node asks third.
    assert.deepEqual(codes.sort(), [200, 200, 429]);
    for (let poll = 0; (await c.storage.ledger.egress('metered')).some((r) => r.reserved); poll++) {
      assert.ok(poll < 200, 'reservations settled');
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(await c.storage.ledger.egressTotal('metered'), 2 * size);
    for (const i of [0, 1, 2]) assert.equal((await download(i)).status, 429, `node ${i} refuses`);
    const link = await json(c.op(1, 'clip.job.download', { job_id: id, mosaic_type: 'visual' }, { key }));
    assert.equal((await fetch((link.url as string).replace(c.node(1).url, c.node(2).url))).status, 429, 'a signed link too');
  });

  it('download with Range, tile and delete on the other nodes a job made on one', async () => {
    const id = await create(0, smallJob('shared'));
    assert.equal((await finished(id)).status, 'completed');
    const [out] = await c.storage.jobs.outputs(id);
    const bytes = await readStored(c.files.store, out!.rel_path);
    // A link signed by node 1, fetched from node 2, with Range.
    const [d] = (await json(c.op(1, 'clip.job.downloads', { job_id: id }))).items as { url: string }[];
    const ranged = await fetch(d!.url.replace(c.node(1).url, c.node(2).url), { headers: { range: 'bytes=100-1099' } });
    assert.equal(ranged.status, 206);
    assert.deepEqual(Buffer.from(await ranged.arrayBuffer()), bytes.subarray(100, 1100));
    const direct = await c.op(0, 'clip.job.download', { job_id: id, mosaic_type: 'visual' }, { headers: { accept: '*/*', range: `bytes=-10` } });
    assert.equal(direct.status, 206);
    assert.deepEqual(Buffer.from(await direct.arrayBuffer()), bytes.subarray(bytes.length - 10));
    // A tile token minted by node 2, used on nodes 0 and 1: the same tile and ETag; 304 across nodes.
    const info = await json(c.op(2, 'clip.job.tile_info', { job_id: id }));
    const [w, s, e, n] = info.bounds as number[];
    const t = tileForLonLat((w! + e!) / 2, (s! + n!) / 2, (info.maxzoom as number) - 1);
    const tileUrl = (i: number) => (info.tiles as string[])[0]!.replace(c.node(2).url, c.node(i).url).replace('{z}', String(t.z)).replace('{x}', String(t.x)).replace('{y}', String(t.y));
    const a = await fetch(tileUrl(0));
    const b = await fetch(tileUrl(1));
    assert.equal(a.status, 200);
    assert.equal(b.status, 200);
    assert.deepEqual(Buffer.from(await a.arrayBuffer()), Buffer.from(await b.arrayBuffer()));
    assert.equal(a.headers.get('etag'), b.headers.get('etag'));
    assert.equal((await fetch(tileUrl(2), { headers: { 'if-none-match': a.headers.get('etag')! } })).status, 304);
    // Deleted on node 1: gone on every node (a node trusts a completed job's rows for 2 s at most).
    assert.equal((await c.op(1, 'clip.job.delete', { job_id: id })).status, 200);
    assert.equal((await c.op(0, 'clip.job.get', { job_id: id })).status, 404);
    assert.equal((await c.op(2, 'clip.job.downloads', { job_id: id })).status, 404);
    for (let poll = 0; ; poll++) {
      const r = await fetch(tileUrl(0));
      await r.arrayBuffer();
      if (r.status === 404) break;
      assert.ok(poll < 100, `tile still answers ${r.status}`);
      await new Promise((res) => setTimeout(res, 100));
    }
  });

  it('stop a job on the node that runs it when another node deletes it', async () => {
    const key = await c.makeKey('deleter');
    const id = await create(0, { ...bigJob, organization_id: 'deleter' }, key);
    let runner = '';
    for (let poll = 0; !runner; poll++) {
      const row = (await c.storage.jobs.get(id))!;
      if (row.status === 'running' && row.lease_owner) runner = row.lease_owner;
      assert.ok(poll < 2000 && row.status !== 'completed', `job ${row.status} before it could be deleted`);
      await new Promise((r) => setTimeout(r, 10));
    }
    const other = [0, 1, 2].find((i) => c.nodeId(i) !== runner)!;
    const del = await json(c.op(other, 'clip.job.delete', { job_id: id }, { key }));
    assert.equal(del.status, 'canceled');
    for (let poll = 0; !c.logs().some((l) => l.msg === 'Job:Aborted' && l.jobId === id); poll++) {
      assert.ok(poll < 200, `the node running ${id} (${runner}) did not stop it`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const aborted = c.logs().find((l) => l.msg === 'Job:Aborted' && l.jobId === id)!;
    assert.equal(aborted.nodeId, runner);
    assert.equal(aborted.reason, 'deleted');
    assert.deepEqual((await c.storage.ledger.credits('deleter')).map((r) => r.kind), ['hold', 'release']);
    assert.equal(completions(id).length, 0);
  });

  it('finish elsewhere, after the lease, the job of a node killed with SIGKILL; the node restarted takes nothing back', async () => {
    const key = await c.makeKey('crashy');
    const id = await create(1, { ...bigJob, organization_id: 'crashy' }, key);
    let victim = -1;
    for (let poll = 0; victim < 0; poll++) {
      const row = (await c.storage.jobs.get(id))!;
      if (row.status === 'running' && row.lease_owner) victim = [0, 1, 2].find((i) => c.nodeId(i) === row.lease_owner)!;
      assert.ok(poll < 2000 && row.status !== 'completed', `job ${row.status} before the kill`);
      await new Promise((r) => setTimeout(r, 10));
    }
    const firstAttempt = (await c.storage.jobs.get(id))!.attempts;
    await c.stop(victim, 'SIGKILL');
    const done = await finished(id, key);
    assert.equal(done.status, 'completed');
    const row = (await c.storage.jobs.get(id))!;
    assert.ok(row.attempts > firstAttempt, `claimed again (attempt ${row.attempts} after ${firstAttempt})`);
    const [completed, ...more] = completions(id);
    assert.equal(more.length, 0, 'completed once');
    assert.notEqual(completed!.nodeId, c.nodeId(victim), 'by another node');
    assert.deepEqual((await c.storage.ledger.credits('crashy')).map((r) => r.kind), ['hold', 'capture']);
    for (const o of await c.storage.jobs.outputs(id)) assert.equal(await sha256Of(o.rel_path), o.sha256);
    // Back with the same node id: its lease is no longer on the job, so it queues nothing again.
    await c.start(victim);
    const again = await json(c.op(victim, 'clip.job.get', { job_id: id }, { key }));
    assert.equal(again.status, 'completed');
    assert.equal((await c.storage.jobs.get(id))!.attempts, row.attempts);
  });

  it('answer /metrics on every node: its own node id, and the same jobs by state and queue (the database\'s)', { skip: skipUnlessPromParser }, async () => {
    const scrapes = await Promise.all([0, 1, 2].map(async (i) => parseMetrics(await (await fetch(`${c.node(i).url}/metrics`)).text()).samples));
    assert.deepEqual(scrapes.map((s) => s.find((x) => x.name === 'geopera_node_info')!.labels.node_id), [0, 1, 2].map((i) => c.nodeId(i)));
    const completed = (await c.storage.jobs.stats()).byStatus.completed;
    for (const s of scrapes) {
      assert.equal(valueOf(s, 'geopera_jobs', { state: 'completed' }), completed);
      assert.equal(valueOf(s, 'geopera_queue_depth'), 0);
      assert.equal(s.find((x) => x.name === 'geopera_node_info')!.labels.database, 'postgres');
    }
  });
});
