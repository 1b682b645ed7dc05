import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planOverviews } from '../../../src/raster/plan/overview.plan.js';

describe('overview plan', () => {
  it('is empty when the image already fits in one tile', () => {
    assert.deepEqual(planOverviews(512, 512, 512, 512), []);
    assert.deepEqual(planOverviews(1, 1, 256, 256), []);
    assert.deepEqual(planOverviews(100, 30, 100, 30), []);
  });

  it('halves, rounding up, until a level fits in one tile', () => {
    assert.deepEqual(planOverviews(513, 512, 512, 512), [{ width: 257, height: 256 }]);
    assert.deepEqual(planOverviews(1000, 999, 256, 256), [
      { width: 500, height: 500 },
      { width: 250, height: 250 },
    ]);
    assert.deepEqual(planOverviews(16384, 16384, 512, 512).map((l) => l.width), [8192, 4096, 2048, 1024, 512]);
    assert.deepEqual(planOverviews(1025, 300, 256, 256).map((l) => [l.width, l.height]), [
      [513, 150],
      [257, 75],
      [129, 38],
    ]);
  });

  it('keeps going while either side is larger than the tile (thin images reach 1 pixel wide)', () => {
    assert.deepEqual(planOverviews(3, 5000, 256, 256).map((l) => [l.width, l.height]), [
      [2, 2500],
      [1, 1250],
      [1, 625],
      [1, 313],
      [1, 157],
    ]);
  });

  it('uses the tile width and height separately (strips, non-square tiles)', () => {
    assert.deepEqual(planOverviews(1000, 100, 1000, 16).map((l) => [l.width, l.height]), [
      [500, 50],
      [250, 25],
      [125, 13],
    ]);
  });

  it('level sizes are exactly ceil(size / 2^k) and the last one fits in a tile, for many sizes', () => {
    for (let w = 1; w < 3000; w += 37) {
      for (let h = 1; h < 3000; h += 53) {
        for (const t of [16, 256, 512]) {
          const levels = planOverviews(w, h, t, t);
          levels.forEach((l, i) => {
            assert.equal(l.width, Math.ceil(w / 2 ** (i + 1)));
            assert.equal(l.height, Math.ceil(h / 2 ** (i + 1)));
          });
          const last = levels.at(-1) ?? { width: w, height: h };
          assert.ok(last.width <= t && last.height <= t);
          const before = levels.at(-2) ?? (levels.length ? { width: w, height: h } : null);
          if (before) assert.ok(before.width > t || before.height > t);
        }
      }
    }
  });

  it('rejects sizes below 1', () => {
    assert.throws(() => planOverviews(0, 10, 256, 256), RangeError);
  });
});
