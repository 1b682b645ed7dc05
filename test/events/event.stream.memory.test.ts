/**
 * A slow reader cannot grow the server's memory: a stream reads the next events from the database only once
 * its socket took the previous ones, so a client that stops reading leaves the rest in the database (the
 * connection holds its socket buffer and at most one batch), and is closed when it takes nothing for the stall
 * time; it resumes from where it was with Last-Event-ID. Real SQLite, real sockets, a clock the test moves.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { EventStreams, sseFrame } from '../../src/events/event.stream.js';
import { eventPayload } from '../../src/events/event.payload.js';
import { createLogger } from '../../src/log.js';
import type { SqlStorage } from '../../src/storage/sql.storage.js';
import { openStorage, type Storage } from '../../src/storage/storage.js';
import { FakeClock, settle } from '../support/fake.clock.js';
import { openSse } from '../support/sse.js';

const Events = 20_000;
const Batch = 50;

describe('a slow event stream reader', { timeout: 120_000 }, () => {
  let storage: Storage;
  let streams: EventStreams;
  let server: http.Server;
  let clock: FakeClock;
  let port: number;
  let frameBytes: number;
  before(async () => {
    storage = await openStorage({ dataDir: ':memory:' });
    await storage.orgs.create({ id: 'slow' });
    const job = await storage.jobs.create({ job: { id: 'job_slow', org_id: 'slow', key_id: null, kind: 'area', area: 'a', source_item_id: null, outputs_requested: '["visual"]', aoi: '{}', aoi_name: null, project_id: null, output_name: null, cost_km2: 0 }, checkHold: () => {} });
    const now = storage.now();
    await (storage as SqlStorage).sql.tx(async (q) => {
      for (let i = 1; i < Events; i++) await storage.events.append(q, 'job.progress', { ...job, progress: i / Events }, now);
    });
    const row = (await storage.events.after('slow', Events - 1, 1))[0]!;
    frameBytes = Buffer.byteLength(sseFrame(row.type, { ...eventPayload(row), sequence: row.sequence }, row.sequence));
    clock = new FakeClock(now);
    streams = new EventStreams(storage, clock, createLogger('silent'), { perOrg: 5, stallMs: 30_000, batch: Batch });
    streams.start();
    server = http.createServer((req, res) => {
      const after = req.headers['last-event-id'];
      void streams.serve({ orgId: 'slow', after: typeof after === 'string' ? Number(after) : 0, stillValid: async () => true }, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    streams.stop();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await storage.close();
  });

  it(`stops reading the database while the socket is full (${Events} events kept there), holds at most its buffer and one batch, and closes the reader after the stall time`, async () => {
    const socket = net.connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write('GET /v1/events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n');
    socket.pause();
    // Wait (a bounded number of polls) until the stream stops moving: its socket is full and nothing is read.
    let last = { cursor: -1, reads: -1 };
    let still = 0;
    for (let poll = 0; poll < 400 && still < 10; poll++) {
      await new Promise((r) => setTimeout(r, 10));
      const [s] = streams.stats();
      if (s && s.cursor === last.cursor && s.reads === last.reads) still++;
      else still = 0;
      if (s) last = { cursor: s.cursor, reads: s.reads };
    }
    const [stalled] = streams.stats();
    assert.ok(stalled, 'the stream is open');
    console.log(`# stalled at event ${stalled.cursor} of ${Events}, ${stalled.buffered} bytes buffered, ${stalled.reads} reads`);
    assert.ok(stalled.cursor < Events - Batch, `the server stopped reading at event ${stalled.cursor} of ${Events}: the rest waits in the database`);
    const bound = 16 * 1024 + Batch * frameBytes;
    assert.ok(stalled.buffered <= bound, `${stalled.buffered} bytes held for the reader (bound: its socket buffer and one batch, ${bound})`);
    await clock.advance(29_999);
    assert.equal(streams.stats().length, 1, 'still open before the stall time');
    await clock.advance(1);
    for (let i = 0; i < 50 && streams.stats().length > 0; i++) await settle();
    assert.equal(streams.stats().length, 0, 'closed after the stall time');
    socket.destroy();

    const resumed = await openSse(`http://127.0.0.1:${port}/v1/events`, { 'last-event-id': String(Events - 10) });
    const frames = (await resumed.until((f) => f.some((x) => Number(x.id) === Events))).filter((f) => f.event === 'job.progress');
    resumed.close();
    assert.deepEqual(frames.map((f) => Number(f.id)), Array.from({ length: 10 }, (_, i) => Events - 9 + i));
  });
});
