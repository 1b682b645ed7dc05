import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PixelPool, PixelPools } from '../../../src/raster/decode/pixel.pool.js';

describe('PixelPool (tile buffers reused within a clip)', () => {
  it('hands a buffer given back out again, as a view of the pool data type', () => {
    const pool = new PixelPool('int16', 64);
    const a = pool.take();
    assert.ok(a instanceof Int16Array);
    assert.equal(a.length, 64);
    a[0] = -5;
    pool.give(a);
    const b = pool.take();
    assert.equal(b.buffer, a.buffer);
    assert.equal(b[0], -5, 'not zeroed: the caller writes every sample');
    assert.deepEqual(pool.counts, { made: 1, reused: 1 });
  });

  it('takes back only whole buffers of its size, each once, and keeps at most `keep`', () => {
    const pool = new PixelPool('uint8', 16, 2);
    pool.give(new Uint8Array(32).subarray(0, 16)); // part of a larger buffer: someone else may hold the rest
    pool.give(new Uint8Array(8));
    pool.give(new Uint8Array(new SharedArrayBuffer(16)));
    pool.give(null);
    assert.equal(pool.take().buffer.byteLength, 16);
    assert.deepEqual(pool.counts, { made: 1, reused: 0 });
    const one = new Uint8Array(16);
    pool.give(one);
    pool.give(one);
    pool.give(new Uint8Array(16));
    pool.give(new Uint8Array(16));
    const taken = [pool.take(), pool.take(), pool.take()];
    assert.deepEqual(pool.counts, { made: 2, reused: 2 });
    assert.equal(new Set(taken.map((t) => t.buffer)).size, 3, 'a buffer given twice is handed out once');
  });

  it('keeps fewer buffers of large tiles: at most 24 MiB a pool', () => {
    const pool = new PixelPool('float64', 1024 * 1024 * 4); // 32 MiB a buffer
    const big = pool.take();
    pool.give(big);
    assert.notEqual(pool.take().buffer, big.buffer, 'not kept');
    const tiles = new PixelPool('uint8', 1024 * 1024 * 4, 16); // 4 MiB: six kept
    const taken = Array.from({ length: 8 }, () => tiles.take());
    for (const t of taken) tiles.give(t);
    Array.from({ length: 8 }, () => tiles.take());
    assert.deepEqual(tiles.counts, { made: 10, reused: 6 });
  });

  it('PixelPools: one pool per data type and size, counted together, let go by clear', () => {
    const pools = new PixelPools();
    const p = pools.for('uint8', 12);
    assert.equal(pools.for('uint8', 12), p);
    assert.notEqual(pools.for('float32', 12), p);
    p.give(p.take());
    p.take();
    pools.for('float32', 12).take();
    assert.deepEqual(pools.counts, { made: 2, reused: 1 });
    pools.clear();
    assert.notEqual(pools.for('uint8', 12), p);
    assert.deepEqual(pools.counts, { made: 0, reused: 0 });
  });

  it('PixelPools keeps the pools used last, at most `pooled` of them', () => {
    const pools = new PixelPools(16, 2);
    const a = pools.for('uint8', 1);
    const b = pools.for('uint8', 2);
    assert.equal(pools.for('uint8', 1), a, 'used again: now the newest');
    pools.for('uint8', 3); // the third lets the oldest (b) go
    assert.equal(pools.for('uint8', 1), a);
    assert.notEqual(pools.for('uint8', 2), b);
  });
});
