/**
 * The repository contract: what every engine behind `Storage` must do, run as is on SQLite (npm test's
 * first pass) and on PostgreSQL (its second pass, GEOPERA_TEST_DATABASE_URL). Concurrent calls go through
 * the engine's own concurrency (one SQLite connection; a PostgreSQL pool of several), so "exactly one"
 * below is the engine's guarantee, not the test's scheduling.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { IdempotencyLost } from '../../src/storage/idempotency.store.js';
import type { JobLease, NewJob } from '../../src/storage/job.store.js';
import type { CreditTotals } from '../../src/storage/ledger.store.js';
import type { OrgRow } from '../../src/storage/org.store.js';
import { TableRateCounter } from '../../src/storage/rate.counter.js';
import { openSqlite } from '../../src/storage/sqlite/sqlite.db.js';
import type { Storage } from '../../src/storage/storage.js';
import { freshDatabase, openTestStorage, sqlOf, testBackend, type TestDatabase } from '../support/backend.js';

/** A new empty database of this run's engine, and how to open it again (as another node would). */
async function freshStorage(): Promise<{ storage: Storage; open(): Promise<Storage>; done(): Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'geopera-repo-'));
  const database: TestDatabase = await freshDatabase();
  const open = (): Promise<Storage> => openTestStorage(dir, database.env);
  const storage = await open();
  return {
    storage, open,
    async done() {
      await storage.close();
      await database.drop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

let seq = 0;
function newJob(orgId: string, over: Partial<NewJob> = {}): NewJob {
  seq++;
  return {
    id: `job_${String(seq).padStart(4, '0')}`, org_id: orgId, key_id: null, kind: 'area', area: 'demo', source_item_id: null,
    outputs_requested: '["visual"]', aoi: '{"type":"Point","coordinates":[0,0]}', aoi_name: null, project_id: null, output_name: null, cost_km2: 1, ...over,
  };
}
const anyHold = (): void => {};
const output = (key: string) => ({ output_key: key, file_name: `${key}.tif`, rel_path: `jobs/x/${key}.tif`, size_bytes: 10, sha256: 'ab'.repeat(32), media_type: 'image/tiff', info: null });

describe(`the repository contract (${testBackend})`, () => {
  let s: Storage;
  let env: Awaited<ReturnType<typeof freshStorage>>;
  before(async () => {
    env = await freshStorage();
    s = env.storage;
    await s.orgs.create({ id: 'acme', creditLimitKm2: 10 });
    await s.orgs.create({ id: 'globex' });
  });
  after(() => env.done());

  describe('organizations and keys', () => {
    it('lists orgs in creation order and changes their limits', async () => {
      assert.deepEqual((await s.orgs.list()).map((o) => o.id), ['acme', 'globex']);
      assert.equal(await s.orgs.setLimits('globex', { egressLimitBytes: 5000 }), true);
      assert.deepEqual(await s.orgs.get('globex'), { ...(await s.orgs.get('globex'))!, credit_limit_km2: null, egress_limit_bytes: 5000 });
      assert.equal(await s.orgs.setLimits('nobody', { egressLimitBytes: 1 }), false);
    });

    it('finds a key by hash and id, revokes it with its session tokens, and writes a use at most once a minute', async () => {
      const k = await s.keys.insert({ id: 'key_a', org_id: 'acme', name: 'a', scopes: 'clip:read', hash: 'h'.repeat(64), hint: 'gpra_…' });
      assert.deepEqual(await s.keys.byHash('h'.repeat(64)), k);
      await s.tokens.insert(
        { id: 'tok_1', key_id: 'key_a', kind: 'access', hash: 'a1', scopes: 'clip:read', expires_at: 1000 },
        { id: 'tok_2', key_id: 'key_a', kind: 'refresh', hash: 'r1', scopes: 'clip:read', expires_at: 2000 },
      );
      await s.keys.touch('key_a', 1_000_000);
      const first = (await s.keys.get('key_a'))!.last_used_at;
      await s.keys.touch('key_a', 1_030_000);
      assert.equal((await s.keys.get('key_a'))!.last_used_at, first, 'a second use within the minute writes nothing');
      await s.keys.touch('key_a', 1_061_000);
      assert.notEqual((await s.keys.get('key_a'))!.last_used_at, first);
      assert.equal(await s.keys.revoke('key_a'), true);
      assert.equal(await s.keys.revoke('key_a'), false);
      assert.ok((await s.tokens.byHash('a1'))!.revoked_at);
      assert.ok((await s.tokens.byHash('r1'))!.revoked_at);
      assert.equal(await s.tokens.revokeByHash('a1'), false, 'already revoked');
    });

    it('bootstraps one key even when several nodes try at once', async () => {
      const other = await freshStorage();
      try {
        // Several nodes on PostgreSQL; one SQLite node serves every request through its one connection.
        const extra = testBackend === 'postgres' ? [await other.open(), await other.open()] : [];
        const nodes = [other.storage, ...extra, ...(extra.length ? [] : [other.storage, other.storage])];
        try {
          const made = await Promise.all(nodes.map((n, i) => n.keys.bootstrap({ id: 'default', name: 'Default' }, { id: `key_boot${i}`, org_id: 'default', name: 'bootstrap', scopes: 'clip:read', hash: `boot${i}`, hint: 'x' })));
          assert.deepEqual(made.filter(Boolean).length, 1);
          assert.equal(await other.storage.keys.count(), 1);
        } finally {
          await Promise.all(extra.map((n) => n.close()));
        }
      } finally {
        await other.done();
      }
    });

    it('keeps the first value of a setting that several nodes create at once', async () => {
      const values = await Promise.all(Array.from({ length: 8 }, (_, i) => s.settings.getOrCreate('url_secret', () => `secret-${i}`)));
      assert.equal(new Set(values).size, 1);
      assert.equal(await s.settings.get('url_secret'), values[0]);
    });
  });

  describe('jobs: create, claim, lease, fence', () => {
    it('creates a job with its credit hold in one transaction; a refused hold leaves neither', async () => {
      const job = await s.jobs.create({ job: newJob('acme', { cost_km2: 4 }), checkHold: (org, totals) => assert.equal(org!.credit_limit_km2! - totals.held, 10) });
      assert.equal(job.status, 'queued');
      assert.deepEqual(await s.jobs.get(job.id), job);
      const refused = newJob('acme', { cost_km2: 100 });
      await assert.rejects(s.jobs.create({ job: refused, checkHold: () => { throw new Error('insufficient'); } }), /insufficient/);
      assert.equal(await s.jobs.get(refused.id), undefined);
      const holds = (await s.ledger.credits('acme')).filter((r) => r.kind === 'hold');
      assert.deepEqual(holds.map((r) => [r.job_id, r.amount_km2]), [[job.id, 4]]);
    });

    it('never lets concurrent holds overdraw: each sees the holds committed before it', async () => {
      await s.orgs.create({ id: 'thrifty', creditLimitKm2: 3 });
      const rule = (cost: number) => (org: OrgRow | undefined, t: CreditTotals): void => {
        if (org!.credit_limit_km2! + t.granted - t.held + t.released < cost) throw new Error('insufficient');
      };
      const results = await Promise.allSettled(Array.from({ length: 8 }, () => s.jobs.create({ job: newJob('thrifty', { cost_km2: 1 }), checkHold: rule(1) })));
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 3);
    });

    it('claims oldest first, each job once however many claim at once', async () => {
      await s.orgs.create({ id: 'queue' });
      const ids: string[] = [];
      for (let i = 0; i < 12; i++) ids.push((await s.jobs.create({ job: newJob('queue', { cost_km2: 0 }), checkHold: anyHold })).id);
      // Drain the jobs of the earlier tests first: they are older.
      const claimed: string[] = [];
      const rounds = await Promise.all(Array.from({ length: 30 }, (_, i) => s.jobs.claim(`node-${i % 3}`, 60_000)));
      for (const j of rounds) if (j) claimed.push(j.id);
      const ours = claimed.filter((id) => ids.includes(id));
      assert.equal(new Set(claimed).size, claimed.length, 'no job claimed twice');
      assert.deepEqual([...ours].sort(), ids, 'every queued job claimed');
      assert.equal(await s.jobs.claim('node-0', 60_000), undefined, 'nothing left');
      const first = (await s.jobs.get(ids[0]!))!;
      assert.equal(first.status, 'running');
      assert.equal(first.attempts, 1);
    });

    it('fences a claim by its attempt: after the lease runs out and another node claims, the first can neither beat, complete nor fail', async () => {
      // A queue of its own, on a clock of its own (ms since the epoch, far from now).
      const own = await freshStorage();
      after(() => own.done());
      const s = own.storage;
      await s.orgs.create({ id: 'fence', creditLimitKm2: 100 });
      const job = await s.jobs.create({ job: newJob('fence', { cost_km2: 2 }), checkHold: anyHold });
      const t0 = 10_000_000_000_000;
      const a = (await s.jobs.claim('node-a', 1000, t0))!;
      assert.equal(a.id, job.id);
      const leaseA: JobLease = { owner: 'node-a', attempt: a.attempts };
      assert.equal(await s.jobs.heartbeat(job.id, leaseA, 0.5, 'clipping', 1000, t0 + 500), true);
      assert.equal(await s.jobs.claim('node-b', 1000, t0 + 1000), undefined, 'the lease still runs (renewed at +500 until +1500)');
      const b = (await s.jobs.claim('node-b', 1000, t0 + 1600))!;
      assert.equal(b.id, job.id, 'taken over after the lease ran out');
      assert.equal(b.attempts, a.attempts + 1);
      const leaseB: JobLease = { owner: 'node-b', attempt: b.attempts };
      assert.equal(await s.jobs.heartbeat(job.id, leaseA, 0.9, 'clipping', 1000, t0 + 1700), false);
      assert.equal(await s.jobs.complete(job.id, leaseA, [output('visual')], '{}'), false);
      assert.equal(await s.jobs.fail(job.id, leaseA, { code: 'x', message: 'x' }), false);
      assert.equal(await s.jobs.requeue(job.id, leaseA), false);
      // Same node name, older attempt (a node restarted with a stable GEOPERA_NODE_ID): still fenced.
      assert.equal(await s.jobs.complete(job.id, { owner: 'node-b', attempt: a.attempts }, [output('visual')], '{}'), false);
      assert.deepEqual(await s.jobs.outputs(job.id), [], 'the loser wrote no output');
      assert.equal(await s.jobs.complete(job.id, leaseB, [output('visual'), output('analytic')], '{"visual":{}}'), true);
      const done = (await s.jobs.get(job.id))!;
      assert.equal(done.status, 'completed');
      assert.equal(done.progress, 1);
      assert.equal(done.lease_owner, null);
      assert.deepEqual((await s.jobs.outputs(job.id)).map((o) => o.output_key), ['analytic', 'visual']);
      assert.deepEqual((await s.ledger.credits('fence')).map((r) => r.kind), ['hold', 'capture']);
      assert.equal(await s.jobs.complete(job.id, leaseB, [output('visual')], '{}'), false, 'completes once');
    });

    it('fails a job and releases its hold once; a delete after it releases nothing more', async () => {
      await s.orgs.create({ id: 'fence', creditLimitKm2: 100 });
      const job = await s.jobs.create({ job: newJob('fence', { cost_km2: 3 }), checkHold: anyHold });
      let claimed = await s.jobs.claim('node-a', 60_000);
      while (claimed && claimed.id !== job.id) claimed = await s.jobs.claim('node-a', 60_000);
      assert.equal(await s.jobs.fail(job.id, { owner: 'node-a', attempt: claimed!.attempts }, { code: 'aoi_outside_area', message: 'no' }), true);
      const deleted = (await s.jobs.delete(job.id))!;
      assert.equal(deleted.before.status, 'failed');
      assert.ok(deleted.after.deleted_at);
      assert.equal(await s.jobs.delete(job.id), undefined, 'deleted once');
      assert.deepEqual((await s.ledger.credits('fence')).filter((r) => r.job_id === job.id).map((r) => r.kind), ['hold', 'release']);
    });

    it('deleting a running job cancels it, releases its hold and ends its lease', async () => {
      const job = await s.jobs.create({ job: newJob('fence', { cost_km2: 1 }), checkHold: anyHold });
      let claimed = await s.jobs.claim('node-a', 60_000);
      while (claimed && claimed.id !== job.id) claimed = await s.jobs.claim('node-a', 60_000);
      const lease = { owner: 'node-a', attempt: claimed!.attempts };
      const results = await Promise.all([s.jobs.delete(job.id), s.jobs.delete(job.id)]);
      assert.equal(results.filter(Boolean).length, 1, 'two deletes at once: one deletes');
      assert.equal((await s.jobs.get(job.id))!.status, 'canceled');
      assert.equal(await s.jobs.heartbeat(job.id, lease, 0.5, 'clipping', 60_000), false, 'the runner hears it at its next heartbeat');
      assert.equal(await s.jobs.complete(job.id, lease, [output('visual')], '{}'), false);
      assert.deepEqual((await s.ledger.credits('fence')).filter((r) => r.job_id === job.id).map((r) => r.kind), ['hold', 'release']);
    });

    it('lists an org\'s live jobs newest first, with a total, by status', async () => {
      await s.orgs.create({ id: 'lister' });
      for (let i = 0; i < 5; i++) await s.jobs.create({ job: newJob('lister', { aoi_name: `n${i}` }), checkHold: anyHold }, 1_000_000 + i);
      const page = await s.jobs.list('lister', { limit: 2, offset: 1 });
      assert.equal(page.total, 5);
      assert.deepEqual(page.rows.map((r) => r.aoi_name), ['n3', 'n2']);
      assert.equal((await s.jobs.list('lister', { status: 'completed', limit: 10, offset: 0 })).total, 0);
    });

    it('at a node\'s start queues again the jobs it was running (all of them on one SQLite node; on several, those its lease names)', async () => {
      const other = await freshStorage();
      try {
        const r = other.storage;
        await r.orgs.create({ id: 'o' });
        for (let i = 0; i < 2; i++) await r.jobs.create({ job: newJob('o'), checkHold: anyHold });
        await r.jobs.claim('node-a', 60_000);
        await r.jobs.claim('node-b', 60_000);
        const requeued = await r.jobs.recover('node-a');
        assert.equal(requeued, testBackend === 'sqlite' ? 2 : 1);
        const statuses = (await r.jobs.list('o', { limit: 10, offset: 0 })).rows.map((j) => `${j.status}:${j.lease_owner ?? ''}`).sort();
        assert.deepEqual(statuses, testBackend === 'sqlite' ? ['queued:', 'queued:'] : ['queued:', 'running:node-b']);
      } finally {
        await other.done();
      }
    });

    it('counts jobs by state for metrics: the queue, the age of its oldest job by the given clock, and running jobs past their lease', async () => {
      const own = await freshStorage();
      try {
        const r = own.storage;
        await r.orgs.create({ id: 'm' });
        const t0 = 9_000_000_000_000;
        assert.deepEqual(await r.jobs.stats(t0), { byStatus: { queued: 0, running: 0, completed: 0, failed: 0, canceled: 0 }, oldestQueuedMs: 0, leaseExpired: 0 });
        const ids: string[] = [];
        for (let i = 0; i < 4; i++) ids.push((await r.jobs.create({ job: newJob('m'), checkHold: anyHold }, t0 + i * 1000)).id);
        const a = (await r.jobs.claim('node-a', 5000, t0 + 10_000))!;
        await r.jobs.complete(a.id, { owner: 'node-a', attempt: a.attempts }, [output('visual')], '{}', t0 + 11_000);
        await r.jobs.claim('node-b', 5000, t0 + 12_000);
        await r.jobs.delete(ids[3]!, t0 + 13_000);
        // Left: job 3 queued since t0 + 2 s; job 2 running on node-b until t0 + 17 s; job 1 completed; job 4 deleted (not counted).
        assert.deepEqual(await r.jobs.stats(t0 + 14_000), { byStatus: { queued: 1, running: 1, completed: 1, failed: 0, canceled: 0 }, oldestQueuedMs: 12_000, leaseExpired: 0 });
        assert.equal((await r.jobs.stats(t0 + 18_000)).leaseExpired, 1, 'node-b stopped renewing');
        assert.deepEqual((await r.jobs.liveOutputs(10)).map((o) => [o.job_id, o.output_key]), [[a.id, 'visual']]);
      } finally {
        await own.done();
      }
    });

    it('pages through the outputs of live completed jobs in (job, output) order', async () => {
      const own = await freshStorage();
      try {
        const r = own.storage;
        await r.orgs.create({ id: 'p' });
        const done: string[] = [];
        for (let i = 0; i < 3; i++) {
          const j = await r.jobs.create({ job: newJob('p'), checkHold: anyHold });
          const c = (await r.jobs.claim('node-a', 60_000))!;
          await r.jobs.complete(c.id, { owner: 'node-a', attempt: c.attempts }, [output('visual'), output('analytic')], '{}');
          done.push(j.id);
        }
        await r.jobs.delete(done[1]!);
        const seen: string[] = [];
        let page = await r.jobs.liveOutputs(3);
        while (page.length > 0) {
          seen.push(...page.map((o) => `${o.job_id}/${o.output_key}`));
          page = await r.jobs.liveOutputs(3, page.at(-1));
        }
        assert.deepEqual(seen, [done[0]!, done[2]!].flatMap((id) => [`${id}/analytic`, `${id}/visual`]));
      } finally {
        await own.done();
      }
    });
  });

  describe('idempotency', () => {
    const rec = { org_id: 'acme', key: 'k1', operation: 'clip.create_from_area', fingerprint: 'fp' };

    it('gives a key to exactly one of many requests at once', async () => {
      const got = await Promise.all(Array.from({ length: 10 }, () => s.idempotency.reserve({ ...rec, key: 'race' }, 60_000, 120_000)));
      assert.equal(got.filter(Boolean).length, 1);
    });

    it('stores the answer with the job; the same key cannot make a second job (unique per org on jobs)', async () => {
      const t1 = 6_000_000_000_000;
      const holds = async (): Promise<number> => (await s.ledger.credits('acme')).filter((x) => x.kind === 'hold').length;
      const holdsBefore = await holds();
      const r = (await s.idempotency.reserve(rec, 60_000, 120_000, t1))!;
      const job = await s.jobs.create({ job: newJob('acme', { cost_km2: 0 }), checkHold: anyHold, idempotency: { reservation: r, answer: (row) => JSON.stringify({ job: row.id }) } });
      const stored = (await s.idempotency.get('acme', 'k1', t1))!;
      assert.equal(stored.state, 'done');
      assert.equal(stored.body!.toString(), JSON.stringify({ job: job.id }));
      // A reservation taken over after the first answered (e.g. it expired) cannot make another job for the key.
      const again = (await s.idempotency.reserve({ ...rec }, 60_000, 120_000, t1 + 60_000))!;
      assert.ok(again, 'an expired record is taken over');
      await assert.rejects(s.jobs.create({ job: newJob('acme', { cost_km2: 0 }), checkHold: anyHold, idempotency: { reservation: again, answer: () => '{}' } }), IdempotencyLost);
      assert.equal(await holds(), holdsBefore + 1, 'and no second hold');
    });

    it('takes over a reservation abandoned longer than the stale age, and only its holder completes or releases it', async () => {
      const t0 = 5_000_000_000_000;
      const first = (await s.idempotency.reserve({ ...rec, key: 'stale' }, 60_000, 1000, t0))!;
      assert.equal(await s.idempotency.reserve({ ...rec, key: 'stale' }, 60_000, 1000, t0 + 500), undefined);
      const second = (await s.idempotency.reserve({ ...rec, key: 'stale' }, 60_000, 1000, t0 + 1500))!;
      assert.notEqual(second.token, first.token);
      await assert.rejects(s.idempotency.complete(first, 200, 'application/json', Buffer.from('{}')), IdempotencyLost);
      await s.idempotency.release(first);
      assert.equal((await s.idempotency.get('acme', 'stale', t0 + 1600))!.token, second.token, 'the old holder released nothing');
      await s.idempotency.complete(second, 200, 'application/json', Buffer.from('{"ok":1}'));
      assert.equal((await s.idempotency.get('acme', 'stale', t0 + 1600))!.body!.toString(), '{"ok":1}');
    });
  });

  describe('egress', () => {
    it('admits downloads while the recorded and reserved bytes are below the quota: concurrent reservations overshoot by less than one', async () => {
      await s.orgs.create({ id: 'metered', egressLimitBytes: 100 });
      const row = { org_id: 'metered', job_id: 'j', output_key: 'visual', key_id: null, bytes: 60, range: null, user_agent: null, requester_ip: null };
      const results = await Promise.all(Array.from({ length: 10 }, () => s.ledger.reserveEgress(row)));
      const granted = results.filter((r) => r.ok);
      assert.equal(granted.length, 2, '0 < 100 and 60 < 100 are admitted; 120 is not');
      const refused = results.find((r) => !r.ok)!;
      assert.deepEqual(refused, { ok: false, usedBytes: 120, limitBytes: 100 });
      // Reconciled with what was actually sent (an aborted download).
      await s.ledger.settleEgress(granted[0]!.ok ? granted[0]!.id : 0, 7);
      assert.equal(await s.ledger.egressTotal('metered'), 67);
      assert.deepEqual((await s.ledger.egress('metered')).map((r) => [r.bytes, r.reserved]).sort(), [[60, 1], [7, 0]].sort());
      assert.equal((await s.ledger.reserveEgress(row)).ok, true, 'room again after the reconcile');
    });
  });

  describe('rate windows', () => {
    it('counts a shared window exactly, however many take at once, and restarts it after it ends', async () => {
      const counter = new TableRateCounter(sqlOf(s));
      const t0 = 7_000_000_000_000;
      const waits = await Promise.all(Array.from({ length: 20 }, () => counter.take('org:acme', 7, 60_000, t0)));
      assert.equal(waits.filter((w) => w === 0).length, 7);
      assert.ok(waits.filter((w) => w > 0).every((w) => w === 60));
      assert.equal(await counter.take('org:acme', 7, 60_000, t0 + 59_500), 1, 'half a second left: wait one');
      assert.equal(await counter.take('org:acme', 7, 60_000, t0 + 60_000), 0, 'a new window');
      assert.equal(await counter.sweep(60_000, t0 + 200_000), 1);
    });

    it('the storage\'s own counter (memory on one SQLite node, the table on PostgreSQL) limits the same way', async () => {
      const t0 = 8_000_000_000_000;
      const waits = await Promise.all(Array.from({ length: 5 }, () => s.rates.take('spend:acme', 3, 60_000, t0)));
      assert.deepEqual(waits.map((w) => w === 0).sort(), [false, false, true, true, true]);
    });
  });

  it('answers a ping and sweeps what has expired', async () => {
    assert.equal(await s.ping(), true);
    await s.sweep();
  });

  it('migrates once when several nodes start on a new database at once', async () => {
    const db = await freshDatabase();
    const dir = await mkdtemp(path.join(os.tmpdir(), 'geopera-repo-'));
    try {
      const nodes = await Promise.all([1, 2, 3].map(() => openTestStorage(dir, db.env)));
      assert.deepEqual(await Promise.all(nodes.map((n) => n.ping())), [true, true, true]);
      if (testBackend === 'postgres') {
        const versions = await sqlOf(nodes[0]!).all<{ version: number }>('SELECT version FROM geopera_schema ORDER BY version');
        assert.deepEqual(versions.map((v) => v.version), [1]);
      }
      await Promise.all(nodes.map((n) => n.close()));
    } finally {
      await db.drop();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('has the same tables and columns on both engines', { skip: testBackend === 'sqlite' ? 'compared in the PostgreSQL pass' : false }, async () => {
    const pgColumns = await sqlOf(s).all<{ table_name: string; column_name: string }>(
      "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> 'geopera_schema' AND column_name <> 'seq'");
    const lite = openSqlite(':memory:');
    try {
      const tables = await lite.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
      const liteColumns: string[] = [];
      for (const t of tables) for (const c of await lite.all<{ name: string }>(`SELECT name FROM pragma_table_info('${t.name}')`)) liteColumns.push(`${t.name}.${c.name}`);
      assert.deepEqual(pgColumns.map((c) => `${c.table_name}.${c.column_name}`).sort(), liteColumns.sort());
    } finally {
      await lite.close();
    }
  });
});
