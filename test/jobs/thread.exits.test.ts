/**
 * endedThreadsExited: after a clip is aborted, the runner waits for the thread piscina ended to exit (its
 * file operations on libuv's pool then done) before it removes what the attempt staged. A real piscina pool
 * whose thread keeps writing files until it is ended.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { describe, it } from 'node:test';
import { Piscina } from 'piscina';
import { endedThreadsExited } from '../../src/jobs/thread.exits.js';

const worker = new URL('../fixtures/workers/busy.worker.mjs', import.meta.url).href;

describe('waiting for an aborted task\'s thread', () => {
  it('returns once the ended thread has exited, after which nothing it started lands any more', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'geopera-exits-'));
    const pool = new Piscina({ filename: worker, minThreads: 1, maxThreads: 1 });
    try {
      const abort = new AbortController();
      const running = pool.run({ dir }, { signal: abort.signal });
      const seen = new Set<Worker>(pool.threads);
      // Let it write some files, then abort: piscina ends the thread.
      while ((await readdir(dir)).length < 20) await new Promise((r) => setImmediate(r));
      abort.abort();
      await assert.rejects(running, /abort/i);
      const ended = [...seen].filter((w) => !pool.threads.includes(w));
      assert.equal(ended.length, 1, 'the aborted task\'s thread left the pool');
      assert.notEqual(ended[0]!.threadId, -1, 'and was still exiting when the task was rejected');
      await endedThreadsExited(pool, seen);
      assert.equal(ended[0]!.threadId, -1, 'it has exited');
      const files = (await readdir(dir)).length;
      // A new thread answering proves the pool went on; the ended thread wrote nothing more meanwhile.
      assert.equal(await pool.run('ok'), 'ok');
      assert.equal((await readdir(dir)).length, files);
    } finally {
      await pool.destroy();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('does not wait for threads the pool still holds', async () => {
    const pool = new Piscina({ filename: worker, minThreads: 1, maxThreads: 1 });
    try {
      assert.equal(await pool.run('ok'), 'ok');
      // A live thread never exits on its own: waiting for it would run into the (here one hour) limit.
      await endedThreadsExited(pool, new Set(pool.threads), 3_600_000);
      assert.equal(pool.threads.length, 1);
    } finally {
      await pool.destroy();
    }
  });
});
