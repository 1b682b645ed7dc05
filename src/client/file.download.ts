/**
 * Download a file answer to disk: streamed (constant memory), resumable with `Range` + `If-Range`
 * across attempts and across runs (`<to>.part` plus `<to>.part.json` holding the ETag), checked
 * against the SHA-256 the server announces as its ETag, and renamed into place only when whole.
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { ChecksumError, GeoperaError } from './geopera.error.js';
import { nextDelayMs, sleep, type RetryOptions } from './retry.policy.js';

export interface DownloadOptions {
  /** Destination file path */
  to: string;
  /** Continue a partial download left by an earlier run (default true) */
  resume?: boolean;
  /** Called as bytes arrive */
  onProgress?: (progress: DownloadProgress) => void;
  signal?: AbortSignal;
}

export interface DownloadProgress {
  /** Bytes of the file on disk so far (resumed bytes included) */
  received: number;
  /** File size in bytes, when the server said */
  total: number | undefined;
  /** Bytes that were already on disk when this download started */
  resumedFrom: number;
}

export interface DownloadResult {
  path: string;
  size_bytes: number;
  /** Hex SHA-256 of the file written (checked against the server's when it announced one) */
  sha256: string;
  /** Whether the server's SHA-256 was known and matched */
  verified: boolean;
  file_name: string | undefined;
  media_type: string | undefined;
  /** Bytes reused from an earlier partial download */
  resumed_from: number;
}

/** What a partial download remembers next to its `.part` file. */
interface PartMeta {
  etag: string;
  size: number | null;
}

/** Fetch the file, with extra headers (`Range`, `If-Range`) when resuming. */
export type FetchFile = (headers: Record<string, string>) => Promise<Response>;

/** The SHA-256 in an ETag (`"<64 hex>"`, possibly weak), if it is one. */
export function sha256OfEtag(etag: string | null | undefined): string | undefined {
  const m = /^(?:W\/)?"?([0-9a-f]{64})"?$/i.exec(etag?.trim() ?? '');
  return m ? m[1]!.toLowerCase() : undefined;
}

/** Total size from `Content-Range: bytes a-b/total` or `Content-Length`. */
function totalOf(res: Response, offset: number): number | undefined {
  const range = /\/(\d+)\s*$/.exec(res.headers.get('content-range') ?? '');
  if (range) return Number(range[1]);
  const length = res.headers.get('content-length');
  return length === null ? undefined : Number(length) + offset;
}

function fileNameOf(res: Response): string | undefined {
  const m = /filename="?([^";]+)"?/i.exec(res.headers.get('content-disposition') ?? '');
  return m?.[1];
}

async function sizeOf(file: string): Promise<number> {
  return stat(file).then((s) => s.size, () => 0);
}

async function readMeta(file: string): Promise<PartMeta | undefined> {
  try {
    const meta = JSON.parse(await readFile(file, 'utf8')) as Partial<PartMeta>;
    return typeof meta.etag === 'string' ? { etag: meta.etag, size: typeof meta.size === 'number' ? meta.size : null } : undefined;
  } catch {
    return undefined;
  }
}

async function hashInto(hash: Hash, file: string): Promise<void> {
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
}

/** Download with resume; `retry` bounds how often a dropped connection is picked up again. */
export async function downloadToFile(fetchFile: FetchFile, opts: DownloadOptions, retry: RetryOptions): Promise<DownloadResult> {
  const part = `${opts.to}.part`;
  const metaPath = `${opts.to}.part.json`;
  let meta = opts.resume === false ? undefined : await readMeta(metaPath);
  let offset = meta ? await sizeOf(part) : 0;
  if (offset === 0) meta = undefined;
  const resumedFrom = offset;

  for (let attempt = 0; ; attempt++) {
    let res: Response;
    try {
      res = await fetchFile(offset > 0 && meta ? { Range: `bytes=${offset}-`, 'If-Range': meta.etag } : {});
    } catch (err) {
      // 416 on a resume: the part already holds the whole file (a run that stopped before renaming).
      if (err instanceof GeoperaError && err.status === 416 && meta && offset > 0) {
        const hash = createHash('sha256');
        await hashInto(hash, part);
        const sha = hash.digest('hex');
        const expected = sha256OfEtag(meta.etag);
        if (expected === sha || (!expected && meta.size === offset)) {
          return finish(opts.to, part, metaPath, { size: offset, sha, verified: expected === sha, fileName: undefined, mediaType: undefined, resumedFrom });
        }
        await rm(part, { force: true });
        offset = 0;
        meta = undefined;
        continue;
      }
      throw err;
    }

    const etag = res.headers.get('etag');
    if (res.status === 206) {
      const start = /bytes\s+(\d+)-/.exec(res.headers.get('content-range') ?? '');
      if (!start || Number(start[1]) !== offset) throw new Error(`Server answered range ${res.headers.get('content-range') ?? '(none)'} to a request from byte ${offset}`);
    } else {
      offset = 0; // a changed file (If-Range failed) or a server without ranges: start over
    }
    const total = totalOf(res, offset);
    meta = etag ? { etag, size: total ?? null } : undefined;
    if (meta) await writeFile(metaPath, JSON.stringify(meta));
    else await rm(metaPath, { force: true });

    const hash = createHash('sha256');
    if (offset > 0) await hashInto(hash, part);
    const fh = await open(part, offset > 0 ? 'a' : 'w');
    let received = offset;
    let dropped: Error | undefined;
    try {
      opts.onProgress?.({ received, total, resumedFrom });
      if (res.body) {
        for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
          await fh.write(chunk);
          hash.update(chunk);
          received += chunk.length;
          opts.onProgress?.({ received, total, resumedFrom });
        }
      }
    } catch (err) {
      dropped = err instanceof Error ? err : new Error(String(err));
    } finally {
      await fh.close();
    }
    if (dropped !== undefined) {
      if (opts.signal?.aborted) throw dropped;
      const delay = nextDelayMs(attempt, undefined, retry);
      if (delay === undefined || !meta) throw dropped;
      await (retry.sleep ?? sleep)(delay, opts.signal);
      offset = await sizeOf(part);
      continue;
    }
    if (total !== undefined && received !== total) throw new Error(`Download of ${opts.to} ended at ${received} of ${total} bytes`);
    const sha = hash.digest('hex');
    const expected = sha256OfEtag(etag);
    if (expected && expected !== sha) {
      await rm(part, { force: true });
      await rm(metaPath, { force: true });
      throw new ChecksumError(opts.to, expected, sha);
    }
    return finish(opts.to, part, metaPath, { size: received, sha, verified: expected === sha, fileName: fileNameOf(res), mediaType: res.headers.get('content-type') ?? undefined, resumedFrom });
  }
}

async function finish(
  to: string, part: string, metaPath: string,
  r: { size: number; sha: string; verified: boolean; fileName: string | undefined; mediaType: string | undefined; resumedFrom: number },
): Promise<DownloadResult> {
  await rename(part, to);
  await rm(metaPath, { force: true });
  return { path: to, size_bytes: r.size, sha256: r.sha, verified: r.verified, file_name: r.fileName, media_type: r.mediaType, resumed_from: r.resumedFrom };
}
