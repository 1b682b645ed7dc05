/**
 * A bucket prefix as a file store: the data directory's layout under `s3://bucket/prefix/`. Listing pages
 * through ListObjectsV2; mosaics are read by range requests through one block cache per thread (see
 * s3.source.ts); outputs are staged on local disk, then uploaded whole (multipart when large).
 */
import { mkdir, readdir, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import {
  DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client,
} from '@aws-sdk/client-s3';
import { AppError } from '../errors/app.error.js';
import type { Source } from '../raster/read/source.js';
import { BlockCache } from './block.cache.js';
import type { ByteRange, FileStore, S3StoreSpec, StoredFile } from './file.store.js';
import { createS3Client, isNoSuchKey, s3Status } from './s3.client.js';
import { S3Source } from './s3.source.js';
import { DefaultUpload, uploadFile, type UploadOptions } from './s3.upload.js';

/** Chunk of mosaic bytes fetched and cached at once: a COG's headers, or several of its tiles, in one request. */
export const ChunkBytes = 256 * 1024;

const ContentTypes: Record<string, string> = { '.tif': 'image/tiff', '.tiff': 'image/tiff', '.json': 'application/json', '.geojson': 'application/geo+json' };

export interface S3StoreOptions {
  /** Keys per ListObjectsV2 page (default 1000, the most S3 answers) */
  listPageSize?: number;
  upload?: UploadOptions;
  /** Chunk size of the block cache, bytes */
  chunkBytes?: number;
}

export class S3FileStore implements FileStore {
  readonly location: string;
  readonly client: S3Client;
  readonly cache: BlockCache;
  /** Calls made, by command name (counts for tests and logs) */
  readonly calls: Record<string, number> = {};
  private readonly bucket: string;
  private readonly prefix: string;
  /** A health check under way: concurrent ones share it */
  private pinging: Promise<boolean> | undefined;

  constructor(
    private readonly spec: S3StoreSpec,
    private readonly opts: S3StoreOptions = {},
  ) {
    this.bucket = spec.bucket;
    this.prefix = spec.prefix;
    this.location = `s3://${spec.bucket}/${spec.prefix}`;
    this.client = createS3Client(spec);
    this.client.middlewareStack.add((next, context) => (args) => {
      const name = context.commandName ?? 'unknown';
      this.calls[name] = (this.calls[name] ?? 0) + 1;
      return next(args);
    }, { step: 'initialize', name: 'geoperaCallCounter' });
    this.cache = new BlockCache({ chunkBytes: opts.chunkBytes ?? ChunkBytes, maxBytes: spec.cacheBytes });
  }

  /** The object key of a data-relative key; keys that would leave the prefix are refused. */
  private objectKey(key: string): string {
    const norm = path.posix.normalize(key);
    if (norm.startsWith('../') || norm === '..' || norm.startsWith('/')) throw new AppError('not_found', `${key} lies outside the storage prefix`);
    return `${this.prefix}${norm}`;
  }

  async list(prefix: string, depth: number): Promise<StoredFile[]> {
    const full = prefix === '' ? this.prefix : this.objectKey(prefix);
    const out: StoredFile[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: full, ContinuationToken: token, MaxKeys: this.opts.listPageSize ?? 1000 }));
      for (const o of page.Contents ?? []) {
        if (!o.Key || o.Key.endsWith('/')) continue;
        const rest = o.Key.slice(full.length).split('/');
        if (rest.length > depth || rest.some((s) => s.startsWith('.') || s === '')) continue;
        out.push({ key: o.Key.slice(this.prefix.length), size: o.Size ?? 0, version: o.ETag ?? '' });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async stat(key: string): Promise<StoredFile | undefined> {
    try {
      const h = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
      return { key, size: h.ContentLength ?? 0, version: h.ETag ?? '' };
    } catch (err) {
      if (isNoSuchKey(err)) return undefined;
      throw this.failure(key, err);
    }
  }

  /** An object's size, ETag and the sha256 recorded in its metadata (by `geopera admin migrate`), or undefined when there is none. */
  async head(key: string): Promise<{ size: number; etag: string; sha256: string | undefined } | undefined> {
    try {
      const h = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
      return { size: h.ContentLength ?? 0, etag: h.ETag ?? '', sha256: h.Metadata?.sha256 };
    } catch (err) {
      if (isNoSuchKey(err)) return undefined;
      throw this.failure(key, err);
    }
  }

  /** Upload a local file (not a staged one) under `key`, whole, with `upload`'s metadata and checksums. */
  async upload(localPath: string, key: string, upload: Partial<UploadOptions>): Promise<StoredFile> {
    const { etag, size } = await uploadFile(this.client, this.bucket, this.objectKey(key), localPath, { ...(this.opts.upload ?? DefaultUpload), ...this.contentType(key), ...upload })
      .catch((err: unknown) => { throw this.failure(key, err); });
    return { key, size, version: etag };
  }

  async read(key: string): Promise<Uint8Array | undefined> {
    try {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
      return await res.Body!.transformToByteArray();
    } catch (err) {
      if (isNoSuchKey(err)) return undefined;
      throw this.failure(key, err);
    }
  }

  async put(key: string, body: Uint8Array | string): Promise<StoredFile> {
    const bytes = typeof body === 'string' ? Buffer.from(body) : body;
    const res = await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key), Body: bytes, ContentLength: bytes.length, ...this.contentType(key) }));
    return { key, size: bytes.length, version: res.ETag ?? '' };
  }

  async openSource(key: string, known?: StoredFile): Promise<Source> {
    const file = known ?? (await this.stat(key));
    if (!file) throw new AppError('not_found', `${key}: no such file`);
    return new S3Source(this.client, this.cache, { bucket: this.bucket, objectKey: this.objectKey(key), key, size: file.size, etag: file.version });
  }

  async stream(key: string, range?: ByteRange, known?: StoredFile): Promise<Readable> {
    try {
      const res = await this.client.send(new GetObjectCommand({
        Bucket: this.bucket, Key: this.objectKey(key), ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}), ...(known?.version ? { IfMatch: known.version } : {}),
      }));
      return res.Body as Readable;
    } catch (err) {
      if (isNoSuchKey(err)) throw new AppError('not_found', `${key}: no such file`);
      if (s3Status(err) === 412) throw new AppError('source_changed', `${key} was replaced while it was being read; try again`, { cause: err, headers: { 'Retry-After': '1' } });
      throw this.failure(key, err);
    }
  }

  async stage(key: string): Promise<string> {
    const file = path.join(this.spec.stagingDir, this.objectKey(key).slice(this.prefix.length));
    await mkdir(path.dirname(file), { recursive: true });
    return file;
  }

  async commit(key: string): Promise<StoredFile> {
    const staged = await this.stage(key);
    const stored = await this.upload(staged, key, {});
    await rm(staged, { force: true });
    return stored;
  }

  /** How this store cuts uploads (for checksums computed ahead of an upload). */
  get uploadOptions(): UploadOptions {
    return this.opts.upload ?? DefaultUpload;
  }

  /**
   * Removes what is staged under the prefix, then its parent folders while they are empty (a job's folder
   * once its last attempt is gone), never the top-level ones (`jobs`), which other jobs stage into now.
   */
  async discardStaged(prefix: string): Promise<void> {
    const rel = this.objectKey(prefix).slice(this.prefix.length).replace(/\/+$/, '');
    await rm(path.join(this.spec.stagingDir, rel), { recursive: true, force: true });
    for (let parts = rel.split('/').slice(0, -1); parts.length > 1; parts = parts.slice(0, -1)) {
      if (!(await rmdir(path.join(this.spec.stagingDir, ...parts)).then(() => true, () => false))) break;
    }
  }

  /** One ListObjectsV2 of at most one key under the prefix (needs only the permission geopera needs anyway), aborted after `timeoutMs`. */
  ping(timeoutMs: number): Promise<boolean> {
    this.pinging ??= this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.prefix, MaxKeys: 1 }), { abortSignal: AbortSignal.timeout(timeoutMs) })
      .then(() => true, () => false)
      .finally(() => { this.pinging = undefined; });
    return this.pinging;
  }

  async deletePrefix(prefix: string): Promise<number> {
    const files = await this.list(prefix, Infinity);
    // One DELETE per object: multi-object delete needs Content-MD5 on some servers, and a job has few files.
    let next = 0;
    await Promise.all(Array.from({ length: Math.min(8, files.length) }, async () => {
      while (next < files.length) {
        const f = files[next++]!;
        await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.objectKey(f.key) }));
      }
    }));
    return files.length;
  }

  /** Everything staged on this node: a crash mid-clip or mid-upload leaves it; nothing there is recorded anywhere. */
  async sweepStaging(): Promise<number> {
    const entries = await readdir(this.spec.stagingDir, { recursive: true, withFileTypes: true }).catch(() => []);
    await rm(this.spec.stagingDir, { recursive: true, force: true });
    return entries.filter((e) => e.isFile()).length;
  }

  private contentType(key: string): { ContentType?: string } {
    const t = ContentTypes[path.posix.extname(key).toLowerCase()];
    return t ? { ContentType: t } : {};
  }

  /** An S3 failure told by key and status: the object store is out of reach or refused, not the caller's fault. */
  private failure(key: string, err: unknown): AppError {
    if (err instanceof AppError) return err;
    return new AppError('unavailable', `${key}: the object store failed (${s3Status(err) ?? (err as Error).name})`, { cause: err });
  }
}
