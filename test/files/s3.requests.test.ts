/**
 * Requests a real S3 server (Ceph RGW) receives, counted by the store (never timed): concurrent readers of
 * a chunk share one GET, a replaced object is noticed (If-Match answers 412) and read afresh, and the
 * catalog reads a mosaic's headers once per version, listing the bucket on each request.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AreaCatalog } from '../../src/catalog/area.catalog.js';
import type { S3FileStore } from '../../src/files/s3.store.js';
import { testFiles, testStoreKind, type TestFiles } from '../support/files.js';
import { repoRoot } from '../support/gdal.js';

const skip = testStoreKind === 's3' ? false : 'needs the S3 server: runs in npm test\'s RGW pass (GEOPERA_TEST_FILES=s3)';

describe('requests to the S3 server', { skip }, () => {
  let dataDir: string;
  let files: TestFiles;
  let store: S3FileStore;
  const gets = (): number => store.calls.GetObjectCommand ?? 0;
  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'geopera-s3req-'));
    files = await testFiles(dataDir);
    store = files.store as S3FileStore;
  });
  after(async () => {
    await files.cleanup();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('serves 8 concurrent readers of one chunk with one GET, then from memory', async () => {
    const bytes = randomBytes(1024 * 1024);
    const file = await store.put('areas/c/mosaics/visual.tif', bytes);
    const source = await store.openSource(file.key, file);
    const before = gets();
    const reads = await Promise.all(Array.from({ length: 8 }, (_, i) => source.read(300_000 + i * 1000, 500)));
    assert.equal(gets() - before, 1);
    reads.forEach((r, i) => assert.deepEqual(Buffer.from(r), bytes.subarray(300_000 + i * 1000, 300_500 + i * 1000)));
    await source.read(262_144, 100);
    assert.equal(gets() - before, 1, 'the chunk is held');
    // A read over chunks 0..3: chunk 1 is held; 0 and 2..3 are fetched by one GET each (two runs).
    assert.deepEqual(Buffer.from(await source.read(1000, bytes.length - 2000)), bytes.subarray(1000, bytes.length - 1000));
    assert.equal(gets() - before, 3);
  });

  it('notices a replaced object: the old version fails with source_changed (412), the new one is read afresh', async () => {
    const file = await store.put('areas/c/mosaics/analytic.tif', randomBytes(600_000));
    const old = await store.openSource(file.key, file);
    await old.read(0, 100);
    const fresh = randomBytes(600_000);
    const replaced = await store.put('areas/c/mosaics/analytic.tif', fresh);
    assert.notEqual(replaced.version, file.version);
    const before = gets();
    await assert.rejects(old.read(500_000, 100), (e: { code?: string; message?: string }) => e.code === 'source_changed' && /^areas\/c\/mosaics\/analytic\.tif was replaced/.test(e.message ?? ''));
    const now = await store.openSource(replaced.key, replaced);
    assert.deepEqual(Buffer.from(await now.read(0, 100)), fresh.subarray(0, 100), 'chunk 0 of the new version is not the old one held in memory');
    assert.equal(gets() - before, 2);
  });

  it('reads a mosaic\'s headers once per version: listing the areas again costs one listing, no GET', async () => {
    await store.put('areas/demo/mosaics/visual.tif', await readFile(path.join(repoRoot, 'data/areas/demo-valley/mosaics/visual.tif')));
    await store.put('areas/demo/area.json', JSON.stringify({ title: 'Demo' }));
    const catalog = new AreaCatalog(store);
    const first = await catalog.listAreas();
    assert.equal(first.find((a) => a.id === 'demo')?.error, undefined);
    const [g, l] = [gets(), store.calls.ListObjectsV2Command ?? 0];
    await catalog.listAreas();
    assert.equal(gets() - g, 0);
    assert.equal((store.calls.ListObjectsV2Command ?? 0) - l, 1);
  });
});
