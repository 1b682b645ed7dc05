/** The console's job list: grouped by status, merged from successive reads without going backwards, progress in words, poll pace. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { groupJobs, mergeJobs, nextPollMs, progressLabel, type JobView } from '../../web/src/state/job.states.js';

const job = (id: string, status: JobView['status'], updated: string, extra: Partial<JobView> = {}): JobView => ({
  id, status, progress: status === 'completed' ? 1 : 0, stage: null, aoi_name: null, cost_km2: 1, created_at: `2026-01-0${id.slice(-1)}T00:00:00Z`, updated_at: updated, ...extra,
});

describe('console job states', () => {
  it('groups running before queued, then completed, then failed and canceled, newest first', () => {
    const g = groupJobs([job('j1', 'queued', 'a'), job('j2', 'running', 'a'), job('j3', 'completed', 'a'), job('j4', 'failed', 'a'), job('j5', 'canceled', 'a'), job('j6', 'queued', 'a')]);
    assert.deepEqual(g.active.map((j) => j.id), ['j2', 'j6', 'j1']);
    assert.deepEqual(g.completed.map((j) => j.id), ['j3']);
    assert.deepEqual(g.ended.map((j) => j.id), ['j5', 'j4']);
  });

  it('merges a poll: updates, adds, reports status changes, drops deleted jobs only from a whole list', () => {
    const held = [job('j1', 'running', '2026-01-01T00:00:01Z', { progress: 0.2 }), job('j2', 'queued', '2026-01-01T00:00:01Z')];
    const read = [job('j1', 'completed', '2026-01-01T00:00:05Z'), job('j3', 'queued', '2026-01-01T00:00:05Z')];
    const partial = mergeJobs(held, read, false);
    assert.deepEqual(partial.jobs.map((j) => j.id).sort(), ['j1', 'j2', 'j3']);
    assert.deepEqual(partial.statusChanged, ['j1'], 'a new job is not a status change');
    assert.equal(partial.changed, true);
    const whole = mergeJobs(held, read, true);
    assert.deepEqual(whole.jobs.map((j) => j.id).sort(), ['j1', 'j3']);
  });

  it('ignores a late answer that would move a job backwards, and says when nothing changed', () => {
    const held = [job('j1', 'completed', '2026-01-01T00:00:09Z')];
    const late = mergeJobs(held, [job('j1', 'running', '2026-01-01T00:00:05Z', { progress: 0.5 })], true);
    assert.equal(late.jobs[0]!.status, 'completed');
    assert.equal(late.changed, false);
    assert.equal(mergeJobs(held, held, true).changed, false);
  });

  it('says progress in words', () => {
    assert.equal(progressLabel(job('j1', 'running', 'a', { progress: 0.426, stage: 'clipping visual' })), 'Running · 42 % · clipping visual');
    assert.equal(progressLabel(job('j1', 'queued', 'a')), 'Queued, waiting for a worker');
    assert.equal(progressLabel(job('j1', 'failed', 'a', { error: { code: 'x', message: 'disk full' } })), 'Failed: disk full');
  });

  it('polls only while jobs are active: every second while they move, slowing to 5 s', () => {
    assert.equal(nextPollMs(0, 0), undefined);
    assert.deepEqual([0, 1, 2, 3, 4, 5, 10].map((n) => nextPollMs(2, n)), [1000, 1500, 2250, 3375, 5000, 5000, 5000]);
  });
});
