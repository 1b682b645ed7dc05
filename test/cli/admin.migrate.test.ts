/**
 * `geopera admin migrate`: a single node's SQLite database copied into PostgreSQL, ids kept, verified by
 * counts and checksums, and safe to run again; its files copied into an S3 bucket prefix, verified, and
 * served by a node on the new engines. Runs in npm test's second pass (PostgreSQL and Ceph RGW).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { authenticate } from '../../src/auth/authenticate.js';
import { createApiKey } from '../../src/auth/key.service.js';
import { Scopes } from '../../src/auth/scopes.js';
import { LocalFileStore } from '../../src/files/local.store.js';
import { tileForLonLat } from '../../src/tiles/tile.grid.js';
import { freshDatabase, openTestStorage, testDatabaseUrl, type TestDatabase } from '../support/backend.js';
import { startChildServer } from '../support/child.server.js';
import { DemoBbox } from '../support/fault.tools.js';
import { readStored, s3TestSettings, testFiles, type TestFiles } from '../support/files.js';
import { repoRoot, run, skipUnlessGdal } from '../support/gdal.js';
import { aoiInside, startTestServer, waitForJob } from '../support/harness.js';

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

/**
 * The whole install moved up: a single node (SQLite, files in its data directory) with jobs, then
 * `geopera admin migrate --to postgres://… --to-storage s3://BUCKET/PREFIX` against the real PostgreSQL
 * and Ceph RGW of npm test's second pass; a node started on them serves what the old one did. GDAL reads
 * the copied outputs from the bucket as an independent S3 client.
 */
describe('geopera admin migrate --to-storage (files into S3)', { skip: testDatabaseUrl && s3TestSettings() ? false : 'needs PostgreSQL and the S3 server (npm test runs it in its second pass)', timeout: 300_000 }, () => {
  let dataDir: string;
  let database: TestDatabase;
  let bucketFiles: TestFiles;
  let storageUrl: string;
  const jobs: string[] = [];
  let oldLink = '';
  const migrate = (...args: string[]) => spawnSync(process.execPath, [path.join(repoRoot, 'bin/geopera.js'), 'admin', 'migrate', ...args], {
    encoding: 'utf8', env: { ...process.env, GEOPERA_DATA_DIR: dataDir, GEOPERA_FROM_SOURCE: '1', GEOPERA_DATABASE_URL: '', GEOPERA_STORAGE_URL: '' },
  });
  type Report = { tables?: { same: boolean; copied: number }[]; files: { groups: { group: string; files: number; present: number; copied: number; replaced: number; bytes_copied: number; verified: number }[]; unrecorded_job_files: number; problems: string[] } };
  const group = (r: Report, name: string) => r.files.groups.find((g) => g.group === name)!;

  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'geopera-moveup-'));
    database = await freshDatabase();
    // The target prefix: an empty world of the test bucket (its store reads and cleans it).
    bucketFiles = await testFiles(await mkdtemp(path.join(os.tmpdir(), 'geopera-moveup-s3-')), 's3');
    storageUrl = bucketFiles.env.GEOPERA_STORAGE_URL!;
    // A single node's data directory: the sample area (linked in, as operators do), the sample item and an
    // item whose asset lies elsewhere in the data directory.
    await symlink(path.join(repoRoot, 'data/areas'), path.join(dataDir, 'areas'));
    await mkdir(path.join(dataDir, 'catalog/items'), { recursive: true });
    await symlink(path.join(repoRoot, 'data/catalog/items/demo-valley-2025.json'), path.join(dataDir, 'catalog/items/demo-valley-2025.json'));
    await mkdir(path.join(dataDir, 'imagery'));
    await copyFile(path.join(repoRoot, 'test/fixtures/raster/u8_sparse_3857_deflate_cog.tif'), path.join(dataDir, 'imagery/extra.tif'));
    await writeFile(path.join(dataDir, 'catalog/items/extra.json'), JSON.stringify({ type: 'Feature', stac_version: '1.0.0', id: 'extra', geometry: null, properties: { datetime: '2025-01-01T00:00:00Z' }, assets: { data: { href: '../../imagery/extra.tif', type: 'image/tiff; application=geotiff' } } }));
    const node = await startTestServer({ dataDir, singleNode: true });
    try {
      for (const [i, types] of [['visual'], ['visual', 'analytic'], ['visual']].entries()) {
        const res = await node.op('clip.create_from_area', { area: 'demo-valley', mosaic_types: types, aoi_geometry: aoiInside(DemoBbox, 0.1 + i * 0.05), organization_id: 'acme' });
        jobs.push(((await res.json()) as { job: { id: string } }).job.id);
      }
      for (const id of jobs) assert.equal((await waitForJob(node, id)).status, 'completed');
      // A link handed out before the move, and a deleted job (its files and rows stay behind).
      oldLink = ((await (await node.op('clip.job.downloads', { job_id: jobs[0] })).json()) as { items: { url: string }[] }).items[0]!.url;
      assert.equal((await node.op('clip.job.delete', { job_id: jobs[2] })).status, 200);
    } finally {
      await node.close();
    }
    // A leftover no job records (an abandoned attempt).
    await mkdir(path.join(dataDir, `jobs/${jobs[0]}/attempt-9`), { recursive: true });
    await writeFile(path.join(dataDir, `jobs/${jobs[0]}/attempt-9/visual.tif`), 'half a file');
  });
  after(async () => {
    await bucketFiles?.cleanup();
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('copies the tables, the areas, the catalog with its assets and every live job output; verifies each file and reads the outputs back against their sha256', async () => {
    const r = migrate('--to', database.env.GEOPERA_DATABASE_URL!, '--to-storage', storageUrl);
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout) as Report;
    assert.ok(report.tables!.every((t) => t.same), JSON.stringify(report.tables));
    assert.deepEqual(report.files.problems, []);
    const areaFiles = (await readdir(path.join(repoRoot, 'data/areas'), { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).length;
    assert.deepEqual(group(report, 'areas'), { group: 'areas', files: areaFiles, present: 0, copied: areaFiles, replaced: 0, bytes_copied: group(report, 'areas').bytes_copied, verified: areaFiles });
    assert.equal(group(report, 'catalog').copied, 2);
    assert.deepEqual([group(report, 'assets').files, group(report, 'assets').verified], [1, 1], 'the asset outside areas/ and catalog/');
    assert.deepEqual([group(report, 'outputs').files, group(report, 'outputs').verified], [3, 3], 'the outputs of the two live jobs, not the deleted one\'s');
    assert.equal(report.files.unrecorded_job_files, 1);
    // Independently: the bucket holds the same keys as the data directory, and GDAL reads each output from it.
    const store = bucketFiles.store;
    assert.deepEqual((await store.list('areas/', Infinity)).map((f) => f.key), (await new LocalFileStore(dataDir).list('areas/', Infinity)).map((f) => f.key));
    assert.ok(await store.stat('imagery/extra.tif'));
    assert.equal((await store.list(`jobs/${jobs[2]}/`, Infinity)).length, 0);
    const pg = await openTestStorage(dataDir, database.env);
    try {
      for (const id of jobs.slice(0, 2)) {
        for (const o of await pg.jobs.outputs(id)) {
          assert.equal(createHash('sha256').update(await readStored(store, o.rel_path)).digest('hex'), o.sha256);
          if (!skipUnlessGdal) assert.equal(run('gdalinfo', ['-checksum', bucketFiles.gdalPath(o.rel_path)]).match(/Checksum=\d+/g)!.join(), run('gdalinfo', ['-checksum', path.join(dataDir, o.rel_path)]).match(/Checksum=\d+/g)!.join());
        }
      }
    } finally {
      await pg.close();
    }
  });

  it('run again: finds every file present and copies nothing; a changed object is copied again', async () => {
    const again = JSON.parse(migrate('--to-storage', storageUrl).stdout) as Report;
    assert.ok(again.files.groups.every((g) => g.present === g.files && g.copied === 0 && g.replaced === 0 && g.verified === g.files), JSON.stringify(again.files.groups));
    await bucketFiles.store.put('areas/demo-valley/area.json', '{"title": "someone else\'s"}');
    const r = migrate('--to-storage', storageUrl);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(group(JSON.parse(r.stdout) as Report, 'areas').replaced, 1);
    assert.deepEqual(await readStored(bucketFiles.store, 'areas/demo-valley/area.json'), await readFile(path.join(dataDir, 'areas/demo-valley/area.json')));
  });

  it('a node on PostgreSQL and the bucket serves the moved install: areas, jobs, downloads, tiles, and links made before the move', async () => {
    const node = await startChildServer({ GEOPERA_DATA_DIR: await mkdtemp(path.join(os.tmpdir(), 'geopera-moved-')), ...database.env, ...bucketFiles.env, GEOPERA_NODE_ID: 'moved-1' });
    try {
      const pg = await openTestStorage(dataDir, database.env);
      const key = (await createApiKey(pg, { orgId: 'acme', scopes: Scopes })).key;
      await pg.close();
      const call = (op: string, body: unknown) => fetch(`${node.url}/v1/op/${op}`, { method: 'POST', headers: { 'x-api-key': key, 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body) });
      const listed = await call('clip.areas.list', {});
      const areas = (await listed.json()) as { items: { id: string; error?: unknown }[] };
      assert.equal(listed.status, 200, JSON.stringify(areas));
      assert.deepEqual(areas.items.map((a) => [a.id, a.error ?? null]), [['demo-valley', null]]);
      const list = (await (await call('clip.jobs.list', { organization_id: 'acme' })).json()) as { items: { id: string; status: string }[] };
      assert.deepEqual(list.items.map((j) => j.status), ['completed', 'completed']);
      const [d] = ((await (await call('clip.job.downloads', { job_id: jobs[1] })).json()) as { items: { url: string; sha256: string }[] }).items;
      const bytes = Buffer.from(await (await fetch(d!.url)).arrayBuffer());
      assert.equal(createHash('sha256').update(bytes).digest('hex'), d!.sha256);
      const moved = new URL(oldLink);
      const viaOld = await fetch(`${node.url}${moved.pathname}${moved.search}`);
      assert.equal(viaOld.status, 200, 'the URL secret moved with the database');
      await viaOld.arrayBuffer();
      const info = (await (await call('clip.job.tile_info', { job_id: jobs[0] })).json()) as { tiles: string[]; bounds: number[]; maxzoom: number };
      const t = tileForLonLat((info.bounds[0]! + info.bounds[2]!) / 2, (info.bounds[1]! + info.bounds[3]!) / 2, info.maxzoom);
      assert.equal((await fetch(info.tiles[0]!.replace('{z}', String(t.z)).replace('{x}', String(t.x)).replace('{y}', String(t.y)))).status, 200);
    } finally {
      node.child.kill('SIGTERM');
      await node.exited;
    }
  });

  it('refuses to vouch for an output whose file no longer matches the sha256 its job recorded (exit 1, named)', async () => {
    const pg = await openTestStorage(dataDir, database.env);
    const [out] = await pg.jobs.outputs(jobs[0]!);
    await pg.close();
    const file = path.join(dataDir, out!.rel_path);
    const bytes = await readFile(file);
    bytes[bytes.length - 1] ^= 0xff;
    await writeFile(file, bytes);
    const r = migrate('--to-storage', storageUrl);
    assert.equal(r.status, 1);
    assert.match(r.stderr, new RegExp(`${out!.rel_path}: the file in the data directory does not match the sha256 its job recorded`));
  });
});
