/**
 * The bulk of GDAL's bilinear rows (rgb8.rows.ts: the 2×2 kernel and the 3 × 3 triangle kernel) in
 * WebAssembly SIMD (bilinear.wat), for tiles whose window is all valid: the source rows blended once per
 * window column, then one RGBA pixel per tile column of the row's run, with the JavaScript kernels'
 * integers (the same bytes). A tile's column tables are copied into the module's memory once, its
 * window's rows as rows need them (only the columns the taps span); each row writes its run into a row
 * buffer the caller copies out. Where WebAssembly SIMD is missing, `bilinearSimd` is null and the
 * JavaScript kernels run. 0.25 against 1.2 ms for a 256² tile at 1:1 (`npm run bench:kernels`).
 */
import { WasmBase64 } from './bilinear.wasm.js';
import { loadWasm, reserve, type WasmMemory } from '../../raster/simd/wasm.load.js';

interface Exports {
  memory: WasmMemory;
  blend(top: number, bottom: number, v: number, n: number, m0: number, m1: number): void;
  bulk(v: number, tap: number, n1: number, out: number, lo: number, hi: number): void;
  blend3(r0: number, r1: number, r2: number, v: number, n: number, m0: number, m1: number, m2: number): void;
  bulk3(v: number, tap: number, n0: number, n1: number, n2: number, out: number, lo: number, hi: number): void;
  bulkMasked(v: number, tap: number, n1: number, centre: number, out: number, lo: number, hi: number, vtop: number, vbot: number, bottom: number): number;
}

/** A tile's per-column taps and fixed-point weights (rgb8.tables.ts). */
export interface SimdColumns {
  tap: Int32Array;
  /** Window column under each sample's centre */
  centre: Int32Array;
  n0: Int32Array;
  n1: Int32Array;
  n2: Int32Array;
  /** Window columns the taps span (first, last) */
  lo: number;
  hi: number;
}

/** What `rowMasked` leaves where a pixel needs the general formula (a written pixel's alpha is 255, an invalid one is 0). */
export const Marker = 1;

/** Bytes past every region: the kernel reads and writes up to 7 elements (28 bytes) past a range. */
const Pad = 32;

function align(n: number): number {
  return (n + Pad + 15) & ~15;
}

/** One tile's layout in the module's memory: the window's bytes, four column tables, the blended row, the output row. */
export class BilinearSimd {
  private u8: Uint8Array;
  private i32: Int32Array;
  private u32: Uint32Array;
  private tapAt = 0;
  private n0At = 0;
  private n1At = 0;
  private n2At = 0;
  private centreAt = 0;
  private validAt = 0;
  private vAt = 0;
  private outAt = 0;
  private width = 0;
  /** Window rows copied in for this tile and its column span: `copied[y] === generation` (and `copiedValid` for validity) */
  private copied = new Int32Array(0);
  private copiedValid = new Int32Array(0);
  private valid: Uint8Array | null = null;
  private generation = 0;
  private columnsReady = false;
  private src: Uint8Array | null = null;
  /** Rows this kernel has written (the specs check that their tiles took it). */
  rows = 0;

  constructor(private readonly x: Exports) {
    this.u8 = new Uint8Array(x.memory.buffer);
    this.i32 = new Int32Array(x.memory.buffer);
    this.u32 = new Uint32Array(x.memory.buffer);
  }

  /**
   * A new tile: its window (`width` pixels a row, 3 bytes a pixel), its validity (a byte a pixel; null
   * when all valid) and `size` columns; nothing is copied until a row needs it.
   */
  begin(src: Uint8Array, valid: Uint8Array | null, width: number, size: number): void {
    const height = Math.floor(src.length / (width * 3));
    this.tapAt = align(src.length);
    this.n0At = this.tapAt + align(size * 4);
    this.n1At = this.n0At + align(size * 4);
    this.n2At = this.n1At + align(size * 4);
    this.centreAt = this.n2At + align(size * 4);
    this.validAt = this.centreAt + align(size * 4);
    this.vAt = this.validAt + (valid ? align(width * height) : 0);
    this.outAt = this.vAt + align(width * 12);
    if (reserve(this.x.memory, this.outAt + align(size * 4))) {
      this.u8 = new Uint8Array(this.x.memory.buffer);
      this.i32 = new Int32Array(this.x.memory.buffer);
      this.u32 = new Uint32Array(this.x.memory.buffer);
    }
    this.src = src;
    this.valid = valid;
    if (this.copied.length < height) {
      this.copied = new Int32Array(height);
      this.copiedValid = new Int32Array(height);
    }
    this.generation++;
    this.width = width;
    this.columnsReady = false;
  }

  /** The tile's column tables changed (copied again before the next row). */
  columnsChanged(): void {
    this.columnsReady = false;
    // Another column span: rows are copied again as rows need them.
    this.generation++;
  }

  /**
   * Tile columns [lo, hi) of a 2×2 row into `out` at `o`: the window rows starting at pixel `rTap` and
   * one row below, weighted `m0` and `m1`, then each column's pair `tap[i]`, `tap[i] + 1` weighted by
   * `n1[i]`. Every tap must be inside the window and valid.
   */
  row(c: SimdColumns, size: number, rTap: number, m0: number, m1: number, lo: number, hi: number, out: Uint32Array, o: number): void {
    this.ready(c, size, rTap, 2);
    this.blendTwo(c, rTap, m0, m1);
    this.x.bulk(this.vAt, this.tapAt, this.n1At, this.outAt, lo, hi);
    this.copyOut(lo, hi, out, o);
  }

  /**
   * `row` for a window with invalid pixels (the window row under the samples' centres is the bottom tap
   * row when `bottom`): pixels whose centre is invalid stay 0; a pixel with an invalid tap is left as
   * `Marker`, for the caller's general formula. Returns the row's valid pixels, plus 65536 per marker.
   */
  rowMasked(c: SimdColumns, size: number, rTap: number, m0: number, m1: number, lo: number, hi: number, out: Uint32Array, o: number, bottom: boolean): number {
    this.ready(c, size, rTap, 2);
    const w = this.width;
    const y0 = Math.floor(rTap / w);
    this.copyRows(this.valid!, this.validAt, 1, this.copiedValid, c, y0, 2);
    this.blendTwo(c, rTap, m0, m1);
    const counts = this.x.bulkMasked(this.vAt, this.tapAt, this.n1At, this.centreAt, this.outAt, lo, hi, this.validAt + y0 * w, this.validAt + (y0 + 1) * w, bottom ? 1 : 0);
    this.copyOut(lo, hi, out, o);
    return counts;
  }

  /** The same for a row of the triangle kernel: three window rows from pixel `rTap`, weights `m0`, `m1`, `m2`; columns' `n0`, `n1`, `n2`. */
  row3(c: SimdColumns, size: number, rTap: number, m0: number, m1: number, m2: number, lo: number, hi: number, out: Uint32Array, o: number): void {
    this.ready(c, size, rTap, 3);
    const w3 = this.width * 3;
    const top = (rTap + c.lo) * 3;
    this.x.blend3(top, top + w3, top + 2 * w3, this.vAt + c.lo * 12, (c.hi - c.lo + 1) * 3, m0, m1, m2);
    this.x.bulk3(this.vAt, this.tapAt, this.n0At, this.n1At, this.n2At, this.outAt, lo, hi);
    this.copyOut(lo, hi, out, o);
  }

  /**
   * The column tables and the `rows` window rows from pixel `rTap` copied in, when not yet: only the
   * columns the taps span (a window may be a whole decoded tile, of which a zoomed-in map tile needs a corner).
   */
  private ready(c: SimdColumns, size: number, rTap: number, rows: number): void {
    this.copyRows(this.src!, 0, 3, this.copied, c, Math.floor(rTap / this.width), rows);
    if (!this.columnsReady) {
      this.i32.set(c.tap.subarray(0, size), this.tapAt >> 2);
      this.i32.set(c.n0.subarray(0, size), this.n0At >> 2);
      this.i32.set(c.n1.subarray(0, size), this.n1At >> 2);
      this.i32.set(c.n2.subarray(0, size), this.n2At >> 2);
      this.i32.set(c.centre.subarray(0, size), this.centreAt >> 2);
      this.columnsReady = true;
    }
  }

  /**
   * Window rows [y0, y0 + rows) of `from` (`bytes` a pixel), the columns the taps span, into the module's
   * memory at `at` (laid out as in the window), each once per tile and column span (`copied` remembers).
   */
  private copyRows(from: Uint8Array, at: number, bytes: number, copied: Int32Array, c: SimdColumns, y0: number, rows: number): void {
    const w = this.width;
    for (let y = y0; y < y0 + rows; y++) {
      if (copied[y] === this.generation) continue;
      const a = (y * w + c.lo) * bytes;
      this.u8.set(from.subarray(a, (y * w + c.hi + 1) * bytes), at + a);
      copied[y] = this.generation;
    }
  }

  /** The two window rows from pixel `rTap`, weighted `m0` and `m1`, blended over the columns the taps span. */
  private blendTwo(c: SimdColumns, rTap: number, m0: number, m1: number): void {
    const top = (rTap + c.lo) * 3;
    this.x.blend(top, top + this.width * 3, this.vAt + c.lo * 12, (c.hi - c.lo + 1) * 3, m0, m1);
  }

  private copyOut(lo: number, hi: number, out: Uint32Array, o: number): void {
    const at = this.outAt >> 2;
    out.set(this.u32.subarray(at + lo, at + hi), o + lo);
    this.rows++;
  }
}

/** The kernels, or null where this runtime has no WebAssembly SIMD (then the JavaScript kernels run). */
export const bilinearSimd: BilinearSimd | null = ((x) => (x ? new BilinearSimd(x) : null))(loadWasm<Exports>(WasmBase64));
