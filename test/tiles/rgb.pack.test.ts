import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { packRgb, usePackSimd } from '../../src/tiles/rgb.pack.js';
import { packSimd } from '../../src/tiles/simd/pack.simd.js';

/** RGBA bytes with every channel distinct, and the RGB a byte-by-byte copy gives. */
function sample(n: number): { rgba: Uint8Array; rgb: Uint8Array } {
  const rgba = new Uint8Array(n * 4);
  for (let i = 0; i < rgba.length; i++) rgba[i] = (i * 37 + 11) & 255;
  const rgb = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) rgb[i * 3 + c] = rgba[i * 4 + c]!;
  return { rgba, rgb };
}

describe('packing RGBA into RGB', () => {
  it('drops alpha and keeps every colour byte, for pixel counts that are and are not multiples of four and of sixteen', () => {
    assert.ok(packSimd, 'Node 20 has WebAssembly SIMD');
    for (const simd of [true, false]) {
      usePackSimd(simd);
      try {
        for (const n of [0, 1, 3, 4, 5, 15, 16, 17, 33, 255, 256 * 256, 512 * 512 + 7]) {
          const { rgba, rgb } = sample(n);
          const out = new Uint8Array(n * 3);
          packRgb(rgba, out);
          assert.ok(Buffer.from(out).equals(Buffer.from(rgb)), `${n} pixels, ${simd ? 'SIMD' : 'JavaScript'}`);
        }
      } finally {
        usePackSimd(true);
      }
    }
  });

  it('gives the same bytes from unaligned arrays (SIMD, and the byte-by-byte path)', () => {
    for (const simd of [true, false]) {
      usePackSimd(simd);
      try {
        const { rgba, rgb } = sample(37);
        const src = new Uint8Array(rgba.length + 1).subarray(1);
        src.set(rgba);
        const out = new Uint8Array(rgb.length + 3).subarray(1, rgb.length + 1);
        packRgb(src, out);
        assert.deepEqual(out, rgb);
      } finally {
        usePackSimd(true);
      }
    }
  });

  it('refuses an output too small to hold the pixels', () => {
    assert.throws(() => packRgb(new Uint8Array(16), new Uint8Array(11)), RangeError);
  });
});
