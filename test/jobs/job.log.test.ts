import assert from 'node:assert/strict';
import { setImmediate as turn } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { ClipStages } from '../../src/raster/clip/stage.clock.js';
import { startTestServer } from '../support/harness.js';
import { completedJob } from '../security/security.world.js';

describe('the Job:Completed log line', { timeout: 120_000 }, () => {
  it("carries the clip thread's stage times in whole ms: the stages every clip has, and no name outside the clock's", async () => {
    const lines: string[] = [];
    const t = await startTestServer({ env: { GEOPERA_LOG_LEVEL: 'info' }, logLines: lines });
    try {
      const id = await completedJob(t, t.key, 'acme');
      // The line follows the row's completion by a moment: looked for a bounded number of turns.
      let line: string | undefined;
      for (let turns = 0; !(line = lines.find((l) => l.includes('"Job:Completed"') && l.includes(id))); turns++) {
        assert.ok(turns < 10_000, 'a Job:Completed line for the job');
        await turn();
      }
      const record = JSON.parse(line) as { outputs: number; stagesMs: Record<string, number> };
      assert.equal(record.outputs, 1);
      assert.deepEqual(Object.keys(record.stagesMs).filter((k) => !(ClipStages as readonly string[]).includes(k)), []);
      for (const stage of ['open', 'plan', 'write', 'assemble', 'fsync', 'summary', 'store']) {
        const ms = record.stagesMs[stage];
        assert.ok(Number.isInteger(ms) && ms! >= 0, `${stage}: ${ms}`);
      }
    } finally {
      await t.close();
    }
  });
});
