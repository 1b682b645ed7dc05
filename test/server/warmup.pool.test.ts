/**
 * A warm-up that goes wrong never stops nor stalls a server's start (warmClipPool): a real piscina pool
 * whose thread fails the warm-up, dies in it, or never answers; each is logged as ClipPool:WarmUpFailed
 * and the start goes on.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { Piscina } from 'piscina';
import { warmClipPool } from '../../src/server/worker.pool.js';

const worker = new URL('../fixtures/workers/warmup.worker.mjs', import.meta.url).href;

function logged(): { info: (o: object, msg: string) => void; warn: (o: object, msg: string) => void; lines: { msg: string; o: Record<string, unknown> }[] } {
  const lines: { msg: string; o: Record<string, unknown> }[] = [];
  return { lines, info: (o, msg) => lines.push({ msg, o: o as Record<string, unknown> }), warn: (o, msg) => lines.push({ msg, o: o as Record<string, unknown> }) };
}

describe('clip pool warm-up', () => {
  let pool: Piscina;
  afterEach(() => pool.destroy());
  const start = (): Piscina => {
    pool = new Piscina({ filename: worker, minThreads: 1, maxThreads: 1 });
    pool.on('error', () => undefined);
    return pool;
  };

  it('logs what a warm-up did', async () => {
    const log = logged();
    await warmClipPool(start(), 'ok', log);
    assert.deepEqual(log.lines.map((l) => l.msg), ['ClipPool:WarmedUp']);
    assert.deepEqual(log.lines[0]!.o.tiles, { inside: 1 });
  });

  for (const [how, why] of [['fail', /the warm-up failed/], ['die', /exit|terminat/i], ['hang', /no answer in 200 ms/]] as const) {
    it(`goes on when the warm-up's thread ${how === 'fail' ? 'fails it' : how === 'die' ? 'dies in it' : 'never answers'}`, async () => {
      const log = logged();
      // Only the thread that never answers waits for the limit (200 ms); the others answer long before 60 s.
      await warmClipPool(start(), how, log, how === 'hang' ? 200 : 60_000);
      assert.deepEqual(log.lines.map((l) => l.msg), ['ClipPool:WarmUpFailed']);
      assert.match(String((log.lines[0]!.o.err as Error).message), why);
    });
  }
});
