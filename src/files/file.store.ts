/**
 * The one port for the data directory's files: areas, the STAC catalog and job outputs, addressed by
 * keys relative to the data directory (`areas/x/mosaics/visual.tif`). Two implementations: the local
 * data directory (links followed) and an S3 bucket prefix. Keys are what users see in messages; a
 * server path never is.
 */
import type { Readable } from 'node:stream';
import type { Source } from '../raster/read/source.js';

/** One stored file. */
export interface StoredFile {
  /** Key relative to the store's root, `/`-separated */
  key: string;
  /** Size in bytes */
  size: number;
  /** Changes whenever the bytes change: the S3 ETag, or `size:mtime:inode` on disk */
  version: string;
}

/** An inclusive byte range. */
export interface ByteRange {
  start: number;
  end: number;
}

export interface FileStore {
  /** Where the files live, for logs: `local` or `s3://bucket/prefix` (never a credential) */
  readonly location: string;
  /** Requests made to an object store so far, by command (S3 only; for metrics) */
  readonly calls?: Readonly<Record<string, number>>;
  /** Files under `prefix` (ending in `/`) at most `depth` levels down (1 = directly in it), sorted by key. */
  list(prefix: string, depth: number): Promise<StoredFile[]>;
  /** One file, or undefined when there is none. */
  stat(key: string): Promise<StoredFile | undefined>;
  /** A whole (small) file, or undefined when there is none. */
  read(key: string): Promise<Uint8Array | undefined>;
  /** Write a whole file (small files; tests and tools). */
  put(key: string, body: Uint8Array | string): Promise<StoredFile>;
  /**
   * Random access for the raster engine, named by its key in messages. `known` (from `list` or `stat`)
   * saves a lookup and pins the version read: a replaced file then fails with `source_changed`.
   */
  openSource(key: string, known?: StoredFile): Promise<Source>;
  /**
   * Bytes of a file as a stream (all of it, or `range`); `not_found` when it is missing. `known` (from
   * `stat`) saves the lookup and pins the version: a replaced object fails with `source_changed`.
   */
  stream(key: string, range?: ByteRange, known?: StoredFile): Promise<Readable>;
  /** A local path to write a file that `commit(key)` then stores under `key` (its directory exists). */
  stage(key: string): Promise<string>;
  /** Store the staged file under `key` (an upload for S3); resolves once it is complete and readable. */
  commit(key: string): Promise<StoredFile>;
  /** Remove what was staged for keys under `prefix` and not committed. */
  discardStaged(prefix: string): Promise<void>;
  /**
   * Whether the store answers, for health checks: cheap, bounded by `timeoutMs`, never throws (S3: one
   * listing of at most one key under the prefix; disk: the data directory can be read).
   */
  ping(timeoutMs: number): Promise<boolean>;
  /** Delete every file under `prefix`; resolves to how many. */
  deletePrefix(prefix: string): Promise<number>;
  /**
   * Remove staged and temporary files a crash left behind (at start-up); resolves to how many. Where nodes
   * share the files (one data directory on a shared disk), `mayRemove(jobId)` keeps the ones of a job
   * another node runs now; a node's own staging directory (S3) is all its own.
   */
  sweepStaging(mayRemove?: (jobId: string) => Promise<boolean>): Promise<number>;
}

/** How to open a store, as plain data (worker threads open their own from it). */
export type FileStoreSpec = LocalStoreSpec | S3StoreSpec;

export interface LocalStoreSpec {
  kind: 'local';
  /** Absolute path of the data directory */
  root: string;
}

export interface S3StoreSpec {
  kind: 's3';
  bucket: string;
  /** Key prefix, empty or ending in `/` */
  prefix: string;
  /** Endpoint URL of a non-AWS server (path-style addressing), or undefined for AWS */
  endpoint: string | undefined;
  region: string;
  /** Static credentials; undefined = the SDK's default provider chain */
  credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
  /** Bytes of mosaic chunks each thread keeps */
  cacheBytes: number;
  /** Local directory for outputs before their upload */
  stagingDir: string;
}
