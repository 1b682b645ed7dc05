/**
 * The masked 2x2 average of 8-bit RGB in WebAssembly SIMD (average.wat): the image and its mask copied
 * into the module's memory, eight blocks a step where the mask lets it, and the half-size image and mask
 * copied out. The same bytes as `averageUint8Masked`'s JavaScript (downsample.u8.ts).
 */
import { WasmBase64 } from './average.wasm.js';
import { loadWasm, reserve, type WasmMemory } from './wasm.load.js';

interface Exports {
  memory: WasmMemory;
  average(src: number, mask: number, w: number, h: number, out: number, outMask: number): void;
}

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
   * row) and `outMask`; an odd last source row is left to the caller.
   */
  average(src: Uint8Array, mask: Uint8Array, w: number, h: number, out: Uint8Array, outMask: Uint8Array): void {
    const ow = w >> 1;
    const oh = h >> 1;
    const maskAt = align(w * h * 3);
    const outAt = maskAt + align(w * h);
    const outMaskAt = outAt + align(ow * oh * 3);
    const end = outMaskAt + align(ow * oh);
    if (reserve(this.x.memory, end)) this.u8 = new Uint8Array(this.x.memory.buffer);
    this.u8.set(src.subarray(0, w * h * 3), 0);
    this.u8.set(mask.subarray(0, w * h), maskAt);
    this.u8.fill(0, outAt, end);
    this.x.average(0, maskAt, w, h, outAt, outMaskAt);
    out.set(this.u8.subarray(outAt, outAt + ow * oh * 3), 0);
    outMask.set(this.u8.subarray(outMaskAt, outMaskAt + ow * oh), 0);
    this.calls++;
  }
}

/** The kernel, or null where this runtime has no WebAssembly SIMD (then downsample.u8.ts averages in JavaScript). */
export const averageSimd: AverageSimd | null = ((x) => (x ? new AverageSimd(x) : null))(loadWasm<Exports>(WasmBase64));
