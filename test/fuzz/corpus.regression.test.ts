/**
 * Every fuzz target over its committed corpus (seeds and the inputs of past findings): each input ends
 * in a result or an AppError with a stable code, and allocates no buffer past the target's budget.
 * This is the fast, deterministic half of the fuzzing; `npm run fuzz` is the long half.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { beginAllocations, endAllocations, installAllocGuard, uninstallAllocGuard } from './alloc.guard.js';
import { targetCorpus } from './fuzz.corpus.js';
import { FuzzTargets } from './targets.js';

describe('fuzz corpora replay without a finding', () => {
  before(() => installAllocGuard());
  after(() => uninstallAllocGuard());

  for (const target of FuzzTargets) {
    it(`${target.name}: every corpus input ends in a result or a stable AppError`, async () => {
      const corpus = targetCorpus(target);
      assert.ok(corpus.length >= 2, `${target.name} has a seed corpus`);
      const outcomes = new Map<string, number>();
      for (const { name, data } of corpus) {
        beginAllocations(target.maxAllocBytes);
        let label: string;
        try {
          label = await target.run(data);
        } catch (err) {
          endAllocations();
          assert.fail(`${target.name}/${name}: ${(err as Error).stack ?? String(err)}`);
        }
        const alloc = endAllocations();
        assert.equal(alloc.refused, 0, `${target.name}/${name} allocated ${alloc.refused} bytes at once (budget ${target.maxAllocBytes})`);
        outcomes.set(label, (outcomes.get(label) ?? 0) + 1);
      }
      // The seeds reach both sides of the property: some inputs parse.
      assert.ok([...outcomes.keys()].some((l) => l.split('/').includes('ok')), `${target.name}: no corpus input parsed (${[...outcomes.keys()].join(', ')})`);
    });
  }
});
