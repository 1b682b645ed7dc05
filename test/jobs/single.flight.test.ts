import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SingleFlight } from '../../src/jobs/single.flight.js';

/** A pass that waits until released, so wakes can arrive while it runs. */
function gatedPasses(): { passes: number; release: () => void; pass: () => Promise<void> } {
  const state = { passes: 0, release: () => undefined as void, pass: async () => undefined as void };
  state.pass = () => {
    state.passes++;
    return new Promise<void>((resolve) => { state.release = resolve; });
  };
  return state;
}

const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('SingleFlight: one pass at a time', () => {
  it('runs one more pass after the running one, however many wakes came meanwhile, then goes idle', async () => {
    const g = gatedPasses();
    let idle = 0;
    const flight = new SingleFlight(() => g.pass(), { onError: (e) => assert.fail(String(e)), idle: () => idle++ });
    flight.wake();
    for (let i = 0; i < 5; i++) flight.wake();
    assert.equal(g.passes, 1, 'a wake during a pass starts nothing at once');
    g.release();
    await settle();
    assert.equal(g.passes, 2, 'the wakes during the first pass asked for exactly one more');
    assert.equal(idle, 0);
    g.release();
    await settle();
    assert.equal(g.passes, 2);
    assert.equal(idle, 1, 'with nothing asked for, the flight is idle');
  });

  it('reports a failed pass and runs again at the next wake', async () => {
    const errors: unknown[] = [];
    let passes = 0;
    const flight = new SingleFlight(async () => {
      passes++;
      if (passes === 1) throw new Error('database away');
    }, { onError: (e) => errors.push(e) });
    flight.wake();
    await settle();
    assert.deepEqual(errors.map((e) => (e as Error).message), ['database away']);
    flight.wake();
    await settle();
    assert.equal(passes, 2);
    assert.equal(errors.length, 1);
  });

  it('starts no follow-up pass once stopped', async () => {
    const g = gatedPasses();
    let stopped = false;
    let idle = 0;
    const flight = new SingleFlight(() => g.pass(), { onError: (e) => assert.fail(String(e)), stopped: () => stopped, idle: () => idle++ });
    flight.wake();
    flight.wake();
    stopped = true;
    g.release();
    await settle();
    assert.equal(g.passes, 1);
    assert.equal(idle, 1);
  });
});
