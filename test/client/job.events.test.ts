/**
 * How the SDK waits for a job (pure: the two HTTP ports scripted): on the event stream when the server has
 * one — state changes and progress from the frames, one read of the job when the stream is ready (what
 * happened before it) and one for the final resource — else polling `clip.job.get`: a server without the
 * stream (404, a JSON answer), a refused stream (429), a stream that ends before the job does.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Job } from '../../src/client/client.types.js';
import { GeoperaError } from '../../src/client/geopera.error.js';
import { waitForJobEvents } from '../../src/client/job.events.js';
import { eventFrames, parseSseFrames } from '../../src/client/sse.frames.js';

const job = (status: string, progress = 0): Job => ({ id: 'job_1', status, progress } as unknown as Job);
const frame = (event: string, data: unknown, id?: number): string => `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
const stream = (...chunks: string[]): Response => new Response(new ReadableStream({
  start(c) {
    for (const chunk of chunks) c.enqueue(new TextEncoder().encode(chunk));
    c.close();
  },
}), { headers: { 'content-type': 'text/event-stream; charset=utf-8' } });

/** Ports whose `clip.job.get` answers the scripted states in turn (the last one again once they run out). */
function ports(states: Job[], events: () => Promise<Response>) {
  const calls = { gets: 0, opens: 0 };
  return {
    calls,
    ports: {
      getJob: async () => states[Math.min(calls.gets++, states.length - 1)]!,
      openEvents: async (signal: AbortSignal) => {
        calls.opens++;
        return eventFrames(await events(), signal);
      },
    },
  };
}

describe('waiting for a job on the event stream, else polling', () => {
  it('follows the frames: the job read once when the stream is ready, every change and progress step, the final resource read once', async () => {
    const p = ports([job('queued'), job('completed', 1)], async () => stream(
      'retry: 2000\n\n', frame('ready', { last_event_id: '7' }, 7),
      frame('job.running', { type: 'job.running', data: job('running', 0) }, 8),
      ': ping\n\n',
      frame('job.progress', { type: 'job.progress', data: job('running', 0.5) }, 9).slice(0, 20), frame('job.progress', { type: 'job.progress', data: job('running', 0.5) }, 9).slice(20),
      frame('job.completed', { type: 'job.completed', data: job('completed', 1) }, 10),
      frame('job.deleted', { type: 'job.deleted', data: job('completed', 1) }, 11),
    ));
    const seen: string[] = [];
    const modes: string[] = [];
    const final = await waitForJobEvents(p.ports, { onProgress: (j) => seen.push(`${j.status}:${j.progress}`), onMode: (m) => modes.push(m) });
    assert.equal(final.status, 'completed');
    assert.deepEqual(seen, ['queued:0', 'running:0', 'running:0.5', 'completed:1']);
    assert.deepEqual(modes, ['events']);
    assert.deepEqual(p.calls, { gets: 2, opens: 1 }, 'no polling');
  });

  it('answers at once when the job was already final as the stream opened', async () => {
    const p = ports([job('failed')], async () => stream(frame('ready', {}, 3)));
    assert.equal((await waitForJobEvents(p.ports, {})).status, 'failed');
    assert.deepEqual(p.calls, { gets: 1, opens: 1 });
  });

  it('reads the job again after a gap (events pruned while away)', async () => {
    const p = ports([job('running'), job('canceled')], async () => stream(frame('ready', {}, 3), frame('gap', { from: 4, to: 9 })));
    assert.equal((await waitForJobEvents(p.ports, {})).status, 'canceled');
    assert.deepEqual(p.calls, { gets: 2, opens: 1 });
  });

  for (const [name, answer, why] of [
    ['a server without the stream (404 problem)', async () => { throw new GeoperaError(404, { status: 404, code: 'not_found' }, 'events'); }, 'no event stream: HTTP 404 not_found'],
    ['a server answering JSON, not a stream', async () => Response.json({ ok: true }), 'no event stream: GET /v1/events answered 200 application/json, not an event stream'],
    ['a refused stream (429 too_many_streams)', async () => { throw new GeoperaError(429, { status: 429, code: 'too_many_streams' }, 'events'); }, 'event stream refused: HTTP 429 too_many_streams'],
    ['a refused stream answered as it is (429, not a stream)', async () => new Response('{}', { status: 429 }), 'no event stream: GET /v1/events answered 429 text/plain;charset=UTF-8, not an event stream'],
    ['a connection that fails', async () => { throw new TypeError('fetch failed'); }, 'event stream unreachable: fetch failed'],
  ] as [string, () => Promise<Response>, string][]) {
    it(`polls clip.job.get with ${name}, and says why`, async () => {
      const p = ports([job('queued'), job('running', 0.3), job('completed', 1)], answer);
      const modes: string[] = [];
      const final = await waitForJobEvents(p.ports, { intervalMs: 1, onMode: (m, w) => modes.push(`${m}: ${w}`) });
      assert.equal(final.status, 'completed');
      assert.deepEqual(modes, [`polling: ${why}`]);
      assert.deepEqual(p.calls, { gets: 3, opens: 1 });
    });
  }

  it('polls from where it was when the stream ends before the job does', async () => {
    const p = ports([job('queued'), job('running', 0.8), job('completed', 1)], async () => stream(frame('ready', {}, 1), frame('job.running', { data: job('running', 0.1) }, 2)));
    const modes: string[] = [];
    const seen: string[] = [];
    const final = await waitForJobEvents(p.ports, { intervalMs: 1, onMode: (m, w) => modes.push(w ? `${m}: ${w}` : m), onProgress: (j) => seen.push(`${j.status}:${j.progress}`) });
    assert.equal(final.status, 'completed');
    assert.deepEqual(modes, ['events', 'polling: the event stream ended before the job']);
    assert.deepEqual(seen, ['queued:0', 'running:0.1', 'running:0.8', 'completed:1']);
  });

  it('stops when the caller aborts, on the stream as while polling', async () => {
    const open = new AbortController();
    let opened!: () => void;
    const ready = new Promise<void>((r) => { opened = r; });
    const endless = new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode(frame('ready', {}, 1))); opened(); } });
    const p = ports([job('running')], async () => new Response(endless, { headers: { 'content-type': 'text/event-stream' } }));
    const waiting = waitForJobEvents(p.ports, { signal: open.signal });
    await ready;
    open.abort(new Error('caller gave up'));
    await assert.rejects(waiting);
  });

  it('parses frames split anywhere, CRLF line ends, comments and multi-line data', () => {
    const text = ': hello\r\nid: 5\r\nevent: job.progress\r\ndata: {"a":\r\ndata: 1}\r\n\r\nevent: x\ndata: 2\n\npartial';
    const { frames, rest } = parseSseFrames(text);
    assert.deepEqual(frames, [{ event: 'job.progress', id: '5', data: { a: 1 } }, { event: 'x', id: undefined, data: 2 }]);
    assert.equal(rest, 'partial');
  });
});
