/**
 * Tile-sized pixel buffers for reuse within one clip. A clip decodes, cuts and encodes hundreds of tiles of
 * one size; a fresh ArrayBuffer for each (768 KiB for 512² RGB) is memory the system must map and zero,
 * and external memory that makes V8 collect every few dozen tiles. Buffers given back are handed out again.
 *
 * The rule for callers: give back only pixels nothing else holds (no view, no pending codec call).
 */
import type { DataType, PixelArray } from '../raster.types.js';
import { sampleBytes, viewPixels } from './pixel.array.js';

/** Bytes a pool keeps at most, whatever its buffers' size (a float64 tile of 1024² and 4 bands is 32 MiB). */
const KeepBytes = 24 * 1024 * 1024;

export class PixelPool {
  private readonly free: ArrayBuffer[] = [];
  private readonly bytes: number;
  /** Buffers kept for reuse at most (the rest are left to the garbage collector) */
  private readonly keep: number;
  /** Buffers made new, and handed out again (tests count them). */
  readonly counts = { made: 0, reused: 0 };

  constructor(
    readonly dataType: DataType,
    /** Samples per buffer */
    readonly length: number,
    /** Buffers kept at most; fewer when they would hold more than 24 MiB */
    keep = 16,
  ) {
    this.bytes = length * sampleBytes(dataType);
    this.keep = Math.min(keep, Math.floor(KeepBytes / Math.max(1, this.bytes)));
  }

  /** A buffer of `length` samples; its contents are whatever its last user left (not zeroed). */
  take(): PixelArray {
    const reused = this.free.pop();
    if (reused) this.counts.reused++;
    else this.counts.made++;
    return viewPixels(this.dataType, reused ?? new ArrayBuffer(this.bytes), 0, this.length);
  }

  /** Take `pixels`' buffer back for reuse, when it is a whole buffer of this pool's size (else it is left alone). */
  give(pixels: PixelArray | null | undefined): void {
    if (!pixels || this.free.length >= this.keep) return;
    const buffer = pixels.buffer;
    if (!(buffer instanceof ArrayBuffer) || buffer.byteLength !== this.bytes || this.free.includes(buffer)) return;
    this.free.push(buffer);
  }
}

/**
 * One pool per tile size and data type, for a thread that clips one file after another: the buffers of a
 * clip are there for the next. The pools used last are kept (a clip uses four: tile pixels, tile validity,
 * and their halves); `clear` lets them all go (an idle thread's memory goes back to the system).
 */
export class PixelPools {
  /** In order of use, the last used last */
  private readonly pools = new Map<string, PixelPool>();

  constructor(
    /** Buffers each pool keeps at most (fewer for large tiles: see PixelPool) */
    private readonly keep = 16,
    /** Pools kept at most: a clip of another tile size or data type lets the oldest go */
    private readonly pooled = 8,
  ) {}

  /** The pool of buffers of `length` samples of `dataType`. */
  for(dataType: DataType, length: number): PixelPool {
    const key = `${dataType}:${length}`;
    const pool = this.pools.get(key) ?? new PixelPool(dataType, length, this.keep);
    this.pools.delete(key);
    this.pools.set(key, pool);
    if (this.pools.size > this.pooled) this.pools.delete(this.pools.keys().next().value as string);
    return pool;
  }

  /** Buffers made new and handed out again, over every pool. */
  get counts(): { made: number; reused: number } {
    let made = 0;
    let reused = 0;
    for (const p of this.pools.values()) {
      made += p.counts.made;
      reused += p.counts.reused;
    }
    return { made, reused };
  }

  /** Let every kept buffer go. */
  clear(): void {
    this.pools.clear();
  }
}
