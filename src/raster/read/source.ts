/**
 * The reader's one I/O port: positional reads from a file. Tests wrap a `Source` to record every
 * byte range the reader asks for, so "one header read + one tile read" is checked without a clock.
 */
import { open, readFile, stat, type FileHandle } from 'node:fs/promises';
import { AppError } from '../../errors/app.error.js';

/** Random-access bytes of one file. */
export interface Source {
  /**
   * Name of the file in messages. Opened through a file store it is the data-relative key
   * (`areas/x/mosaics/visual.tif`), so no message shows the server's layout.
   */
  readonly path: string;
  /** File size in bytes */
  readonly size: number;
  /** Exactly `length` bytes from byte `offset`; throws `truncated_tiff` when the range passes the end. */
  read(offset: number, length: number): Promise<Uint8Array>;
  /** Release the file handle. */
  close(): Promise<void>;
  /**
   * After a read failed with `cause`: throws `source_changed` when the file was written to since it was
   * opened (a source that pins its version, as S3's does with ETags, fails its reads instead and needs none).
   */
  assertUnchanged?(cause?: unknown): Promise<void>;
  /** The bytes of the file beside this one named `<file><suffix>` (GDAL's `.aux.xml`), or undefined when there is none. */
  sidecar?(suffix: string): Promise<Uint8Array | undefined>;
}

/** Throws `truncated_tiff` unless [offset, offset + length) lies inside a file of `size` bytes. */
export function assertInFile(path: string, size: number, offset: number, length: number): void {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > size) {
    throw new AppError('truncated_tiff', `${path}: bytes ${offset}..${offset + length} lie past the end of the file (${size} bytes)`);
  }
}

/**
 * A local file read with positional reads on one `FileHandle`. Reads follow the file opened, so a file
 * replaced by a rename keeps being read whole; one written over in place is caught by `assertUnchanged`.
 */
export class FileSource implements Source {
  private constructor(
    readonly path: string,
    readonly size: number,
    private readonly handle: FileHandle,
    /** Modification time at open, ms */
    private readonly mtimeMs: number,
    /** The file's own path (`path` is its name in messages) */
    private readonly file: string,
  ) {}

  /**
   * Open a file for reading; `name` is how messages call it (default: its path). A file written to while
   * it was being opened (between the look at its path and the look at the opened file) fails with
   * `source_changed`, as a write later in the read does: the version read is the one the open saw.
   */
  static async open(path: string, name = path): Promise<FileSource> {
    const before = await stat(path);
    const handle = await open(path, 'r');
    try {
      const { size, mtimeMs } = await handle.stat();
      if (size !== before.size || mtimeMs !== before.mtimeMs) {
        throw new AppError('source_changed', `${name} changed while it was read (${before.size} → ${size} bytes, while it was opened); nothing was written from it`);
      }
      return new FileSource(name, size, handle, mtimeMs, path);
    } catch (err) {
      await handle.close();
      throw err;
    }
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    assertInFile(this.path, this.size, offset, length);
    // Own ArrayBuffer (not Buffer's shared pool) so typed-array views over it start aligned at 0.
    const out = new Uint8Array(length);
    let done = 0;
    while (done < length) {
      const { bytesRead } = await this.handle.read(out, done, length - done, offset + done);
      if (bytesRead === 0) throw new AppError('truncated_tiff', `${this.path}: unexpected end of file at byte ${offset + done}`);
      done += bytesRead;
    }
    return out;
  }

  /** Throws `source_changed` when the open file was written to (size or modification time) since it was opened. */
  async assertUnchanged(cause?: unknown): Promise<void> {
    const now = await this.handle.stat();
    if (now.size !== this.size || now.mtimeMs !== this.mtimeMs) {
      throw new AppError('source_changed', `${this.path} changed while it was read (${this.size} → ${now.size} bytes); nothing was written from it`, cause === undefined ? {} : { cause });
    }
  }

  async sidecar(suffix: string): Promise<Uint8Array | undefined> {
    try {
      return await readFile(`${this.file}${suffix}`);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      throw err;
    }
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}
