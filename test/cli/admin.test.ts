/** The admin CLI works on the database directly (SQLite or PostgreSQL): orgs, keys (printed once, stored hashed), revocation, credits. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { authenticate } from '../../src/auth/authenticate.js';
import { freshDatabase, openTestStorage, sqlOf, type TestDatabase } from '../support/backend.js';
import { repoRoot } from '../support/gdal.js';

describe('geopera admin', () => {
  let dataDir: string;
  let database: TestDatabase;
  const cli = (...args: string[]) => spawnSync(process.execPath, [path.join(repoRoot, 'bin/geopera.js'), 'admin', ...args], {
    encoding: 'utf8', env: { ...process.env, GEOPERA_DATA_DIR: dataDir, GEOPERA_FROM_SOURCE: '1', ...database.env },
  });
  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'geopera-admin-'));
    database = await freshDatabase();
  });
  after(async () => {
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('creates and lists organizations', () => {
    const r = cli('org', 'create', 'acme', '--credits-km2', '100', '--egress-bytes', '5000000');
    assert.equal(r.status, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { credit_limit_km2: number }).credit_limit_km2, 100);
    const list = JSON.parse(cli('org', 'list').stdout) as { id: string; balance: { available_km2: number } }[];
    assert.deepEqual(list.map((o) => o.id), ['acme']);
    assert.equal(list[0]!.balance.available_km2, 100);
    assert.notEqual(cli('org', 'create', 'acme').status, 0, 'duplicate org refused');
  });

  it('creates a key printed alone on the last stdout line, stored only as a hash', async () => {
    const r = cli('key', 'create', '--org', 'acme', '--scopes', 'clip:read,clip:write', '--name', 'ci');
    assert.equal(r.status, 0, r.stderr);
    const key = r.stdout.trim().split('\n').at(-1)!;
    assert.match(key, /^gpra_[0-9A-Za-z]{38}$/);
    const storage = await openTestStorage(dataDir, database.env);
    try {
      const p = await authenticate(storage, key);
      assert.equal(p.orgId, 'acme');
      assert.deepEqual([...p.scopes].sort(), ['clip:read', 'clip:write']);
      const dump = JSON.stringify(await sqlOf(storage).all('SELECT * FROM api_keys'));
      assert.ok(!dump.includes(key), 'the key itself is not stored');
    } finally {
      await storage.close();
    }
    const listed = JSON.parse(cli('key', 'list', '--org', 'acme').stdout) as { id: string; hint: string }[];
    assert.equal(listed.length, 1);
    assert.ok(!JSON.stringify(listed).includes(key));

    assert.equal(cli('key', 'revoke', listed[0]!.id).status, 0);
    const storage2 = await openTestStorage(dataDir, database.env);
    try {
      await assert.rejects(authenticate(storage2, key), (e: { code?: string }) => e.code === 'invalid_credentials');
    } finally {
      await storage2.close();
    }
  });

  it('refuses unknown scopes and orgs with a message and exit 1', () => {
    const r = cli('key', 'create', '--org', 'acme', '--scopes', 'clip:everything');
    assert.equal(r.status, 1);
    assert.match(r.stderr, /Unknown scope/);
    assert.equal(cli('key', 'create', '--org', 'nobody', '--scopes', 'clip:read').status, 1);
  });

  it('grants credits and shows the ledger', () => {
    const r = cli('org', 'credits', 'acme', '--add', '25');
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { balance: { available_km2: number }; ledger: { kind: string }[] };
    assert.equal(out.balance.available_km2, 125);
    assert.deepEqual(out.ledger.map((l) => l.kind), ['grant']);
  });
});
