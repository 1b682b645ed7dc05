import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bandStatistics } from '../../../src/raster/clip/summary.stats.js';

/** A seeded byte stream (xorshift32), so the spec is the same on every run. */
function bytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    out[i] = (x >>> 0) % 251;
  }
  return out;
}

describe('output summary statistics', () => {
  for (const bands of [1, 3, 4]) it(`give ${bands} 8-bit band(s) (from a histogram) the statistics the running form gives the same values held wider`, () => {
    const count = 50_000;
    const pixels = bytes(count * bands, 7);
    const valid = bytes(count, 11).map((v) => (v % 3 === 0 ? 0 : 255));
    const fast = bandStatistics(pixels, valid, bands);
    const wide = bandStatistics(Uint16Array.from(pixels), valid, bands);
    for (let b = 0; b < bands; b++) {
      const [f, w] = [fast[b]!, wide[b]!];
      assert.equal(f.minimum, w.minimum);
      assert.equal(f.maximum, w.maximum);
      assert.equal(f.valid_percent, w.valid_percent);
      assert.ok(Math.abs(f.mean - w.mean) < 1e-9, `band ${b} mean ${f.mean} vs ${w.mean}`);
      assert.ok(Math.abs(f.stddev - w.stddev) < 1e-9, `band ${b} stddev ${f.stddev} vs ${w.stddev}`);
    }
  });


  it('give null for a band without a valid pixel', () => {
    assert.deepEqual(bandStatistics(new Uint8Array(12), new Uint8Array(4), 3), [null, null, null]);
  });
});
