/**
 * An object of a bucket as the raster engine's `Source`: range reads through the thread's block cache,
 * each request pinned to the version that was opened with `If-Match`, so a mosaic replaced mid-read
 * fails with `source_changed` (412) instead of mixing bytes of two files.
 */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { AppError } from '../errors/app.error.js';
import { assertInFile, type Source } from '../raster/read/source.js';
import type { BlockCache } from './block.cache.js';
import { isNoSuchKey, s3Status } from './s3.client.js';

/** Where an object is and which version of it this source reads. */
export interface S3ObjectRef {
  bucket: string;
  /** Full object key (prefix included) */
  objectKey: string;
  /** Data-relative key: the name in messages */
  key: string;
  size: number;
  /** ETag, quotes included */
  etag: string;
}

export class S3Source implements Source {
  readonly path: string;
  readonly size: number;

  constructor(
    private readonly client: S3Client,
    private readonly cache: BlockCache,
    private readonly ref: S3ObjectRef,
  ) {
    this.path = ref.key;
    this.size = ref.size;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    assertInFile(this.path, this.size, offset, length);
    const id = `${this.ref.bucket}/${this.ref.objectKey}@${this.ref.etag}`;
    return this.cache.read(id, this.size, offset, length, (start, end) => this.fetch(start, end));
  }

  private async fetch(start: number, end: number): Promise<Uint8Array> {
    try {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.ref.bucket, Key: this.ref.objectKey, Range: `bytes=${start}-${end - 1}`, IfMatch: this.ref.etag }));
      return await res.Body!.transformToByteArray();
    } catch (err) {
      const status = s3Status(err);
      const again = { cause: err, headers: { 'Retry-After': '1' } };
      if (status === 412) throw new AppError('source_changed', `${this.path} was replaced while it was being read; try again`, again);
      if (status === 404) throw new AppError('source_changed', `${this.path} was removed while it was being read`, again);
      throw new AppError('unavailable', `${this.path}: the object store did not answer bytes ${start}-${end - 1} (${status ?? (err as Error).name})`, { cause: err });
    }
  }

  async sidecar(suffix: string): Promise<Uint8Array | undefined> {
    try {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.ref.bucket, Key: `${this.ref.objectKey}${suffix}` }));
      return await res.Body!.transformToByteArray();
    } catch (err) {
      if (isNoSuchKey(err)) return undefined;
      throw new AppError('unavailable', `${this.path}${suffix}: the object store failed (${s3Status(err) ?? (err as Error).name})`, { cause: err });
    }
  }

  async close(): Promise<void> {
    // Nothing held open: requests are made per read.
  }
}
