/**
 * The short bounded fuzz pass of CI: every target fuzzed for a fixed number of executions from a fixed
 * seed (so a run is reproducible: `npm run fuzz -- --runs N --seed S`), coverage-guided, in one child
 * process with src/ instrumented. No finding allowed. A hang is bounded by a number of watchdog polls,
 * not by the clock; `npm run fuzz` is where slowness (over 1 s an input) is a finding.
 * `FUZZ_PASS_RUNS` and `FUZZ_SEED` change the budget and the seed.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fuzzSession } from '../../scripts/fuzz/fuzz.session.js';
import { FuzzTargets } from './targets.js';

const Runs = Number(process.env.FUZZ_PASS_RUNS ?? 1500);
const Seed = Number(process.env.FUZZ_SEED ?? 20261);

describe('bounded fuzz pass', () => {
  it(`every target survives ${Runs} coverage-guided executions from seed ${Seed}`, async () => {
    const reports = await fuzzSession({ targets: FuzzTargets.map((t) => t.name), seed: Seed, runs: Runs, pollMs: 250, hangPolls: 240, asyncTimeoutMs: 60_000 });
    for (const r of reports) {
      assert.ok(r.stats, `${r.target}: no stats`);
      assert.ok(r.stats.execs >= Runs, `${r.target}: ${r.stats.execs} executions`);
      assert.ok(r.stats.coverage.branches[0] > 0, `${r.target}: no branch covered`);
      assert.deepEqual(r.findings.map((f) => `${f.kind}: ${f.message}\n${f.stack}`), [], `${r.target} findings`);
    }
  });
});
