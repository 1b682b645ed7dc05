/**
 * An append-only temp file holding one level's tiles already framed as they will sit in the COG
 * ([size][image][last 4 bytes][size][mask][last 4 bytes]), so assembling the COG is a streaming copy.
 * Only per-tile positions and sizes stay in memory.
 */
import { open, unlink } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { TILE_LEADER, TILE_TRAILER } from './cog.layout.js';
import type { LevelTileSizes } from './cog.layout.js';

/** Leader and trailer of a tile: its size as uint32 LE, and its last 4 bytes (zero-padded when shorter). */
function frame(bytes: Uint8Array): [Uint8Array, Uint8Array] {
  const leader = new Uint8Array(TILE_LEADER);
  new DataView(leader.buffer).setUint32(0, bytes.length, true);
  const trailer = new Uint8Array(TILE_TRAILER);
  const tail = bytes.subarray(Math.max(0, bytes.length - TILE_TRAILER));
  trailer.set(tail, 0);
  return [leader, trailer];
}

/** One level's spooled tiles. */
export class LevelSpool {
  /** Temp file path */
  readonly path: string;
  /** Spool offset of each tile's record, -1 when not written (index = ty * across + tx) */
  readonly position: Float64Array;
  /** Tile sizes recorded so far (0 = sparse) */
  readonly sizes: LevelTileSizes;
  /** Bytes reserved in the spool so far */
  private end = 0;
  private handle: Promise<FileHandle> | undefined;

  constructor(path: string, tileCount: number, hasMask: boolean) {
    this.path = path;
    this.position = new Float64Array(tileCount).fill(-1);
    this.sizes = { imageBytes: new Uint32Array(tileCount), maskBytes: new Uint32Array(hasMask ? tileCount : 0) };
  }

  /** True once the tile at `index` was appended. */
  has(index: number): boolean {
    return this.position[index]! >= 0;
  }

  /** Append a tile record; records keep the order of calls, so concurrent calls are safe. */
  async append(index: number, image: Uint8Array | null, mask: Uint8Array | null): Promise<void> {
    const parts: Uint8Array[] = [];
    for (const bytes of [image, mask]) {
      if (!bytes || bytes.length === 0) continue;
      const [leader, trailer] = frame(bytes);
      parts.push(leader, bytes, trailer);
    }
    const length = parts.reduce((s, p) => s + p.length, 0);
    // Reserve the range before any await so positions follow call order.
    const at = this.end;
    this.end += length;
    this.position[index] = at;
    this.sizes.imageBytes[index] = image?.length ?? 0;
    if (mask && mask.length > 0) this.sizes.maskBytes[index] = mask.length;
    if (length === 0) return;
    const fh = await (this.handle ??= open(this.path, 'w+'));
    let written = 0;
    while (written < length) {
      // writev may write less than asked; resume from the first unwritten byte.
      const { bytesWritten } = await fh.writev(skip(parts, written), at + written);
      written += bytesWritten;
    }
  }

  /** Byte length of the record of tile `index` (0 when sparse or absent). */
  recordLength(index: number): number {
    const ib = this.sizes.imageBytes[index]!;
    const mb = this.sizes.maskBytes[index] ?? 0;
    return (ib > 0 ? TILE_LEADER + ib + TILE_TRAILER : 0) + (mb > 0 ? TILE_LEADER + mb + TILE_TRAILER : 0);
  }

  /** Read `length` bytes at `position` into `into` (the spool must have been written). */
  async read(into: Uint8Array, length: number, position: number): Promise<void> {
    const fh = await (this.handle ??= open(this.path, 'w+'));
    let done = 0;
    while (done < length) {
      const { bytesRead } = await fh.read(into, done, length - done, position + done);
      if (bytesRead === 0) throw new Error(`Spool ${this.path} ended at ${position + done}, expected ${position + length}`);
      done += bytesRead;
    }
  }

  /** Close and delete the spool file (no error when it was never created). */
  async remove(): Promise<void> {
    const h = this.handle;
    this.handle = undefined;
    if (h) await h.then((fh) => fh.close()).catch(() => undefined);
    await unlink(this.path).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw e;
    });
  }
}

/** The buffers after the first `n` bytes of `parts`. */
function skip(parts: Uint8Array[], n: number): Uint8Array[] {
  if (n === 0) return parts;
  const out: Uint8Array[] = [];
  for (const p of parts) {
    if (n >= p.length) {
      n -= p.length;
      continue;
    }
    out.push(n > 0 ? p.subarray(n) : p);
    n = 0;
  }
  return out;
}
