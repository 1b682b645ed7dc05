import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { packRgb } from '../../src/tiles/rgb.pack.js';

/** RGBA bytes with every channel distinct, and the RGB a byte-by-byte copy gives. */
function sample(n: number): { rgba: Uint8Array; rgb: Uint8Array } {
  const rgba = new Uint8Array(n * 4);
  for (let i = 0; i < rgba.length; i++) rgba[i] = (i * 37 + 11) & 255;
  const rgb = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) rgb[i * 3 + c] = rgba[i * 4 + c]!;
  return { rgba, rgb };
}

describe('packing RGBA into RGB', () => {
  it('drops alpha and keeps every colour byte, for pixel counts that are and are not multiples of four', () => {
    for (const n of [0, 1, 3, 4, 5, 255, 256 * 256]) {
      const { rgba, rgb } = sample(n);
      const out = new Uint8Array(n * 3);
      packRgb(rgba, out);
      assert.deepEqual(out, rgb, `${n} pixels`);
    }
  });

  it('gives the same bytes from unaligned arrays (the byte-by-byte path)', () => {
    const { rgba, rgb } = sample(37);
    const src = new Uint8Array(rgba.length + 1).subarray(1);
    src.set(rgba);
    const out = new Uint8Array(rgb.length + 3).subarray(1, rgb.length + 1);
    packRgb(src, out);
    assert.deepEqual(out, rgb);
  });

  it('refuses an output too small to hold the pixels', () => {
    assert.throws(() => packRgb(new Uint8Array(16), new Uint8Array(11)), RangeError);
  });
});
