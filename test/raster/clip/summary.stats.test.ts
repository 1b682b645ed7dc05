import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bandStatistics, LevelStatistics } from '../../../src/raster/clip/summary.stats.js';

/** A seeded stream of integers below `mod` (xorshift32), so the spec is the same on every run. */
function seeded(n: number, seed: number, mod: number): number[] {
  const out: number[] = [];
  let x = seed;
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    out.push((x >>> 0) % mod);
  }
  return out;
}

/** A `w` x `h` level cut into `tile` x `tile` blocks (edge blocks partial), each as a whole tile buffer. */
function tilesOf(pixels: ArrayLike<number>, valid: Uint8Array, w: number, h: number, bands: number, tile: number, make: (n: number) => Uint8Array | Float32Array) {
  const out: { pixels: Uint8Array | Float32Array; valid: Uint8Array; cols: number; rows: number; key: number }[] = [];
  const across = Math.ceil(w / tile);
  for (let ty = 0; ty < Math.ceil(h / tile); ty++) {
    for (let tx = 0; tx < across; tx++) {
      const cols = Math.min(tile, w - tx * tile);
      const rows = Math.min(tile, h - ty * tile);
      // Pixels past the level's edge hold values that must not count.
      const p = make(tile * tile * bands).fill(77);
      const v = new Uint8Array(tile * tile).fill(255);
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < cols; c++) {
          const i = (ty * tile + r) * w + tx * tile + c;
          v[r * tile + c] = valid[i]!;
          for (let b = 0; b < bands; b++) p[(r * tile + c) * bands + b] = pixels[i * bands + b]!;
        }
      }
      out.push({ pixels: p, valid: v, cols, rows, key: ty * across + tx });
    }
  }
  return out;
}

describe('level statistics gathered tile by tile', () => {
  const [w, h, bands, tile] = [70, 45, 3, 16];
  const valid = Uint8Array.from(seeded(w * h, 5, 4), (v) => (v === 0 ? 0 : 255));

  for (const kind of ['8-bit (histograms)', 'float (moments merged in key order)'] as const) {
    it(`${kind}: the tiles of a level, in any order and with pixels past its edge, give the whole level's statistics`, () => {
      const bytes = kind.startsWith('8');
      const values = seeded(w * h * bands, 9, bytes ? 256 : 100_000).map((v) => (bytes ? v : v / 7 - 5000));
      const make = (n: number) => (bytes ? new Uint8Array(n) : new Float32Array(n));
      const whole = make(values.length);
      whole.set(values);
      const expected = bandStatistics(whole, valid, bands);
      const tiles = tilesOf(whole, valid, w, h, bands, tile, make);
      const results = [tiles, [...tiles].reverse(), [...tiles].sort((a, b) => (a.key * 7919) % 13 - (b.key * 7919) % 13)].map((order) => {
        const stats = new LevelStatistics(bands, bytes, w * h);
        for (const t of order) stats.add(t.pixels, t.valid, tile, t.cols, t.rows, t.key);
        return stats.result();
      });
      assert.deepEqual(results[1], results[0], 'the same figures in any order');
      assert.deepEqual(results[2], results[0], 'the same figures in any order');
      results[0]!.forEach((s, b) => {
        const e = expected[b]!;
        assert.deepEqual([s!.minimum, s!.maximum, s!.valid_percent], [e.minimum, e.maximum, e.valid_percent]);
        assert.ok(Math.abs(s!.mean - e.mean) < 1e-9 && Math.abs(s!.stddev - e.stddev) < 1e-9, `band ${b}: ${JSON.stringify([s, e])}`);
      });
    });
  }

  it("leaves a band's nodata value out of that band only, as GDAL's per-band mask does (8-bit and wider)", () => {
    // Pixel 1 is nodata (0) in band 1 only; pixel 2 in every band.
    const px = [10, 20, 30, 0, 40, 50, 0, 0, 0, 12, 22, 32];
    const all = new Uint8Array(4).fill(255);
    for (const pixels of [Uint8Array.from(px), Float32Array.from(px)]) {
      const [b1, b2, b3] = bandStatistics(pixels, all, 3, 0);
      assert.deepEqual([b1!.minimum, b1!.maximum, b1!.mean, b1!.valid_percent], [10, 12, 11, 50]);
      assert.deepEqual([b2!.minimum, b2!.maximum, b2!.mean, b2!.valid_percent], [20, 40, 82 / 3, 75]);
      assert.deepEqual([b3!.minimum, b3!.maximum, b3!.valid_percent], [30, 50, 75]);
      assert.deepEqual(bandStatistics(pixels, all, 3).map((s) => s!.minimum), [0, 0, 0], 'with a mask instead, nodata values count');
    }
  });
});
