import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fillInvalidBlocks } from '../../../src/raster/clip/tile.cut.js';

/** A seeded stream in [0, 1) (xorshift32). */
function rng(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

/** From the definition: a block x block cell (cut at the tile's edge) with no valid pixel takes `value` in every band. */
function reference(tile: Uint8Array, valid: Uint8Array, w: number, h: number, bands: number, value: number, block: number): Uint8Array {
  const out = tile.slice();
  for (let by = 0; by < h; by += block) {
    for (let bx = 0; bx < w; bx += block) {
      const cells: number[] = [];
      for (let y = by; y < Math.min(h, by + block); y++) for (let x = bx; x < Math.min(w, bx + block); x++) cells.push(y * w + x);
      if (cells.some((i) => valid[i] !== 0)) continue;
      for (const i of cells) for (let b = 0; b < bands; b++) out[i * bands + b] = value;
    }
  }
  return out;
}

describe('fillInvalidBlocks (lossy outputs: only the cells with nothing valid are filled)', () => {
  it('fills exactly the cells without a valid pixel, for discs, sparse dots, odd widths, unaligned views and block sizes 3-16', () => {
    const r = rng(77);
    for (let t = 0; t < 200; t++) {
      const w = 4 * (1 + Math.floor(r() * 24)) + (t % 4 === 0 ? 1 : 0);
      const h = 1 + Math.floor(r() * 50);
      const bands = 1 + (t % 3);
      const block = [16, 8, 4, 3][t % 4]!;
      const [cx, cy, radius] = [r() * w, r() * h, r() * w];
      // Every other case views the mask at an odd offset (no 32-bit reads there).
      const backing = new Uint8Array(w * h + 1);
      const valid = backing.subarray(t % 2, t % 2 + w * h);
      for (let i = 0; i < w * h; i++) valid[i] = t % 3 === 0 ? (r() < 0.01 ? 1 : 0) : Math.hypot((i % w) - cx, Math.floor(i / w) - cy) < radius ? 255 : 0;
      const tile = Uint8Array.from({ length: w * h * bands }, () => 1 + Math.floor(r() * 255));
      const want = reference(tile, valid, w, h, bands, 0, block);
      fillInvalidBlocks(tile, valid, w, h, bands, 0, block);
      assert.deepEqual(tile, want, `case ${t}: ${w}x${h}x${bands}, block ${block}`);
    }
  });
});
