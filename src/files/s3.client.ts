/**
 * The S3 client for a store spec. Non-AWS servers (Ceph RGW, MinIO) need path-style addressing, and
 * checksums only where an operation requires them: with the SDK's defaults a streamed PUT is refused by
 * RGW 16 (411 MissingContentLength) or stored corrupted by other servers.
 */
import { S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import type { S3StoreSpec } from './file.store.js';

export function createS3Client(spec: Pick<S3StoreSpec, 'endpoint' | 'region' | 'credentials'>): S3Client {
  return new S3Client({
    region: spec.region,
    ...(spec.endpoint ? { endpoint: spec.endpoint, forcePathStyle: true } : {}),
    ...(spec.credentials ? { credentials: spec.credentials } : {}),
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** The HTTP status of a failed S3 call (undefined for network errors). */
export function s3Status(err: unknown): number | undefined {
  if (err instanceof S3ServiceException) return err.$metadata.httpStatusCode;
  return (err as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
}

/** True for "no such key" (404), however the server names it. */
export function isNoSuchKey(err: unknown): boolean {
  return s3Status(err) === 404 || (err as { name?: string })?.name === 'NoSuchKey' || (err as { name?: string })?.name === 'NotFound';
}
