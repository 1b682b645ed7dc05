/**
 * The file store tests run on. `GEOPERA_TEST_FILES=s3` (with the `AWS_*` settings and `GEOPERA_TEST_S3_BUCKET`
 * that scripts/rgw.sh writes) puts every test world under its own prefix of a real S3 server (Ceph RGW);
 * otherwise a temp data directory on local disk. `npm test` runs the file-sensitive tests once on each
 * (scripts/run-tests.mjs), so they are the same tests, not copies.
 */
import { randomBytes } from 'node:crypto';
import { readdir, readFile, stat, symlink, link as hardLink, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import type { FileStore, StoredFile } from '../../src/files/file.store.js';
import { LocalFileStore } from '../../src/files/local.store.js';
import { createS3Client } from '../../src/files/s3.client.js';
import { S3FileStore, type S3StoreOptions } from '../../src/files/s3.store.js';

/** Which store this run of the tests uses. */
export const testStoreKind: 'local' | 's3' = process.env.GEOPERA_TEST_FILES === 's3' ? 's3' : 'local';

/** The S3 server's settings from the environment (scripts/rgw.sh), or undefined when none is running. */
export function s3TestSettings(): { endpoint: string; accessKeyId: string; secretAccessKey: string; region: string; bucket: string } | undefined {
  const e = process.env;
  const endpoint = e.AWS_ENDPOINT_URL_S3 ?? e.AWS_ENDPOINT_URL;
  if (!endpoint || !e.AWS_ACCESS_KEY_ID || !e.AWS_SECRET_ACCESS_KEY || !e.GEOPERA_TEST_S3_BUCKET) return undefined;
  return { endpoint, accessKeyId: e.AWS_ACCESS_KEY_ID, secretAccessKey: e.AWS_SECRET_ACCESS_KEY, region: e.AWS_REGION ?? 'us-east-1', bucket: e.GEOPERA_TEST_S3_BUCKET };
}

let bucketReady: Promise<void> | undefined;

/** Create the test bucket once per process (an existing one is fine). */
function ensureBucket(s: NonNullable<ReturnType<typeof s3TestSettings>>): Promise<void> {
  bucketReady ??= (async () => {
    const client = createS3Client({ endpoint: s.endpoint, region: s.region, credentials: { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey } });
    try {
      await client.send(new CreateBucketCommand({ Bucket: s.bucket }));
    } catch (err) {
      const name = (err as { name?: string }).name;
      if (name !== 'BucketAlreadyOwnedByYou' && name !== 'BucketAlreadyExists') throw err;
    } finally {
      client.destroy();
    }
  })();
  return bucketReady;
}

/** A test world's files: the store, the environment a server needs to use it, and ways to put files in. */
export interface TestFiles {
  kind: 'local' | 's3';
  store: FileStore;
  /** `GEOPERA_STORAGE_URL` and `AWS_*` for a server (empty for local disk: the data directory is the store) */
  env: Record<string, string>;
  /** Put a local file (or a directory tree) under `key`: a link on disk (`hard` for a hard link), an upload to S3 */
  link(localPath: string, key: string, how?: 'symbolic' | 'hard'): Promise<void>;
  /** The name GDAL opens a stored file by: a local path, or `/vsis3/BUCKET/PREFIX/KEY` (GDAL as an independent S3 client) */
  gdalPath(key: string): string;
  /** Remove the world's objects (S3; a local data directory is removed by its owner) */
  cleanup(): Promise<void>;
}

/**
 * GDAL reads `/vsis3/` with these (path-style, plain HTTP, the test server's endpoint and keys). Set in this
 * process's environment, so every GDAL command a test runs inherits them (no GDAL_DISABLE_READDIR_ON_OPEN: it
 * would also keep GDAL from the `.aux.xml` beside local files).
 */
function gdalS3Env(s: NonNullable<ReturnType<typeof s3TestSettings>>): Record<string, string> {
  return {
    AWS_S3_ENDPOINT: new URL(s.endpoint).host, AWS_HTTPS: 'NO', AWS_VIRTUAL_HOSTING: 'FALSE',
    AWS_ACCESS_KEY_ID: s.accessKeyId, AWS_SECRET_ACCESS_KEY: s.secretAccessKey, AWS_REGION: s.region,
  };
}

/** A fresh store for a world whose data directory is `dataDir` (S3: a unique prefix in the test bucket). */
export async function testFiles(dataDir: string, kind = testStoreKind, opts: S3StoreOptions = {}): Promise<TestFiles> {
  if (kind === 'local') {
    const store = new LocalFileStore(dataDir);
    return {
      kind, store, env: {},
      async link(localPath, key, how = 'symbolic') {
        const to = path.join(dataDir, key);
        await mkdir(path.dirname(to), { recursive: true });
        if (how === 'hard') await hardLink(localPath, to).catch(() => symlink(localPath, to));
        else await symlink(localPath, to);
      },
      gdalPath: (key) => path.join(dataDir, key),
      async cleanup() {},
    };
  }
  const s = s3TestSettings();
  if (!s) throw new Error('GEOPERA_TEST_FILES=s3 needs AWS_ENDPOINT_URL_S3, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and GEOPERA_TEST_S3_BUCKET (scripts/rgw.sh writes them)');
  await ensureBucket(s);
  Object.assign(process.env, gdalS3Env(s));
  const prefix = `t-${randomBytes(6).toString('hex')}`;
  const env = {
    GEOPERA_STORAGE_URL: `s3://${s.bucket}/${prefix}`, AWS_ENDPOINT_URL_S3: s.endpoint, AWS_ACCESS_KEY_ID: s.accessKeyId, AWS_SECRET_ACCESS_KEY: s.secretAccessKey, AWS_REGION: s.region,
  };
  const store = new S3FileStore({
    kind: 's3', bucket: s.bucket, prefix: `${prefix}/`, endpoint: s.endpoint, region: s.region,
    credentials: { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey }, cacheBytes: 16 * 1024 * 1024, stagingDir: path.join(dataDir, 'staging'),
  }, opts);
  const upload = async (localPath: string, key: string): Promise<void> => {
    if ((await stat(localPath)).isDirectory()) {
      for (const name of await readdir(localPath)) if (!name.startsWith('.')) await upload(path.join(localPath, name), `${key}/${name}`);
      return;
    }
    await store.put(key, await readFile(localPath));
  };
  return {
    kind, store, env,
    link: (localPath, key) => upload(localPath, key),
    gdalPath: (key) => `/vsis3/${s.bucket}/${prefix}/${key}`,
    async cleanup() {
      await store.deletePrefix('');
      store.client.destroy();
    },
  };
}

/** A job's output files in the store, by mosaic type (keys `jobs/<job>/attempt-<n>/<type>.tif`). */
export async function jobOutputs(store: FileStore, jobId: string): Promise<Map<string, StoredFile>> {
  const out = new Map<string, StoredFile>();
  for (const f of await store.list(`jobs/${jobId}/`, 2)) {
    const m = /\/attempt-\d+\/([^/]+)\.tif$/.exec(f.key);
    if (m) out.set(m[1]!, f);
  }
  return out;
}

/** Bytes of a stored file (a test failure when it is missing). */
export async function readStored(store: FileStore, key: string): Promise<Buffer> {
  const bytes = await store.read(key);
  if (!bytes) throw new Error(`${key} is not in the store`);
  return Buffer.from(bytes);
}
