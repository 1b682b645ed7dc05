/**
 * The 8-bit 2x2 averages of downsample.ts, on the bytes directly (JPEG and WEBP sources, the common clip
 * overview): unmasked, and with a mask. Same rules as the general kernel: integer means round half up
 * (all values are non-negative), the output mask is 255 where the block had a valid pixel. The masked
 * RGB average of an even width runs in WebAssembly SIMD where the runtime has it (simd/average.simd.ts).
 */
import { averageSimd } from '../simd/average.simd.js';

let simd = averageSimd;

/** Turns the SIMD masked average off (or on again, where the runtime has it): the specs compare both. */
export function useAverageSimd(on: boolean): void {
  simd = on ? averageSimd : null;
}

/** `averagePlain` for 8-bit data (JPEG and WEBP sources), on the bytes directly: (a + b + c + d + 2) >> 2. */
export function averageUint8(src: Uint8Array, out: Uint8Array, w: number, h: number, bands: number): void {
  const ow = Math.ceil(w / 2);
  const rowLen = w * bands;
  const end = (w >> 1) * 2 * bands;
  for (let oy = 0; oy < Math.ceil(h / 2); oy++) {
    const r0 = 2 * oy * rowLen;
    const hasY1 = 2 * oy + 1 < h;
    const r1 = hasY1 ? r0 + rowLen : r0;
    let o = oy * ow * bands;
    let i = 0;
    for (; i < end; i += bands) {
      for (const stop = i + bands; i < stop; i++, o++) {
        out[o] = hasY1 ? (src[r0 + i]! + src[r0 + i + bands]! + src[r1 + i]! + src[r1 + i + bands]! + 2) >> 2 : (src[r0 + i]! + src[r0 + i + bands]! + 1) >> 1;
      }
    }
    if (end < rowLen) {
      for (; i < rowLen; i++, o++) out[o] = hasY1 ? (src[r0 + i]! + src[r1 + i]! + 1) >> 1 : src[r0 + i]!;
    }
  }
}

/**
 * Masked average for 8-bit data: the common clip overview (RGB + mask), without per-sample conversions.
 * Most blocks are wholly valid (inside the AOI) or wholly invalid (outside): both are told apart by one
 * 16-bit read of each mask row when the width is even, before any per-pixel work.
 */
export function averageUint8Masked(src: Uint8Array, out: Uint8Array, w: number, h: number, bands: number, mask: Uint8Array, outMask: Uint8Array): void {
  const ow = Math.ceil(w / 2);
  const oh = Math.ceil(h / 2);
  // RGB of an even width: every row with a second row below in WebAssembly SIMD, where there is SIMD.
  let first = 0;
  if (simd && bands === 3 && w % 2 === 0) {
    simd.average(src, mask, w, h, out, outMask);
    first = h >> 1;
  }
  // Pairs of mask bytes as one 16-bit value (0xffff: both 255, 0: both invalid), when rows start on even offsets.
  const pairs = w % 2 === 0 && mask.byteOffset % 2 === 0 ? new Uint16Array(mask.buffer, mask.byteOffset, mask.length >> 1) : null;
  for (let oy = first; oy < oh; oy++) {
    const y0 = 2 * oy;
    const y1 = y0 + 1 < h ? y0 + 1 : -1;
    if (pairs && y1 >= 0) {
      if (bands === 3) pairRow3(src, out, w, oy, pairs, mask, outMask);
      else pairRow(src, out, w, oy, bands, pairs, mask, outMask);
      continue;
    }
    for (let ox = 0; ox < ow; ox++) mixedBlock(src, out, w, y0, y1, ox, oy * ow + ox, bands, mask, outMask);
  }
}

/**
 * One output row of RGB from whole 2x2 blocks (even width, a second source row): a block wholly valid or
 * wholly invalid (most of them) is told by two 16-bit mask reads; only the AOI's edge takes the general rule.
 */
function pairRow3(src: Uint8Array, out: Uint8Array, w: number, oy: number, pairs: Uint16Array, mask: Uint8Array, outMask: Uint8Array): void {
  const ow = w >> 1;
  const y0 = 2 * oy;
  const row0 = (y0 * w) >> 1;
  const row1 = row0 + ow;
  const w3 = w * 3;
  for (let ox = 0, po = oy * ow, ia = y0 * w3; ox < ow; ox++, po++, ia += 6) {
    const m0 = pairs[row0 + ox]!;
    const m1 = pairs[row1 + ox]!;
    if ((m0 | m1) === 0) continue; // no valid pixel: output and its mask stay 0
    if ((m0 & m1) !== 0xffff) {
      mixedBlock(src, out, w, y0, y0 + 1, ox, po, 3, mask, outMask);
      continue;
    }
    outMask[po] = 255;
    const ic = ia + w3;
    const o = po * 3;
    out[o] = (src[ia]! + src[ia + 3]! + src[ic]! + src[ic + 3]! + 2) >> 2;
    out[o + 1] = (src[ia + 1]! + src[ia + 4]! + src[ic + 1]! + src[ic + 4]! + 2) >> 2;
    out[o + 2] = (src[ia + 2]! + src[ia + 5]! + src[ic + 2]! + src[ic + 5]! + 2) >> 2;
  }
}

/** `pairRow3` for any band count. */
function pairRow(src: Uint8Array, out: Uint8Array, w: number, oy: number, bands: number, pairs: Uint16Array, mask: Uint8Array, outMask: Uint8Array): void {
  const ow = w >> 1;
  const y0 = 2 * oy;
  const row0 = (y0 * w) >> 1;
  const row1 = row0 + ow;
  for (let ox = 0, po = oy * ow; ox < ow; ox++, po++) {
    const m0 = pairs[row0 + ox]!;
    const m1 = pairs[row1 + ox]!;
    if ((m0 | m1) === 0) continue;
    if ((m0 & m1) !== 0xffff) {
      mixedBlock(src, out, w, y0, y0 + 1, ox, po, bands, mask, outMask);
      continue;
    }
    outMask[po] = 255;
    const ia = (y0 * w + 2 * ox) * bands;
    const ic = ia + w * bands;
    const o = po * bands;
    for (let k = 0; k < bands; k++) out[o + k] = (src[ia + k]! + src[ia + bands + k]! + src[ic + k]! + src[ic + bands + k]! + 2) >> 2;
  }
}

/** The general rule for one block (`y1` -1 past the last row): the mean of its valid pixels, rounded half up. */
function mixedBlock(src: Uint8Array, out: Uint8Array, w: number, y0: number, y1: number, ox: number, po: number, bands: number, mask: Uint8Array, outMask: Uint8Array): void {
  const x0 = 2 * ox;
  const x1 = x0 + 1 < w ? x0 + 1 : -1;
  const p00 = y0 * w + x0;
  // Pixel indexes of the block's valid pixels, -1 where absent or masked.
  const a = mask[p00] !== 0 ? p00 : -1;
  const b = x1 >= 0 && mask[p00 + 1] !== 0 ? p00 + 1 : -1;
  const c = y1 >= 0 && mask[p00 + w] !== 0 ? p00 + w : -1;
  const d = x1 >= 0 && y1 >= 0 && mask[p00 + w + 1] !== 0 ? p00 + w + 1 : -1;
  const n = (a >= 0 ? 1 : 0) + (b >= 0 ? 1 : 0) + (c >= 0 ? 1 : 0) + (d >= 0 ? 1 : 0);
  outMask[po] = n > 0 ? 255 : 0;
  const o = po * bands;
  if (n === 4) {
    const ia = a * bands;
    const ic = c * bands;
    for (let k = 0; k < bands; k++) out[o + k] = (src[ia + k]! + src[ia + bands + k]! + src[ic + k]! + src[ic + bands + k]! + 2) >> 2;
  } else if (n > 0) {
    for (let k = 0; k < bands; k++) {
      const sum = (a >= 0 ? src[a * bands + k]! : 0) + (b >= 0 ? src[b * bands + k]! : 0) + (c >= 0 ? src[c * bands + k]! : 0) + (d >= 0 ? src[d * bands + k]! : 0);
      out[o + k] = Math.floor((2 * sum + n) / (2 * n));
    }
  }
}
