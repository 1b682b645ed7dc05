/**
 * The console's job feed on the event stream (scripted stream and list): the list read when the stream is
 * ready and after a gap, each job event merged as it comes (status changes announced, a deleted job gone), a
 * dropped stream opened again after its last event id, and polling when the server has no stream.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NoEventStream, type SseFrame } from '../../src/client/index.js';
import { GeoperaError } from '../../src/client/geopera.error.js';
import { EventJobFeed } from '../../web/src/jobs/job.events.feed.js';
import type { JobView } from '../../web/src/state/job.states.js';

const job = (id: string, status: JobView['status'], updated: string, progress = 0): JobView => ({
  id, status, progress, stage: null, aoi_name: null, cost_km2: 1, created_at: `2026-01-0${id.slice(-1)}T00:00:00Z`, updated_at: updated,
});
const ev = (event: string, id: number, data?: JobView): SseFrame => ({ event, id: String(id), data: data ? { type: event, data } : {} });

async function* frames(list: SseFrame[]): AsyncGenerator<SseFrame> {
  for (const f of list) yield f;
}

/** A feed over scripted streams (one per open; past the script, a stream that never ends) and a scripted list. */
function world(streams: (SseFrame[] | Error)[], lists: JobView[][]) {
  let held: JobView[] = [];
  const opened: (string | undefined)[] = [];
  const announced: string[] = [];
  let reads = 0;
  let polling: unknown;
  const feed = new EventJobFeed({
    retryMs: 1,
    open: async (lastEventId, signal) => {
      opened.push(lastEventId);
      const next = streams.shift();
      if (next instanceof Error) throw next;
      if (next) return frames(next);
      return (async function* hang(): AsyncGenerator<SseFrame> {
        await new Promise((resolve) => signal.addEventListener('abort', resolve));
      })();
    },
    list: async () => lists[Math.min(reads++, lists.length - 1)]!,
    current: () => held,
    onJobs: (jobs, changed) => { held = jobs; announced.push(...changed); },
    onError: () => {},
    onPolling: (why) => { polling = why; },
  });
  return { feed, held: () => held, opened, announced, reads: () => reads, polling: () => polling };
}

const settle = async (n = 20): Promise<void> => { for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r)); };
/** Wait until `done()` holds, at most `maxPolls` 1 ms turns (a hang guard, not a timing). */
async function until(done: () => boolean, maxPolls = 1000): Promise<void> {
  for (let i = 0; !done(); i++) {
    assert.ok(i < maxPolls, 'condition not met');
    await new Promise((r) => setTimeout(r, 1));
  }
}

describe('the console job feed on the event stream', () => {
  it('reads the list when ready, then merges each event: progress, a status change announced, a deleted job removed', async () => {
    const w = world([[
      ev('ready', 10),
      ev('job.running', 11, job('j1', 'running', 't2')),
      ev('job.progress', 12, job('j1', 'running', 't3', 0.5)),
      ev('job.completed', 13, job('j1', 'completed', 't4', 1)),
      ev('job.queued', 14, job('j3', 'queued', 't5')),
      ev('job.deleted', 15, job('j2', 'queued', 't6')),
    ]], [[job('j1', 'queued', 't1'), job('j2', 'queued', 't1')]]);
    await until(() => w.opened.length === 2);
    assert.deepEqual(w.held().map((j) => `${j.id}:${j.status}:${j.progress}`), ['j3:queued:0', 'j1:completed:1']);
    assert.deepEqual(w.announced, ['j1', 'j1'], 'running, then completed');
    assert.equal(w.reads(), 1, 'the list read once');
    assert.deepEqual(w.opened, [undefined, '15'], 'the ended stream opened again after its last event');
    assert.equal(w.polling(), undefined);
    w.feed.stop();
    await w.feed.done;
  });

  it('reads the list again after a gap (events pruned) and on every reconnect', async () => {
    const w = world([[ev('ready', 1)], [ev('ready', 1), { event: 'gap', id: undefined, data: { from: 2, to: 9 } }]], [[job('j1', 'queued', 't1')], [job('j1', 'running', 't2')], [job('j1', 'completed', 't3', 1)]]);
    await until(() => w.reads() === 3);
    await until(() => w.opened.length === 3);
    assert.equal(w.held()[0]!.status, 'completed');
    w.feed.stop();
    await w.feed.done;
  });

  for (const [name, err] of [['NoEventStream', new NoEventStream('no stream')], ['a 404', new GeoperaError(404, { code: 'not_found', status: 404, detail: 'Nothing at GET /v1/events' }, 'events')]] as const) {
    it(`polls clip.jobs.list when the server has no stream (${name})`, async () => {
      const w = world([err], [[job('j1', 'running', 't1')]]);
      await w.feed.done;
      assert.equal(w.polling(), err);
      await settle();
      assert.equal(w.held()[0]!.id, 'j1', 'the polling feed read the list');
      w.feed.stop();
    });
  }

  it('polls after three failed opens in a row', async () => {
    const w = world([new Error('reset'), new Error('reset'), new Error('reset')], [[]]);
    await w.feed.done;
    assert.equal(w.opened.length, 3);
    assert.match(String(w.polling()), /reset/);
    w.feed.stop();
  });
});
