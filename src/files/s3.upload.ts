/**
 * Upload a local file as one object: a single streamed PUT up to `multipartBytes`, a multipart upload
 * above (parts read straight from the file, a few at once, aborted on failure so no parts linger). The
 * object exists only once the upload completes: readers never see part of it.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import {
  AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CreateMultipartUploadCommand, PutObjectCommand, UploadPartCommand, type S3Client,
} from '@aws-sdk/client-s3';

export interface UploadOptions {
  /** Files larger than this go up in parts, bytes */
  multipartBytes: number;
  /** Part size, bytes (S3: at least 5 MiB but the last; at most 10,000 parts, so it grows for huge files) */
  partBytes: number;
  /** Parts in flight at once */
  concurrency: number;
  contentType?: string;
  /** User metadata stored with the object (`x-amz-meta-*`; e.g. its sha256) */
  metadata?: Record<string, string>;
  /**
   * MD5 of each part (of the whole file for a single PUT), base64, as `partsOf` cuts it: sent as
   * Content-MD5, so the server refuses bytes that differ from the ones hashed
   */
  md5s?: string[];
}

/** Defaults: one PUT up to 64 MiB, else 16 MiB parts, 4 at once. */
export const DefaultUpload: UploadOptions = { multipartBytes: 64 * 1024 * 1024, partBytes: 16 * 1024 * 1024, concurrency: 4 };

/** How a file of `size` bytes goes up: the byte length of each part (one part, the whole file, for a single PUT). */
export function partsOf(size: number, opts: Pick<UploadOptions, 'multipartBytes' | 'partBytes'> = DefaultUpload): number[] {
  if (size <= opts.multipartBytes) return [size];
  const partBytes = Math.max(opts.partBytes, Math.ceil(size / 10_000));
  return Array.from({ length: Math.ceil(size / partBytes) }, (_, i) => Math.min(partBytes, size - i * partBytes));
}

/** Upload `file` to `bucket/key`; resolves to the object's ETag and size once it is complete. */
export async function uploadFile(client: S3Client, bucket: string, key: string, file: string, opts: UploadOptions = DefaultUpload): Promise<{ etag: string; size: number }> {
  const { size } = await stat(file);
  const type = { ...(opts.contentType ? { ContentType: opts.contentType } : {}), ...(opts.metadata ? { Metadata: opts.metadata } : {}) };
  const md5 = (i: number) => (opts.md5s?.[i] ? { ContentMD5: opts.md5s[i] } : {});
  const parts = partsOf(size, opts);
  if (parts.length === 1 && size <= opts.multipartBytes) {
    const res = await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: createReadStream(file), ContentLength: size, ...type, ...md5(0) }));
    return { etag: res.ETag ?? '', size };
  }
  const partBytes = parts[0]!;
  const count = parts.length;
  const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ...type }));
  try {
    const etags: string[] = new Array<string>(count);
    let next = 0;
    await Promise.all(Array.from({ length: Math.min(opts.concurrency, count) }, async () => {
      while (next < count) {
        const i = next++;
        const start = i * partBytes;
        const end = Math.min(size, start + partBytes);
        const res = await client.send(new UploadPartCommand({
          Bucket: bucket, Key: key, UploadId, PartNumber: i + 1, Body: createReadStream(file, { start, end: end - 1 }), ContentLength: end - start, ...md5(i),
        }));
        etags[i] = res.ETag ?? '';
      }
    }));
    const done = await client.send(new CompleteMultipartUploadCommand({
      Bucket: bucket, Key: key, UploadId, MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) },
    }));
    return { etag: done.ETag ?? '', size };
  } catch (err) {
    await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId })).catch(() => undefined);
    throw err;
  }
}
