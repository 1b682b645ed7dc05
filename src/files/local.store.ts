/**
 * The local data directory as a file store: keys resolve under the root (symbolic and hard links
 * followed, so mosaics kept elsewhere work), versions are `size:mtime:inode`, and a staged file is
 * written in place (the engine writes a temp name beside it and renames it when complete).
 */
import { createReadStream } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { access, constants, mkdir, readdir, readFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { AppError } from '../errors/app.error.js';
import { FileSource, type Source } from '../raster/read/source.js';
import type { ByteRange, FileStore, StoredFile } from './file.store.js';

/** Files whose names hold these were left by an interrupted write (engine temp files and spools). */
const Leftover = /\.tmp|\.spool/;

function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

export class LocalFileStore implements FileStore {
  readonly location = 'local';

  /** @param root absolute path of the data directory */
  constructor(readonly root: string) {}

  /** Absolute path of a key (keys may also be absolute paths: engine tests and tools pass them). */
  private abs(key: string): string {
    return path.resolve(this.root, key);
  }

  /** A failure of the file system, told by key (never the server's path); our own errors (a file changed while opened) pass as they are. */
  private fail(key: string, err: unknown): never {
    if (err instanceof AppError) throw err;
    if (isMissing(err)) throw new AppError('not_found', `${key}: no such file`);
    throw new AppError('internal_error', `${key}: ${(err as NodeJS.ErrnoException).code ?? 'read failed'}`, { cause: err });
  }

  async list(prefix: string, depth: number): Promise<StoredFile[]> {
    const out: StoredFile[] = [];
    const walk = async (rel: string, left: number): Promise<void> => {
      const names = await readdir(this.abs(rel)).catch(() => [] as string[]);
      for (const name of names.sort()) {
        if (name.startsWith('.')) continue;
        const key = `${rel}${name}`;
        const s = await stat(this.abs(key)).catch(() => undefined); // follows links
        if (!s) continue;
        if (s.isDirectory()) {
          if (left > 1) await walk(`${key}/`, left - 1);
        } else if (s.isFile()) {
          out.push({ key, size: s.size, version: `${s.size}:${s.mtimeMs}:${s.ino}` });
        }
      }
    };
    await walk(prefix, depth);
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async stat(key: string): Promise<StoredFile | undefined> {
    const s = await stat(this.abs(key)).catch(() => undefined);
    return s?.isFile() ? { key, size: s.size, version: `${s.size}:${s.mtimeMs}:${s.ino}` } : undefined;
  }

  async read(key: string): Promise<Uint8Array | undefined> {
    try {
      return await readFile(this.abs(key));
    } catch (err) {
      if (isMissing(err) || (err as NodeJS.ErrnoException).code === 'EISDIR') return undefined;
      return this.fail(key, err);
    }
  }

  /** Written beside, then renamed over: readers see the old file or the new one, and a link is replaced, never written through. */
  async put(key: string, body: Uint8Array | string): Promise<StoredFile> {
    const file = this.abs(key);
    await mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.tmp-${randomBytes(6).toString('hex')}`;
    await writeFile(tmp, body);
    await rename(tmp, file);
    return (await this.stat(key))!;
  }

  async openSource(key: string): Promise<Source> {
    return FileSource.open(this.abs(key), key).catch((err: unknown) => this.fail(key, err));
  }

  async stream(key: string, range?: ByteRange, known?: StoredFile): Promise<Readable> {
    const file = this.abs(key);
    // Fail before any byte is promised: a missing output is an error answer, not a cut-off body.
    if (!known) await stat(file).catch((err: unknown) => this.fail(key, err));
    return createReadStream(file, range ? { start: range.start, end: range.end } : {});
  }

  async stage(key: string): Promise<string> {
    const file = this.abs(key);
    await mkdir(path.dirname(file), { recursive: true });
    return file;
  }

  async commit(key: string): Promise<StoredFile> {
    const file = await this.stat(key);
    if (!file) throw new AppError('internal_error', `${key}: nothing was staged`);
    return file;
  }

  /** On disk a staged file is already in place once complete: only the engine's temp files and spools go. */
  async discardStaged(prefix: string): Promise<void> {
    await removeLeftovers(this.abs(prefix), 3);
  }

  async ping(): Promise<boolean> {
    return access(this.root, constants.R_OK | constants.X_OK).then(() => true, () => false);
  }

  async deletePrefix(prefix: string): Promise<number> {
    const n = (await this.list(prefix, Infinity)).length;
    const dir = this.abs(prefix);
    await rm(dir, { recursive: true, force: true });
    // A job's directory goes with its last attempt (an S3 prefix has no directory to leave behind).
    const parent = path.dirname(dir);
    if (parent.startsWith(`${this.root}${path.sep}`)) await rmdir(parent).catch(() => undefined);
    return n;
  }

  /** Engine temp files and spools under `jobs/` (a crash mid-clip leaves them; complete files never match). */
  async sweepStaging(mayRemove: (jobId: string) => Promise<boolean> = async () => true): Promise<number> {
    let n = 0;
    for (const job of await readdir(this.abs('jobs')).catch(() => [] as string[])) {
      if (await mayRemove(job)) n += await removeLeftovers(this.abs(`jobs/${job}`), 2);
    }
    return n;
  }
}

/** Remove temp files and spools under `dir`, at most `depth` levels down; resolves to how many. */
async function removeLeftovers(dir: string, depth: number): Promise<number> {
  let n = 0;
  for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const file = path.join(dir, e.name);
    if (Leftover.test(e.name)) {
      await rm(file, { recursive: true, force: true });
      n++;
    } else if (e.isDirectory() && depth > 1) {
      n += await removeLeftovers(file, depth - 1);
    }
  }
  return n;
}
