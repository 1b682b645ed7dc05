/**
 * `geopera admin migrate`: a single node's SQLite database copied into PostgreSQL, ids kept, verified by
 * counts and checksums, and safe to run again. Runs in npm test's PostgreSQL pass.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { authenticate } from '../../src/auth/authenticate.js';
import { createApiKey } from '../../src/auth/key.service.js';
import { Scopes } from '../../src/auth/scopes.js';
import { freshDatabase, openTestStorage, testDatabaseUrl, type TestDatabase } from '../support/backend.js';
import { repoRoot } from '../support/gdal.js';

describe('geopera admin migrate', { skip: testDatabaseUrl ? false : 'needs PostgreSQL (npm test runs it in its PostgreSQL pass)' }, () => {
  let dataDir: string;
  let database: TestDatabase;
  let key: string;
  const migrate = () => spawnSync(process.execPath, [path.join(repoRoot, 'bin/geopera.js'), 'admin', 'migrate', '--to', database.env.GEOPERA_DATABASE_URL!], {
    encoding: 'utf8', env: { ...process.env, GEOPERA_DATA_DIR: dataDir, GEOPERA_FROM_SOURCE: '1', GEOPERA_DATABASE_URL: '' },
  });
  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'geopera-migrate-'));
    database = await freshDatabase();
    // A single node's history: orgs, a key and its sessions, a completed job with outputs, ledgers, a stored idempotent answer.
    const lite = await openTestStorage(dataDir, {});
    await lite.orgs.create({ id: 'acme', creditLimitKm2: 50, egressLimitBytes: 10_000 });
    key = (await createApiKey(lite, { orgId: 'acme', scopes: Scopes })).key;
    const reservation = (await lite.idempotency.reserve({ org_id: 'acme', key: 'k1', operation: 'clip.create_from_area', fingerprint: 'fp' }, 86_400_000, 120_000))!;
    const job = await lite.jobs.create({
      job: { id: 'job_a', org_id: 'acme', key_id: null, kind: 'area', area: 'demo', source_item_id: null, outputs_requested: '["visual"]', aoi: '{}', aoi_name: 'é ü', project_id: null, output_name: null, cost_km2: 1.25 },
      checkHold: () => {}, idempotency: { reservation, answer: (r) => JSON.stringify({ job: r.id }) },
    });
    const claimed = (await lite.jobs.claim('node-a', 60_000))!;
    await lite.jobs.complete(job.id, { owner: 'node-a', attempt: claimed.attempts }, [{ output_key: 'visual', file_name: 'a.tif', rel_path: 'jobs/job_a/visual.tif', size_bytes: 1234, sha256: 'ab'.repeat(32), media_type: 'image/tiff', info: '{"bands":3}' }], '{}');
    const r = await lite.ledger.reserveEgress({ org_id: 'acme', job_id: 'job_a', output_key: 'visual', key_id: null, bytes: 1234, range: null, user_agent: 'ua', requester_ip: '203.0.113.7' });
    if (r.ok) await lite.ledger.settleEgress(r.id, 1000);
    await lite.ledger.grant('acme', 5, 'admin grant');
    await lite.settings.getOrCreate('url_secret', () => 'the-secret');
    await lite.close();
  });
  after(async () => {
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('copies every table, keeps ids, and verifies counts and checksums', async () => {
    const r = migrate();
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout) as { tables: { table: string; source: number; copied: number; target: number; same: boolean }[] };
    assert.ok(report.tables.every((t) => t.same && t.source === t.target && t.copied === t.source), JSON.stringify(report.tables));
    assert.deepEqual(report.tables.filter((t) => t.source > 0).map((t) => t.table).sort(),
      ['api_keys', 'credit_ledger', 'egress_ledger', 'idempotency_records', 'job_outputs', 'jobs', 'organizations', 'settings']);
    const pg = await openTestStorage(dataDir, database.env);
    try {
      assert.equal((await authenticate(pg, key)).orgId, 'acme', 'keys work on the new database');
      assert.equal((await pg.jobs.get('job_a'))!.status, 'completed');
      assert.equal((await pg.idempotency.get('acme', 'k1'))!.body!.toString(), '{"job":"job_a"}');
      assert.equal(await pg.settings.get('url_secret'), 'the-secret', 'links made before the move still verify');
      const before = await pg.ledger.credits('acme');
      await pg.ledger.grant('acme', 1, 'after the move');
      const ids = (await pg.ledger.credits('acme')).map((c) => c.id);
      assert.equal(new Set(ids).size, before.length + 1, 'new ledger rows continue past the copied ids');
      assert.ok(ids.at(-1)! > Math.max(...before.map((c) => c.id)));
    } finally {
      await pg.close();
    }
  });

  it('run again: copies nothing more; a table changed on one side since is reported', async () => {
    const again = migrate();
    const report = JSON.parse(again.stdout) as { tables: { table: string; copied: number; same: boolean }[] };
    assert.ok(report.tables.every((t) => t.copied === 0), JSON.stringify(report.tables));
    // The test before used the key (its last use is recorded) and granted credits on PostgreSQL.
    assert.equal(again.status, 1);
    assert.deepEqual(report.tables.filter((t) => !t.same).map((t) => t.table), ['api_keys', 'credit_ledger']);
    assert.match(again.stderr, /credit_ledger/);
  });
});
