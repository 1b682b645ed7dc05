/**
 * Copy local files into an S3 bucket prefix idempotently and verifiably (moving a single node's data
 * directory up, `geopera admin migrate --to-storage`). Each file is read once for its sha256 and the MD5
 * of each upload part; an object already there with the same size and the same checksum (its ETag, which
 * the server computes from the bytes it stored, or the sha256 an earlier copy recorded in its metadata)
 * is left alone; otherwise the file is uploaded with Content-MD5 on every part (the server refuses bytes
 * that differ from the ones hashed) and its sha256 in the object's metadata, then checked again by HEAD.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { FileStore } from './file.store.js';
import type { S3FileStore } from './s3.store.js';
import { partsOf, type UploadOptions } from './s3.upload.js';

/** A local file's checksums, cut as an upload cuts it. */
export interface FileDigest {
  size: number;
  /** Hex */
  sha256: string;
  /** Base64 MD5 of each upload part (the whole file for a single PUT) */
  md5s: string[];
  /** The ETag S3 computes for these bytes uploaded this way: `"md5"`, or `"md5-of-part-md5s-N"` for a multipart upload */
  etag: string;
}

/** Read a file once: its sha256, and the MD5 of each part of its upload. */
export async function digestFile(file: string, opts: Pick<UploadOptions, 'multipartBytes' | 'partBytes'>): Promise<FileDigest> {
  const { size } = await stat(file);
  const parts = partsOf(size, opts);
  const sha = createHash('sha256');
  const md5s: Buffer[] = [];
  let part = createHash('md5');
  let left = parts[0]!;
  let index = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) {
    sha.update(chunk);
    let at = 0;
    while (at < chunk.length) {
      const take = Math.min(left, chunk.length - at);
      part.update(chunk.subarray(at, at + take));
      at += take;
      left -= take;
      if (left === 0 && index < parts.length - 1) {
        md5s.push(part.digest());
        part = createHash('md5');
        left = parts[++index]!;
      }
    }
  }
  md5s.push(part.digest());
  const etag = md5s.length === 1 && size <= opts.multipartBytes
    ? `"${md5s[0]!.toString('hex')}"`
    : `"${createHash('md5').update(Buffer.concat(md5s)).digest('hex')}-${md5s.length}"`;
  return { size, sha256: sha.digest('hex'), md5s: md5s.map((m) => m.toString('base64')), etag };
}

/** What copying one file did. */
export interface CopiedFile {
  key: string;
  size: number;
  sha256: string;
  /** `present`: the same bytes were there already; `copied`: uploaded; `replaced`: uploaded over other bytes */
  outcome: 'present' | 'copied' | 'replaced';
  /**
   * How the object was checked after: `etag` (the server's MD5 of what it stored equals ours),
   * `sha256-metadata` (only the sha256 we recorded: a server whose ETags are not MD5s), or `false` (it differs)
   */
  verified: 'etag' | 'sha256-metadata' | false;
}

type Head = Awaited<ReturnType<S3FileStore['head']>>;

function sameBytes(head: Head, d: FileDigest): 'etag' | 'sha256-metadata' | false {
  if (!head || head.size !== d.size) return false;
  if (head.etag === d.etag) return 'etag';
  return head.sha256 === d.sha256 ? 'sha256-metadata' : false;
}

/** Copy `localPath` to `key` of `target` unless the same bytes are there; verify the object afterwards. */
export async function copyFileToS3(target: S3FileStore, localPath: string, key: string): Promise<CopiedFile> {
  const d = await digestFile(localPath, target.uploadOptions);
  const before = await target.head(key);
  if (sameBytes(before, d)) return { key, size: d.size, sha256: d.sha256, outcome: 'present', verified: sameBytes(before, d) };
  await target.upload(localPath, key, { metadata: { sha256: d.sha256 }, md5s: d.md5s });
  return { key, size: d.size, sha256: d.sha256, outcome: before ? 'replaced' : 'copied', verified: sameBytes(await target.head(key), d) };
}

/** sha256 (hex) of a stored file's bytes, read back whole from the store. */
export async function storedSha256(store: FileStore, key: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of await store.stream(key) as AsyncIterable<Buffer>) h.update(chunk);
  return h.digest('hex');
}
