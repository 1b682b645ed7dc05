import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { copyRows, copyRowsJs, cutTile, fillInvalidBlocks, putTile } from '../../../src/raster/clip/tile.cut.js';
import { allocPixels } from '../../../src/raster/decode/pixel.array.js';
import { nativeCodecs } from '../../../src/raster/native/codecs.native.js';
import type { DataType } from '../../../src/raster/raster.types.js';

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

describe('copyRows (tiles cut from and put into row buffers)', () => {
  it('copies the rows JavaScript copies, for every data type, strides, offsets and views into larger buffers', () => {
    const r = rng(5);
    const types: DataType[] = ['uint8', 'int8', 'uint16', 'int16', 'uint32', 'int32', 'float32', 'float64'];
    for (let t = 0; t < 120; t++) {
      const type = types[t % types.length]!;
      const rowLength = 1 + Math.floor(r() * 40);
      const rows = Math.floor(r() * 12);
      const srcStride = rowLength + Math.floor(r() * 9);
      const dstStride = rowLength + Math.floor(r() * 9);
      const srcStart = Math.floor(r() * 7);
      const dstStart = Math.floor(r() * 7);
      const backing = allocPixels(type, srcStart + rows * srcStride + 8);
      for (let i = 0; i < backing.length; i++) backing[i] = Math.floor(r() * 100) as never;
      const src = backing.subarray(1) as typeof backing; // a view at an offset
      const mine = allocPixels(type, dstStart + rows * dstStride + 3);
      const theirs = allocPixels(type, mine.length);
      copyRows(mine, dstStart, dstStride, src, srcStart, srcStride, rowLength, rows);
      copyRowsJs(theirs, dstStart, dstStride, src, srcStart, srcStride, rowLength, rows);
      assert.deepEqual(mine, theirs, `case ${t}: ${type}, ${rows} rows of ${rowLength}`);
    }
  });

  it('cutTile takes back what putTile put', () => {
    const row = allocPixels('uint16', 3 * 4 * 5 * 2);
    const tile = Uint16Array.from({ length: 4 * 5 * 2 }, (_, i) => i + 1);
    putTile(row, 12, tile, 2, 4, 5, 2);
    assert.deepEqual(cutTile(row, 12, 2, 4, 5, 2, 'uint16'), tile);
    assert.ok(cutTile(row, 12, 0, 4, 5, 2, 'uint16').every((v) => v === 0));
  });

  it('the addon refuses rows outside either array and copies nothing', { skip: nativeCodecs ? false : 'the codec addon is not built' }, () => {
    const dst = new Uint8Array(10);
    const src = new Uint8Array(10).fill(1);
    assert.throws(() => nativeCodecs!.copyRows(dst, 0, 5, src, 0, 5, 5, 3), /outside dst or src/);
    assert.throws(() => nativeCodecs!.copyRows(dst, 6, 1, src, 0, 1, 5, 1), /outside dst or src/);
    assert.throws(() => nativeCodecs!.copyRows(dst, 0, 1, src, -1, 1, 5, 1), /srcStart must be a non-negative integer/);
    for (const bad of [NaN, 1.5, 1e300, Infinity]) assert.throws(() => nativeCodecs!.copyRows(dst, bad, 1, src, 0, 1, 1, 1), /dstStart must be a non-negative integer/);
    assert.throws(() => nativeCodecs!.copyRows(new Uint16Array(4) as never, 0, 1, src, 0, 1, 1, 1), /dst must be a Uint8Array/);
    assert.ok(dst.every((v) => v === 0));
    nativeCodecs!.copyRows(dst, 0, 5, src, 0, 5, 5, 2);
    assert.ok(dst.every((v) => v === 1));
  });
});
