/**
 * The block cache by its request counts (never a clock): one range request serves every concurrent
 * reader of a chunk, runs of missing chunks go in one request, memory stays within its bound, a failed
 * request is not remembered, and another version of a file is read afresh.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BlockCache, type RangeFetch } from '../../src/files/block.cache.js';

/** A file of `size` bytes (byte i = i * 7 mod 251) behind a fetcher that records each request and answers when told. */
function remoteFile(size: number): { bytes: Uint8Array; fetch: RangeFetch; requests: [number, number][]; release(): void; fail: boolean } {
  const bytes = new Uint8Array(size).map((_, i) => (i * 7) % 251);
  const waiting: (() => void)[] = [];
  const file = {
    bytes,
    requests: [] as [number, number][],
    fail: false,
    fetch: (start: number, end: number) => {
      file.requests.push([start, end]);
      const failNow = file.fail;
      return new Promise<Uint8Array>((resolve, reject) => {
        waiting.push(() => (failNow ? reject(new Error('connection reset')) : resolve(bytes.slice(start, end))));
      });
    },
    release: () => { for (const w of waiting.splice(0)) w(); },
  };
  return file;
}

/** Let pending reads register, then answer every request made so far. */
async function settle(file: { release(): void }): Promise<void> {
  await new Promise((r) => setImmediate(r));
  file.release();
}

describe('block cache', () => {
  it('serves 16 concurrent readers of one chunk with one request, each with its own exact bytes', async () => {
    const cache = new BlockCache({ chunkBytes: 1024, maxBytes: 1 << 20 });
    const file = remoteFile(10_000);
    const reads = Array.from({ length: 16 }, (_, i) => cache.read('f@1', 10_000, 2048 + i * 10, 100, file.fetch));
    await settle(file);
    const got = await Promise.all(reads);
    assert.deepEqual(file.requests, [[2048, 3072]]);
    got.forEach((b, i) => assert.deepEqual(b, file.bytes.slice(2048 + i * 10, 2148 + i * 10)));
    assert.equal(cache.stats.chunkJoins, 15);
    // Each answer owns its buffer (typed-array views over it start at 0).
    assert.ok(got.every((b) => b.byteOffset === 0 && b.buffer.byteLength === 100));
  });

  it('fetches a run of missing chunks with one request, and only the missing ones around a held chunk', async () => {
    const cache = new BlockCache({ chunkBytes: 1000, maxBytes: 1 << 20 });
    const file = remoteFile(10_000);
    const first = cache.read('f@1', 10_000, 1500, 2000, file.fetch); // chunks 1..3
    await settle(file);
    assert.deepEqual(await first, file.bytes.slice(1500, 3500));
    assert.deepEqual(file.requests, [[1000, 4000]]);
    const around = cache.read('f@1', 10_000, 0, 6000, file.fetch); // chunk 0 missing, 1..3 held, 4..5 missing
    await settle(file);
    assert.deepEqual(await around, file.bytes.slice(0, 6000));
    assert.deepEqual(file.requests, [[1000, 4000], [0, 1000], [4000, 6000]]);
    assert.equal(cache.stats.chunkHits, 3);
  });

  it('asks for the short last chunk only up to the end of the file', async () => {
    const cache = new BlockCache({ chunkBytes: 4096, maxBytes: 1 << 20 });
    const file = remoteFile(5000);
    const p = cache.read('f@1', 5000, 4990, 10, file.fetch);
    await settle(file);
    assert.deepEqual(await p, file.bytes.slice(4990, 5000));
    assert.deepEqual(file.requests, [[4096, 5000]]);
  });

  it('keeps at most its byte bound, evicting the least recently used chunks', async () => {
    const cache = new BlockCache({ chunkBytes: 1000, maxBytes: 3000 });
    const file = remoteFile(100_000);
    for (let i = 0; i < 20; i++) {
      const p = cache.read('f@1', 100_000, i * 1000, 1000, file.fetch);
      await settle(file);
      await p;
      assert.ok(cache.bytes <= 3000, `held ${cache.bytes} bytes`);
    }
    const again = cache.read('f@1', 100_000, 0, 1000, file.fetch);
    await settle(file);
    await again;
    assert.equal(file.requests.length, 21, 'chunk 0 was evicted and is read again');
  });

  it('does not remember a failed request: the next read asks again', async () => {
    const cache = new BlockCache({ chunkBytes: 1000, maxBytes: 1 << 20 });
    const file = remoteFile(10_000);
    file.fail = true;
    const a = cache.read('f@1', 10_000, 0, 10, file.fetch);
    const b = cache.read('f@1', 10_000, 5, 10, file.fetch);
    await settle(file);
    await assert.rejects(a, /connection reset/);
    await assert.rejects(b, /connection reset/);
    assert.equal(file.requests.length, 1, 'the joined reader shared the failed request');
    file.fail = false;
    const c = cache.read('f@1', 10_000, 0, 10, file.fetch);
    await settle(file);
    assert.deepEqual(await c, file.bytes.slice(0, 10));
    assert.equal(file.requests.length, 2);
  });

  it('reads another version of a file afresh (ids include the version)', async () => {
    const cache = new BlockCache({ chunkBytes: 1000, maxBytes: 1 << 20 });
    const file = remoteFile(10_000);
    for (const id of ['f@"etag-1"', 'f@"etag-1"', 'f@"etag-2"']) {
      const p = cache.read(id, 10_000, 0, 100, file.fetch);
      await settle(file);
      await p;
    }
    assert.equal(file.requests.length, 2);
  });

  it('answers random reads byte-exact (seeded)', async () => {
    const cache = new BlockCache({ chunkBytes: 777, maxBytes: 5000 });
    const file = remoteFile(20_000);
    let seed = 12345;
    const rnd = (n: number): number => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % n; };
    for (let i = 0; i < 200; i++) {
      const offset = rnd(19_000);
      const length = rnd(20_000 - offset);
      const p = cache.read('f@1', 20_000, offset, length, file.fetch);
      await settle(file);
      assert.deepEqual(await p, file.bytes.slice(offset, offset + length));
    }
  });
});
