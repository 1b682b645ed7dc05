/**
 * `GET /v1/events`: an org's job events as Server-Sent Events, progress included, from a durable sequence:
 * a client whose connection drops resumes with `Last-Event-ID` and gets every event once, in order; streams
 * are bounded per org; credentials and scopes as for `clip:read`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { aoiOf, DemoBbox } from '../support/fault.tools.js';
import { startTestServer, waitForJob, type TestServer } from '../support/harness.js';
import { openSse } from '../support/sse.js';

describe('the event stream', { timeout: 120_000 }, () => {
  let t: TestServer;
  before(async () => {
    // Short leases beat every 200 ms: a small clip records progress steps.
    t = await startTestServer({ leaseMs: 600, env: { GEOPERA_EVENT_STREAMS: '2' } });
  });
  after(() => t.close());
  const auth = () => ({ authorization: `Bearer ${t.key}` });

  it('streams a job from queued through progress to completed; after a dropped connection Last-Event-ID resumes with every later event once, in order', async () => {
    const first = await openSse(`${t.url}/v1/events`, auth());
    assert.equal(first.res.status, 200);
    assert.match(first.res.headers.get('content-type') ?? '', /^text\/event-stream/);
    const [ready] = await first.until((f) => f.length >= 1);
    assert.equal(ready!.event, 'ready');
    const start = Number(ready!.id);
    const created = (await (await t.op('clip.create_from_area', { area: 'demo-valley', mosaic_types: ['visual', 'analytic'], organization_id: 'acme', aoi_geometry: aoiOf(DemoBbox, 0.5) })).json()) as { job: { id: string } };
    await first.until((f) => f.some((x) => x.event === 'job.running'));
    first.close();
    const seen = first.frames.slice(1);
    const lastSeen = Number(seen.at(-1)!.id);
    assert.deepEqual(seen.map((f) => Number(f.id)), seen.map((_f, i) => start + 1 + i), 'numbered one by one from the org\'s sequence');
    assert.equal(seen[0]!.event, 'job.queued');
    assert.equal(seen[0]!.data.data.id, created.job.id);
    assert.equal(seen[0]!.data.data.status, 'queued');

    await waitForJob(t, created.job.id);
    const again = await openSse(`${t.url}/v1/events`, { ...auth(), 'last-event-id': String(lastSeen) });
    const frames = (await again.until((f) => f.some((x) => x.event === 'job.completed'))).filter((f) => f.event !== 'ready');
    again.close();
    assert.deepEqual(frames.map((f) => Number(f.id)), frames.map((_f, i) => lastSeen + 1 + i), 'nothing lost, nothing twice');
    const all = [...seen, ...frames];
    assert.deepEqual([...new Set(all.map((f) => f.event))], ['job.queued', 'job.running', 'job.progress', 'job.completed']);
    const progress = all.filter((f) => f.event === 'job.progress').map((f) => f.data.data.progress as number);
    assert.ok(progress.length >= 1, 'progress steps are streamed');
    assert.deepEqual(progress, [...progress].sort((a, b) => a - b), 'progress only grows');
    const done = frames.at(-1)!.data;
    assert.equal(done.type, 'job.completed');
    assert.equal(done.data.status, 'completed');
    assert.equal(done.data.progress, 1);
    assert.equal('aoi_geometry' in done.data, false, 'stream events carry the job as clip.jobs.list shows it');
  });

  it('follows one job with ?job_id=, and takes the cursor as ?last_event_id= too', async () => {
    const jobs = (await (await t.op('clip.jobs.list', { organization_id: 'acme' })).json()) as { items: { id: string }[] };
    const s = await openSse(`${t.url}/v1/events?job_id=${jobs.items[0]!.id}&last_event_id=0`, auth());
    const frames = await s.until((f) => f.some((x) => x.event === 'job.completed'));
    s.close();
    assert.ok(frames.filter((f) => f.event.startsWith('job.')).every((f) => f.data.data.id === jobs.items[0]!.id));
  });

  it('opens whole while the org\'s events arrive meanwhile (the database slow to answer, as a remote one is): 200, the ready frame first, then only the events after it', async () => {
    // The first read of the org's last sequence number is held until a job was created (its events signalled) meanwhile.
    const events = t.runtime.services.storage.events;
    const last = events.last.bind(events);
    let entered!: () => void;
    const reading = new Promise<void>((r) => { entered = r; });
    let release!: () => void;
    const released = new Promise<void>((r) => { release = r; });
    events.last = async (orgId: string) => {
      entered();
      await released;
      return last(orgId);
    };
    try {
      const earlier = (await (await t.op('clip.create_from_area', { area: 'demo-valley', mosaic_types: ['visual'], organization_id: 'acme', aoi_geometry: aoiOf(DemoBbox, 0.2) })).json()) as { job: { id: string } };
      await waitForJob(t, earlier.job.id);
      const before = await last('acme');
      assert.ok(before > 0, 'the org has events from before the stream');
      const opening = openSse(`${t.url}/v1/events`, auth());
      await reading;
      events.last = last;
      const created = (await (await t.op('clip.create_from_area', { area: 'demo-valley', mosaic_types: ['visual'], organization_id: 'acme', aoi_geometry: aoiOf(DemoBbox, 0.3) })).json()) as { job: { id: string } };
      release();
      const s = await opening;
      assert.equal(s.res.status, 200);
      const frames = await s.until((f) => f.some((x) => x.event === 'job.completed' && x.data.data.id === created.job.id));
      s.close();
      assert.equal(frames[0]!.event, 'ready');
      const start = Number(frames[0]!.id);
      assert.ok(start >= before);
      const later = frames.slice(1).filter((f) => f.id !== undefined);
      assert.ok(later.every((f) => Number(f.id) > start), `only events after the ready frame's ${start}: ${later.map((f) => f.id).join(' ')}`);
      assert.deepEqual(later.map((f) => Number(f.id)), later.map((_f, i) => start + 1 + i), 'each once, in order');
    } finally {
      events.last = last;
      release();
    }
  });

  it('bounds the streams of an org (429 too_many_streams with Retry-After), asks for clip:read, and refuses a malformed Last-Event-ID', async () => {
    const a = await openSse(`${t.url}/v1/events`, auth());
    const b = await openSse(`${t.url}/v1/events`, auth());
    await Promise.all([a.until((f) => f.length > 0), b.until((f) => f.length > 0)]);
    const third = await fetch(`${t.url}/v1/events`, { headers: auth() });
    assert.equal(third.status, 429);
    assert.equal(third.headers.get('retry-after'), '10');
    assert.equal(((await third.json()) as { code: string }).code, 'too_many_streams');
    a.close();
    b.close();
    const readOnly = await t.makeKey('acme', ['clip:write']);
    let status = 429;
    // The closed streams leave the count when their sockets close (a bounded number of polls).
    for (let i = 0; i < 100 && status === 429; i++) {
      status = (await fetch(`${t.url}/v1/events`, { headers: { authorization: `Bearer ${readOnly}` } })).status;
      if (status === 429) await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(status, 403, 'clip:read is needed');
    assert.equal((await fetch(`${t.url}/v1/events`)).status, 401);
    assert.equal((await fetch(`${t.url}/v1/events`, { headers: { ...auth(), 'last-event-id': 'abc' } })).status, 422);
  });
});
