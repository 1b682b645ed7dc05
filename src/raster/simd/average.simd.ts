/**
 * The masked 2x2 average of 8-bit RGB in WebAssembly SIMD (average.wat): the image and its mask copied
 * into the module's memory 32 rows at a time, eight blocks a step where the mask lets it, and the
 * half-size rows and mask copied out. The same bytes as `averageUint8Masked`'s JavaScript
 * (downsample.u8.ts); 0.18 against 0.6 ms a 512² tile (`npm run bench:kernels`).
 */
import { WasmBase64 } from './average.wasm.js';
import { loadWasm, reserve, type WasmMemory } from './wasm.load.js';

interface Exports {
  memory: WasmMemory;
  average(src: number, mask: number, w: number, h: number, out: number, outMask: number): void;
}

/** Source rows copied in at a time (even): 32 rows of a 16384-pixel-wide image take 2.6 MB. */
const ChunkRows = 32;

function align(n: number): number {
  return (n + 15) & ~15;
}

export class AverageSimd {
  private u8: Uint8Array;
  /** Images this kernel has averaged (the specs check that theirs took it). */
  calls = 0;

  constructor(private readonly x: Exports) {
    this.u8 = new Uint8Array(x.memory.buffer);
  }

  /**
   * Output rows [0, h / 2) of a `w` × `h` RGB image (`w` even) and its mask into `out` (w / 2 pixels a
   * row) and `outMask`; an odd last source row is left to the caller. Bands of `ChunkRows` source rows at
   * a time, so the module's memory stays small (it never shrinks) whatever the image's width.
   */
  average(src: Uint8Array, mask: Uint8Array, w: number, h: number, out: Uint8Array, outMask: Uint8Array): void {
    const ow = w >> 1;
    const rows = Math.min(ChunkRows, h & ~1);
    const maskAt = align(w * rows * 3);
    const outAt = maskAt + align(w * rows);
    const outMaskAt = outAt + align((ow * rows * 3) >> 1);
    const end = outMaskAt + align((ow * rows) >> 1);
    if (reserve(this.x.memory, end)) this.u8 = new Uint8Array(this.x.memory.buffer);
    for (let y = 0; y + 1 < h; y += rows) {
      const n = Math.min(rows, (h & ~1) - y);
      const o = (y >> 1) * ow;
      const m = (n >> 1) * ow;
      this.u8.set(src.subarray(y * w * 3, (y + n) * w * 3), 0);
      this.u8.set(mask.subarray(y * w, (y + n) * w), maskAt);
      this.u8.fill(0, outAt, outAt + m * 3);
      this.u8.fill(0, outMaskAt, outMaskAt + m);
      this.x.average(0, maskAt, w, n, outAt, outMaskAt);
      out.set(this.u8.subarray(outAt, outAt + m * 3), o * 3);
      outMask.set(this.u8.subarray(outMaskAt, outMaskAt + m), o);
    }
    this.calls++;
  }
}

/** The kernel, or null where this runtime has no WebAssembly SIMD (then downsample.u8.ts averages in JavaScript). */
export const averageSimd: AverageSimd | null = ((x) => (x ? new AverageSimd(x) : null))(loadWasm<Exports>(WasmBase64));
