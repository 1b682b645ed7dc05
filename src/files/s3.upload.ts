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
}

/** Defaults: one PUT up to 64 MiB, else 16 MiB parts, 4 at once. */
export const DefaultUpload: UploadOptions = { multipartBytes: 64 * 1024 * 1024, partBytes: 16 * 1024 * 1024, concurrency: 4 };

/** Upload `file` to `bucket/key`; resolves to the object's ETag and size once it is complete. */
export async function uploadFile(client: S3Client, bucket: string, key: string, file: string, opts: UploadOptions = DefaultUpload): Promise<{ etag: string; size: number }> {
  const { size } = await stat(file);
  const type = opts.contentType ? { ContentType: opts.contentType } : {};
  if (size <= opts.multipartBytes) {
    const res = await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: createReadStream(file), ContentLength: size, ...type }));
    return { etag: res.ETag ?? '', size };
  }
  const partBytes = Math.max(opts.partBytes, Math.ceil(size / 10_000));
  const count = Math.ceil(size / partBytes);
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
          Bucket: bucket, Key: key, UploadId, PartNumber: i + 1, Body: createReadStream(file, { start, end: end - 1 }), ContentLength: end - start,
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
