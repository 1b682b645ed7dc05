/**
 * Streaming COG writer. Tiles arrive in any order (any level, each tile once) and are spooled per level
 * to temp files next to the target; `finish` plans the GDAL COG layout from the recorded sizes, writes
 * header + ghost header + IFDs, then copies the spools from the smallest overview to full resolution,
 * hashing as it writes, fsyncs and renames the temp file into place. Memory: per-tile offsets and sizes
 * plus one copy buffer, whatever the image size.
 */
import { createHash } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../errors/app.error.js';
import { planCog } from './cog.layout.js';
import { checkCogSpec, levelTiles } from './cog.spec.js';
import type { CogSpec } from './cog.spec.js';
import { LevelSpool } from './cog.spool.js';

/** Hears how long the final copy and the fsync took, ms (a clip's stage clock). */
export interface FinishClock {
  add(stage: 'assemble' | 'fsync', ms: number): void;
}

/** Copy buffer size in bytes: a few syscalls a megabyte, and little external memory for V8 to count. */
const COPY_CHUNK = 1024 * 1024;

/** The finished file. */
export interface CogResult {
  /** File size in bytes */
  size: number;
  /** SHA-256 of the file, lowercase hex */
  sha256: string;
  /** Whether BigTIFF was written */
  bigTiff: boolean;
}

/** Writes one COG: `create`, `writeTile` for each non-sparse tile, then `finish` (or `abort`). */
export class CogWriter {
  private readonly spools: LevelSpool[];
  private readonly across: number[];
  private readonly pending = new Set<Promise<void>>();
  private state: 'open' | 'finishing' | 'done' | 'aborted' = 'open';
  /** The first spool write error; finish rethrows it */
  private failure: Error | undefined;

  private constructor(
    /** Temp path the COG is assembled at before the rename */
    readonly tmpPath: string,
    readonly spec: CogSpec,
  ) {
    this.across = spec.levels.map((l) => levelTiles(spec, l).across);
    this.spools = spec.levels.map((l, i) => {
      const { across, down } = levelTiles(spec, l);
      return new LevelSpool(`${tmpPath}.L${i}.spool`, across * down, spec.hasMask);
    });
  }

  /** Start a COG assembled at `tmpPath` (spools go beside it). Checks the spec; creates files lazily. */
  static async create(tmpPath: string, spec: CogSpec): Promise<CogWriter> {
    checkCogSpec(spec);
    return new CogWriter(tmpPath, spec);
  }

  /**
   * Add one tile: its encoded bytes (null or empty = sparse) and, with a mask, its encoded mask tile
   * (null = sparse). Any level, any order; each tile at most once. Tiles never written stay sparse.
   * GDAL 3.6 reads a sparse mask tile as all invalid even when its image tile exists, so give every
   * written image tile a mask tile (`allValidMaskTile` for tiles wholly inside).
   * The buffers must not change until the returned promise settles.
   */
  writeTile(level: number, tx: number, ty: number, bytes: Uint8Array | null, maskBytes: Uint8Array | null = null): Promise<void> {
    if (this.state !== 'open') return Promise.reject(new AppError('internal_error', `COG writer is ${this.state}`));
    const size = this.spec.levels[level];
    if (!size) return Promise.reject(new AppError('internal_error', `level ${level} >= ${this.spec.levels.length}`));
    const { across, down } = levelTiles(this.spec, size);
    if (!Number.isInteger(tx) || !Number.isInteger(ty) || tx < 0 || ty < 0 || tx >= across || ty >= down) {
      return Promise.reject(new AppError('internal_error', `tile ${tx},${ty} is outside level ${level} (${across}x${down} tiles)`));
    }
    if (maskBytes && maskBytes.length > 0 && !this.spec.hasMask) return Promise.reject(new AppError('internal_error', 'mask tile given for a COG without a mask'));
    const spool = this.spools[level]!;
    const index = ty * this.across[level]! + tx;
    if (spool.has(index)) return Promise.reject(new AppError('internal_error', `tile ${tx},${ty} of level ${level} written twice`));
    const p = spool.append(index, bytes, maskBytes).catch((e: unknown) => {
      const err = e instanceof Error ? e : new Error(String(e));
      this.failure ??= err;
      throw err;
    });
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p)).catch(() => undefined);
    return p;
  }

  /** Assemble the COG, fsync it, rename it to `finalPath` (same filesystem) and remove the spools. */
  async finish(finalPath: string, clock?: FinishClock): Promise<CogResult> {
    if (this.state !== 'open') throw new AppError('internal_error', `COG writer is ${this.state}`);
    this.state = 'finishing';
    try {
      await Promise.allSettled([...this.pending]);
      if (this.failure !== undefined) throw this.failure;
      const t0 = performance.now();
      const plan = planCog(this.spec, this.spools.map((s) => s.sizes));
      const hash = createHash('sha256');
      const out = await open(this.tmpPath, 'w');
      let pos = 0;
      try {
        const write = async (buf: Uint8Array, length: number): Promise<void> => {
          const chunk = buf.subarray(0, length);
          hash.update(chunk);
          let done = 0;
          while (done < length) done += (await out.write(chunk, done, length - done, pos + done)).bytesWritten;
          pos += length;
        };
        await write(plan.header, plan.header.length);
        const buffer = new Uint8Array(COPY_CHUNK);
        for (let l = this.spools.length - 1; l >= 0; l--) {
          if (pos !== plan.levelDataStart[l]) throw new AppError('internal_error', `level ${l} data at ${pos}, planned at ${plan.levelDataStart[l]}`);
          const spool = this.spools[l]!;
          for (const [start, length] of copyRuns(spool)) {
            for (let done = 0; done < length; ) {
              const n = Math.min(COPY_CHUNK, length - done);
              await spool.read(buffer, n, start + done);
              await write(buffer, n);
              done += n;
            }
          }
          await spool.remove();
        }
        if (pos !== plan.size) throw new AppError('internal_error', `COG is ${pos} bytes, planned ${plan.size}`);
        const t1 = performance.now();
        clock?.add('assemble', t1 - t0);
        await out.sync();
        clock?.add('fsync', performance.now() - t1);
      } finally {
        await out.close();
      }
      const t2 = performance.now();
      await rename(this.tmpPath, finalPath);
      await syncDir(path.dirname(finalPath));
      clock?.add('fsync', performance.now() - t2);
      this.state = 'done';
      return { size: plan.size, sha256: hash.digest('hex'), bigTiff: plan.bigTiff };
    } catch (e) {
      await this.cleanup();
      this.state = 'aborted';
      throw e;
    }
  }

  /** Stop and remove every temp file (the spools and the partly assembled COG). Safe to call twice. */
  async abort(): Promise<void> {
    if (this.state === 'done') return;
    this.state = 'aborted';
    await Promise.allSettled([...this.pending]);
    await this.cleanup();
  }

  private async cleanup(): Promise<void> {
    await Promise.allSettled(this.spools.map((s) => s.remove()));
    await unlink(this.tmpPath).catch(() => undefined);
  }
}

/** Spool ranges to copy, in the file's row-major tile order; adjacent records merge into one run. */
function* copyRuns(spool: LevelSpool): Generator<[number, number]> {
  let runStart = -1;
  let runEnd = -1;
  for (let i = 0; i < spool.position.length; i++) {
    const len = spool.recordLength(i);
    if (len === 0) continue;
    const at = spool.position[i]!;
    if (at === runEnd) {
      runEnd += len;
      continue;
    }
    if (runStart >= 0) yield [runStart, runEnd - runStart];
    runStart = at;
    runEnd = at + len;
  }
  if (runStart >= 0) yield [runStart, runEnd - runStart];
}

/** fsync a directory so a rename in it survives a crash (not supported everywhere; best effort). */
async function syncDir(dir: string): Promise<void> {
  let fh: FileHandle | undefined;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch {
    // Some platforms cannot fsync directories.
  } finally {
    await fh?.close();
  }
}
