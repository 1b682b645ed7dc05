/**
 * Open the file store a spec names. Each thread opens its own (worker threads get the spec as plain
 * data), so each keeps its own block cache of mosaic chunks.
 */
import type { FileStore, FileStoreSpec } from './file.store.js';
import { LocalFileStore } from './local.store.js';
import { S3FileStore } from './s3.store.js';

export function openFileStore(spec: FileStoreSpec): FileStore {
  return spec.kind === 'local' ? new LocalFileStore(spec.root) : new S3FileStore(spec);
}

/** A local store rooted at `root`: what engine tools and tests use for plain paths. */
export function localSpec(root: string): FileStoreSpec {
  return { kind: 'local', root };
}
