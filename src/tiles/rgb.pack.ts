/**
 * RGBA bytes to RGB bytes (alpha dropped). Sixteen pixels at a time in WebAssembly SIMD where the runtime
 * has it (simd/pack.simd.ts, 22-25 µs for a 256² tile); else four at a time as three 32-bit words
 * when both arrays are 4-byte aligned on a little-endian machine (65 µs), byte by byte otherwise.
 */
import { HostLittleEndian } from '../raster/decode/pixel.array.js';
import { packSimd } from './simd/pack.simd.js';

let simd = packSimd;

/** Turns the SIMD packer off (or on again, where the runtime has it): the specs compare both. */
export function usePackSimd(on: boolean): void {
  simd = on ? packSimd : null;
}

/** Write the RGB of `rgba` (n × 4 bytes) into `rgb` (n × 3 bytes). */
export function packRgb(rgba: Uint8Array, rgb: Uint8Array): void {
  const n = rgba.length >> 2;
  if (rgb.length < n * 3) throw new RangeError(`packRgb: ${rgb.length} bytes cannot hold ${n} RGB pixels`);
  let i = 0;
  if (simd && n >= 16) {
    i = n - (n & 15);
    simd.pack(rgba, rgb, i);
  } else if (HostLittleEndian && (rgba.byteOffset & 3) === 0 && (rgb.byteOffset & 3) === 0) {
    const src = new Uint32Array(rgba.buffer, rgba.byteOffset, n);
    const dst = new Uint32Array(rgb.buffer, rgb.byteOffset, (n >> 2) * 3);
    for (let o = 0; i + 4 <= n; i += 4, o += 3) {
      const a = src[i]! & 0xffffff, b = src[i + 1]! & 0xffffff, c = src[i + 2]! & 0xffffff, d = src[i + 3]! & 0xffffff;
      dst[o] = a | (b << 24);
      dst[o + 1] = (b >>> 8) | (c << 16);
      dst[o + 2] = (c >>> 16) | (d << 8);
    }
  }
  for (; i < n; i++) {
    rgb[i * 3] = rgba[i * 4]!;
    rgb[i * 3 + 1] = rgba[i * 4 + 1]!;
    rgb[i * 3 + 2] = rgba[i * 4 + 2]!;
  }
}
