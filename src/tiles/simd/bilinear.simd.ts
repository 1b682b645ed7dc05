/**
 * The bulk of a 2×2 bilinear row (rgb8.rows.ts) in WebAssembly SIMD (bilinear.wat), for tiles whose
 * window is all valid: the two source rows blended once per window column, then one RGBA pixel per tile
 * column of the row's run, with the JavaScript kernel's integers (the same bytes). A tile's window and
 * column tables are copied into the module's memory once; each row writes its run into a row buffer
 * the caller copies out. Where WebAssembly SIMD is missing, `bilinearSimd` is null and the JavaScript
 * kernel runs.
 */
import { WasmBase64 } from './bilinear.wasm.js';

/** What this file uses of WebAssembly (the project's TypeScript libraries leave its globals untyped). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

interface Exports {
  memory: WasmMemory;
  blend(top: number, bottom: number, v: number, n: number, m0: number, m1: number): void;
  bulk(v: number, tap: number, n1: number, out: number, lo: number, hi: number): void;
}

/** Bytes past every region: the kernel reads and writes up to 7 elements (28 bytes) past a range. */
const Pad = 32;

function align(n: number): number {
  return (n + Pad + 15) & ~15;
}

/** One tile's layout in the module's memory: the window's bytes, two column tables, the blended row, the output row. */
export class BilinearSimd {
  private u8: Uint8Array;
  private i32: Int32Array;
  private u32: Uint32Array;
  private tapAt = 0;
  private n1At = 0;
  private vAt = 0;
  private outAt = 0;
  private width = 0;
  private srcReady = false;
  private columnsReady = false;
  private src: Uint8Array | null = null;
  /** Rows this kernel has written (the specs check that their tiles took it). */
  rows = 0;

  constructor(private readonly x: Exports) {
    this.u8 = new Uint8Array(x.memory.buffer);
    this.i32 = new Int32Array(x.memory.buffer);
    this.u32 = new Uint32Array(x.memory.buffer);
  }

  /** A new tile: its window (`width` pixels a row, 3 bytes a pixel) and `size` columns; nothing is copied until a row needs it. */
  begin(src: Uint8Array, width: number, size: number): void {
    const srcBytes = align(src.length);
    this.tapAt = srcBytes;
    this.n1At = this.tapAt + align(size * 4);
    this.vAt = this.n1At + align(size * 4);
    this.outAt = this.vAt + align(width * 12);
    const need = this.outAt + align(size * 4);
    const have = this.x.memory.buffer.byteLength;
    if (need > have) {
      this.x.memory.grow(Math.ceil((need - have) / 65536));
      this.u8 = new Uint8Array(this.x.memory.buffer);
      this.i32 = new Int32Array(this.x.memory.buffer);
      this.u32 = new Uint32Array(this.x.memory.buffer);
    }
    this.src = src;
    this.width = width;
    this.srcReady = false;
    this.columnsReady = false;
  }

  /** The tile's column tables changed (copied again before the next row). */
  columnsChanged(): void {
    this.columnsReady = false;
  }

  /**
   * Tile columns [lo, hi) of one row into `out` at `o`: the window rows starting at pixel `rTap` and one row below, weighted `m0`
   * and `m1`, window columns [`first`, `last`] blended, then each column's pair `tap[i]`, `tap[i] + 1`
   * weighted by `n1[i]`. Every tap must be inside the window and valid.
   */
  row(tap: Int32Array, n1: Int32Array, size: number, rTap: number, m0: number, m1: number, first: number, last: number, lo: number, hi: number, out: Uint32Array, o: number): void {
    if (!this.srcReady) {
      this.u8.set(this.src!, 0);
      this.srcReady = true;
    }
    if (!this.columnsReady) {
      this.i32.set(tap.subarray(0, size), this.tapAt >> 2);
      this.i32.set(n1.subarray(0, size), this.n1At >> 2);
      this.columnsReady = true;
    }
    const w3 = this.width * 3;
    const top = (rTap + first) * 3;
    this.x.blend(top, top + w3, this.vAt + first * 12, (last - first + 1) * 3, m0, m1);
    this.x.bulk(this.vAt, this.tapAt, this.n1At, this.outAt, lo, hi);
    const at = this.outAt >> 2;
    out.set(this.u32.subarray(at + lo, at + hi), o + lo);
    this.rows++;
  }
}

function instantiate(): BilinearSimd | null {
  try {
    const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
    const bytes = Buffer.from(WasmBase64, 'base64');
    if (!wasm?.validate(bytes)) return null;
    const instance = new wasm.Instance(new wasm.Module(bytes), {});
    return new BilinearSimd(instance.exports as unknown as Exports);
  } catch {
    return null;
  }
}

/** The kernel, or null where this runtime has no WebAssembly SIMD (then the JavaScript kernel runs). */
export const bilinearSimd: BilinearSimd | null = instantiate();
