/**
 * What every file store promises, run on the store of this test pass: the local data directory, and (npm
 * test's second pass, `GEOPERA_TEST_FILES=s3`) a real S3 server, Ceph RGW. Same tests; where only one
 * store can show a property (S3 request counts, keys that would leave the prefix), the test says so.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import { after, before, describe, it } from 'node:test';
import type { FileStore } from '../../src/files/file.store.js';
import type { S3FileStore } from '../../src/files/s3.store.js';
import { testFiles, testStoreKind, type TestFiles } from '../support/files.js';

const fails = (code: string, pattern?: RegExp) => (e: { code?: string; message?: string }): boolean =>
  e.code === code && (!pattern || pattern.test(e.message ?? ''));

describe(`file store contract (${testStoreKind})`, () => {
  let dataDir: string;
  let files: TestFiles;
  let store: FileStore;
  const s3 = (): S3FileStore => store as S3FileStore;
  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'geopera-files-'));
    // Small pages and parts, so paging and multipart uploads happen with small files.
    files = await testFiles(dataDir, testStoreKind, { listPageSize: 2, upload: { multipartBytes: 6 * 1024 * 1024, partBytes: 5 * 1024 * 1024, concurrency: 2 } });
    store = files.store;
  });
  after(async () => {
    await files.cleanup();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('reads back what it stores; a missing file is undefined, not an error', async () => {
    const put = await store.put('areas/a/area.json', '{"title":"A"}');
    assert.equal(put.key, 'areas/a/area.json');
    assert.equal(put.size, 13);
    assert.equal(Buffer.from((await store.read('areas/a/area.json'))!).toString(), '{"title":"A"}');
    assert.deepEqual(await store.stat('areas/a/area.json'), { key: 'areas/a/area.json', size: 13, version: put.version });
    assert.equal(await store.read('areas/a/nothing.json'), undefined);
    assert.equal(await store.stat('areas/a/nothing.json'), undefined);
  });

  it('gives a file a new version when it is replaced', async () => {
    const a = await store.put('areas/v/area.json', 'one');
    const b = await store.put('areas/v/area.json', 'two!');
    assert.notEqual(a.version, b.version);
    assert.equal((await store.stat('areas/v/area.json'))!.version, b.version);
  });

  it('lists a prefix sorted, to a depth, without hidden files, across pages', async () => {
    for (const k of ['areas/l/mosaics/b.tif', 'areas/l/mosaics/a.tif', 'areas/l/area.json', 'areas/l/.hidden', 'areas/l/deep/er/x.tif', 'areas/m/area.json']) await store.put(k, k);
    const calls = testStoreKind === 's3' ? s3().calls.ListObjectsV2Command ?? 0 : 0;
    const listed = await store.list('areas/l/', 2);
    const pages = testStoreKind === 's3' ? (s3().calls.ListObjectsV2Command ?? 0) - calls : 0;
    assert.deepEqual(listed.map((f) => f.key), ['areas/l/area.json', 'areas/l/mosaics/a.tif', 'areas/l/mosaics/b.tif']);
    assert.ok(listed.every((f) => f.size === f.key.length && f.version));
    assert.deepEqual((await store.list('areas/l/', 1)).map((f) => f.key), ['areas/l/area.json']);
    assert.deepEqual(await store.list('areas/none/', 3), []);
    if (testStoreKind === 's3') {
      // 5 objects under the prefix (the hidden and deep ones are filtered after listing) in pages of 2: 3 requests.
      assert.equal(pages, 3);
    }
  });

  it('opens a file as the engine\'s Source: exact ranges, named by its key, a range past the end refused', async () => {
    const bytes = randomBytes(700_000);
    const file = await store.put('areas/s/mosaics/visual.tif', bytes);
    const source = await store.openSource(file.key, file);
    try {
      assert.equal(source.path, 'areas/s/mosaics/visual.tif');
      assert.equal(source.size, bytes.length);
      for (const [offset, length] of [[0, 8], [262_140, 10], [100, 600_000], [699_990, 10]] as const) {
        assert.deepEqual(Buffer.from(await source.read(offset, length)), bytes.subarray(offset, offset + length));
      }
      await assert.rejects(source.read(699_995, 10), fails('truncated_tiff', /^areas\/s\/mosaics\/visual\.tif: bytes/));
    } finally {
      await source.close();
    }
    await assert.rejects(store.openSource('areas/s/mosaics/missing.tif'), fails('not_found', /^areas\/s\/mosaics\/missing\.tif: no such file$/));
  });

  it('never mixes two versions: a source opened before a replacement reads the old bytes or fails with source_changed', async () => {
    const old = randomBytes(300_000);
    const file = await store.put('areas/r/mosaics/visual.tif', old);
    const source = await store.openSource(file.key, file);
    await source.read(0, 16);
    const fresh = randomBytes(300_000);
    await store.put('areas/r/mosaics/visual.tif', fresh);
    try {
      const got = Buffer.from(await source.read(280_000, 1000));
      assert.deepEqual(got, old.subarray(280_000, 281_000));
    } catch (err) {
      assert.equal((err as { code?: string }).code, 'source_changed');
      assert.match((err as Error).message, /^areas\/r\/mosaics\/visual\.tif was replaced/);
    }
    await source.close();
    const reopened = await store.openSource('areas/r/mosaics/visual.tif');
    assert.deepEqual(Buffer.from(await reopened.read(280_000, 1000)), fresh.subarray(280_000, 281_000));
    await reopened.close();
  });

  it('streams a file whole or a byte range; a missing one fails before any byte', async () => {
    await store.put('jobs/j1/attempt-1/visual.tif', 'abcdefghij');
    assert.equal(await text(await store.stream('jobs/j1/attempt-1/visual.tif')), 'abcdefghij');
    assert.equal(await text(await store.stream('jobs/j1/attempt-1/visual.tif', { start: 2, end: 5 })), 'cdef');
    await assert.rejects(store.stream('jobs/j1/attempt-1/gone.tif'), fails('not_found', /^jobs\/j1\/attempt-1\/gone\.tif/));
  });

  it('stores a staged output whole on commit (a large one in parts), byte-exact', async () => {
    const key = 'jobs/j2/attempt-1/analytic.tif';
    const staged = await store.stage(key);
    const bytes = randomBytes(13 * 1024 * 1024 + 123);
    await writeFile(staged, bytes);
    const before = testStoreKind === 's3' ? s3().calls.UploadPartCommand ?? 0 : 0;
    const stored = await store.commit(key);
    assert.equal(stored.size, bytes.length);
    if (testStoreKind === 's3') assert.equal((s3().calls.UploadPartCommand ?? 0) - before, 3, '13 MiB in 5 MiB parts');
    const back = Buffer.from((await store.read(key))!);
    assert.equal(createHash('sha256').update(back).digest('hex'), createHash('sha256').update(bytes).digest('hex'));
    assert.equal((await store.stat(key))!.size, bytes.length);
  });

  it('discards what was staged and not committed, keeps what was committed', async () => {
    const done = 'jobs/j3/attempt-2/visual.tif';
    await writeFile(await store.stage(done), 'complete');
    await store.commit(done);
    const pending = 'jobs/j3/attempt-2/analytic.tif';
    const tmp = `${await store.stage(pending)}.tmp-abc`; // the engine writes a temp name beside the target
    await writeFile(tmp, 'half');
    await store.discardStaged('jobs/j3/attempt-2/');
    await assert.rejects(readFile(tmp));
    assert.equal(Buffer.from((await store.read(done))!).toString(), 'complete');
  });

  it('leaves no empty job folder staged once the last attempt is discarded, and keeps the others (S3)', { skip: testStoreKind === 's3' ? false : 'a local store stages into the data directory itself' }, async () => {
    const staging = path.join(dataDir, 'staging');
    await writeFile(`${await store.stage('jobs/j7/attempt-1/visual.tif')}.tmp-1`, 'half');
    await writeFile(`${await store.stage('jobs/j7/attempt-2/visual.tif')}.tmp-2`, 'half');
    await writeFile(`${await store.stage('jobs/j8/attempt-1/visual.tif')}.tmp-3`, 'half');
    await store.discardStaged('jobs/j7/attempt-1/');
    assert.deepEqual((await readdir(path.join(staging, 'jobs/j7'))), ['attempt-2'], 'the other attempt stays');
    await store.discardStaged('jobs/j7/attempt-2/');
    assert.deepEqual((await readdir(path.join(staging, 'jobs'))).filter((d) => d === 'j7' || d === 'j8'), ['j8'], 'the job folder goes, the other job stays');
    await store.discardStaged('jobs/j8/attempt-1/');
  });

  it('deletes every file under a prefix and nothing else', async () => {
    for (const k of ['jobs/j4/attempt-1/a.tif', 'jobs/j4/attempt-2/a.tif', 'jobs/j4/attempt-2/b.tif', 'jobs/j40/attempt-1/a.tif']) await store.put(k, 'x');
    assert.equal(await store.deletePrefix('jobs/j4/'), 3);
    assert.deepEqual(await store.list('jobs/j4/', 3), []);
    assert.deepEqual((await store.list('jobs/j40/', 3)).map((f) => f.key), ['jobs/j40/attempt-1/a.tif']);
  });

  it('sweeps what a crash left staged, and no complete output', async () => {
    const key = 'jobs/j5/attempt-1/visual.tif';
    await writeFile(await store.stage(key), 'complete');
    await store.commit(key);
    const leftover = `${await store.stage('jobs/j6/attempt-1/visual.tif')}.tmp-123.L0.spool`;
    await writeFile(leftover, 'spool');
    assert.ok((await store.sweepStaging()) >= 1);
    await assert.rejects(readFile(leftover));
    assert.equal(Buffer.from((await store.read(key))!).toString(), 'complete');
  });

  it('keeps keys inside the bucket prefix (S3)', { skip: testStoreKind === 's3' ? false : 'a local data directory resolves such keys as paths (engine tools pass them)' }, async () => {
    await assert.rejects(store.read('../outside.json'), fails('not_found', /outside the storage prefix/));
    await assert.rejects(store.openSource('../../etc/passwd'), fails('not_found'));
  });

  it('leaves nothing of a local store\'s staging in the data directory but outputs (S3: nothing at all)', async () => {
    const left = await readdir(path.join(dataDir, 'staging'), { recursive: true }).catch(() => [] as string[]);
    assert.deepEqual(left.filter((f) => /\.(tmp|spool)/.test(f)), []);
  });
});
