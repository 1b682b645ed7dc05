/**
 * Copying local files into S3 as `geopera admin migrate --to-storage` does: the checksums computed ahead
 * of an upload are the ones the server computes (its ETag, single PUT and multipart), so a copy is verified
 * by the server's own arithmetic and a second copy finds the object present. Against the real Ceph RGW of
 * npm test's second pass; the digest alone against node's own MD5 in the first.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { copyFileToS3, digestFile, storedSha256 } from '../../src/files/s3.copy.js';
import type { S3FileStore } from '../../src/files/s3.store.js';
import { testFiles, testStoreKind, type TestFiles } from '../support/files.js';

const MiB = 1024 * 1024;
/** RGW's smallest part is 5 MiB: a 12 MiB file goes up in parts of 5, 5 and 2. */
const Upload = { multipartBytes: 6 * MiB, partBytes: 5 * MiB, concurrency: 2 };

describe('copying files into S3 (admin migrate)', { timeout: 120_000 }, () => {
  let dir: string;
  let small: string;
  let large: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'geopera-s3copy-'));
    small = path.join(dir, 'small.tif');
    large = path.join(dir, 'large.tif');
    await writeFile(small, randomBytes(300_000));
    await writeFile(large, randomBytes(12 * MiB));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('digests a file in one read: its sha256, and the MD5s and ETag of its upload parts', async () => {
    const bytes = randomBytes(12 * MiB);
    await writeFile(large, bytes);
    const d = await digestFile(large, Upload);
    const md5 = (b: Buffer) => createHash('md5').update(b).digest();
    const parts = [bytes.subarray(0, 5 * MiB), bytes.subarray(5 * MiB, 10 * MiB), bytes.subarray(10 * MiB)];
    assert.equal(d.sha256, createHash('sha256').update(bytes).digest('hex'));
    assert.deepEqual(d.md5s, parts.map((p) => md5(p).toString('base64')));
    assert.equal(d.etag, `"${createHash('md5').update(Buffer.concat(parts.map(md5))).digest('hex')}-3"`);
    const one = await digestFile(small, Upload);
    assert.equal(one.etag, `"${createHash('md5').update(await readFile(small)).digest('hex')}"`);
  });

  describe('on the S3 server', { skip: testStoreKind === 's3' ? false : 'needs the S3 server of npm test\'s second pass' }, () => {
    let files: TestFiles;
    let store: S3FileStore;
    before(async () => {
      files = await testFiles(dir, 's3', { upload: Upload });
      store = files.store as S3FileStore;
    });
    after(() => files?.cleanup());

    it('uploads with Content-MD5 and its sha256 in metadata; the server\'s ETag equals ours (single PUT and multipart); a second copy finds it present', async () => {
      for (const [file, key] of [[small, 'areas/a/mosaics/small.tif'], [large, 'areas/a/mosaics/large.tif']] as const) {
        const uploads = store.calls.UploadPartCommand ?? 0;
        const first = await copyFileToS3(store, file, key);
        assert.deepEqual([first.outcome, first.verified], ['copied', 'etag'], key);
        assert.equal(first.sha256, await storedSha256(store, key));
        assert.equal((await store.head(key))!.sha256, first.sha256);
        if (file === large) assert.equal(store.calls.UploadPartCommand! - uploads, 3);
        const second = await copyFileToS3(store, file, key);
        assert.deepEqual([second.outcome, second.verified], ['present', 'etag']);
      }
    });

    it('replaces an object that holds other bytes under the key', async () => {
      await store.put('catalog/items/x.json', '{"other": true}');
      const c = await copyFileToS3(store, small, 'catalog/items/x.json');
      assert.deepEqual([c.outcome, c.verified], ['replaced', 'etag']);
      assert.equal(await storedSha256(store, 'catalog/items/x.json'), c.sha256);
    });
  });
});
