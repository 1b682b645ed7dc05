/**
 * Open the file store a spec names. Each thread opens its own (worker threads get the spec as plain
 * data), so each keeps its own block cache of mosaic chunks.
 */
import type { FileStore, FileStoreSpec } from './file.store.js';
import { LocalFileStore } from './local.store.js';

/** The store of a spec. The S3 client is loaded only when used: a node on local disk never loads the AWS SDK (each clip thread would carry its megabytes). */
export async function openFileStore(spec: FileStoreSpec): Promise<FileStore> {
  if (spec.kind === 'local') return new LocalFileStore(spec.root);
  const { S3FileStore } = await import('./s3.store.js');
  return new S3FileStore(spec);
}

/** A local store rooted at `root`: what engine tools and tests use for plain paths. */
export function localSpec(root: string): FileStoreSpec {
  return { kind: 'local', root };
}
