/**
 * Interactive work in flight, as the clip threads read it: counted while it runs (also when it fails), in
 * memory another thread reads, and a clip keeps fewer tiles in flight while any is counted.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { clipConcurrency } from '../../src/raster/clip/clip.run.js';
import { InteractiveLoad } from '../../src/server/interactive.load.js';

describe('interactive load', () => {
  it('counts work while it runs, and no longer once it settled or failed', async () => {
    const load = new InteractiveLoad();
    let release!: () => void;
    const a = load.during(() => new Promise<void>((r) => { release = r; }));
    const b = load.during(async () => { throw new Error('boom'); });
    await assert.rejects(b, /boom/);
    assert.equal(load.inFlight(), 1);
    release();
    await a;
    assert.equal(load.inFlight(), 0);
  });

  it('is read by another thread through the shared memory', async () => {
    const load = new InteractiveLoad();
    let release!: () => void;
    const held = load.during(() => new Promise<void>((r) => { release = r; }));
    const worker = new Worker('const { workerData, parentPort } = require("node:worker_threads"); parentPort.postMessage(Atomics.load(new Int32Array(workerData), 0));', { eval: true, workerData: load.shared });
    const seen = await new Promise<number>((resolve, reject) => { worker.once('message', resolve); worker.once('error', reject); });
    await worker.terminate();
    release();
    await held;
    assert.equal(seen, 1);
  });

  it('a clip keeps fewer tiles in flight while interactive work waits', () => {
    assert.ok(clipConcurrency(1) < clipConcurrency(0));
    assert.equal(clipConcurrency(5), clipConcurrency(1));
    assert.ok(clipConcurrency(1) >= 2, 'a decode beside an encode');
  });
});
