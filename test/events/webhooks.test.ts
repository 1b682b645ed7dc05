/**
 * Webhooks through a real HTTP receiver: every job event of the org, signed by the Standard Webhooks convention
 * (verified with the `standardwebhooks` package), delivered in order per endpoint and job, retried after 500s
 * with exponential backoff and jitter, a hanging receiver cut off by the timeout while the API answers, no
 * redirect followed, private addresses refused unless allowed, every event sent once by two nodes draining at
 * once (on PostgreSQL in the second pass: SKIP LOCKED claims over separate connections). Time is a clock the test moves; the dispatcher
 * is the one every node runs, driven pass by pass with `drain()`.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { WebhookDispatcher } from '../../src/events/webhook.dispatcher.js';
import { newWebhookSecret } from '../../src/events/webhook.sign.js';
import { createLogger } from '../../src/log.js';
import { WebhookEventTypes } from '../../src/storage/event.store.js';
import { FakeClock, settle } from '../support/fake.clock.js';
import { openTestStorage } from '../support/backend.js';
import { startTestServer, type TestServer } from '../support/harness.js';
import { completedJob } from '../security/security.world.js';

interface Received {
  headers: Record<string, string>;
  body: string;
}

/** A receiver answering from a script: a status, or 'hang' (never answers); 200 once the script is used up. */
function receiver() {
  const got: Received[] = [];
  const script: (number | 'hang')[] = [];
  const hung: http.ServerResponse[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString(); });
    req.on('end', () => {
      got.push({ headers: req.headers as Record<string, string>, body });
      const next = script.shift() ?? 200;
      if (next === 'hang') { hung.push(res); return; }
      if (next >= 300 && next < 400) res.setHeader('location', '/elsewhere');
      res.statusCode = next;
      res.end('ok');
    });
  });
  return { got, script, hung, server };
}

const silent = createLogger('silent');

describe('webhooks', { timeout: 180_000 }, () => {
  let t: TestServer;
  const rx = receiver();
  let url: string;
  let secret: string;
  let clock: FakeClock;
  let dispatcher: WebhookDispatcher;
  const types = (from = 0): string[] => rx.got.slice(from).map((r) => (JSON.parse(r.body) as { type: string }).type);

  before(async () => {
    t = await startTestServer({ lifecycle: 'manual' });
    await new Promise<void>((resolve) => rx.server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(rx.server.address() as AddressInfo).port}/hook`;
    secret = newWebhookSecret();
    await t.runtime.services.storage.webhooks.addEndpoint({ id: 'whe_test', org_id: 'acme', url, events: WebhookEventTypes.join(' '), secret });
    // The node's own time, a minute ahead of the database's (so every delivery made below is due at once).
    clock = new FakeClock(t.runtime.services.storage.now() + 60_000);
    dispatcher = new WebhookDispatcher(t.runtime.services.storage, silent, { nodeId: 'node-test', concurrency: 4, timeoutMs: 5000, allowPrivate: true, clock, random: () => 0 });
  });
  after(async () => {
    for (const res of rx.hung) res.end();
    rx.server.closeAllConnections();
    await new Promise((resolve) => rx.server.close(resolve));
    await dispatcher.stop();
    await t.close();
  });

  it("delivers a job's events (queued, running, completed) in order, each signed so that standardwebhooks verifies it, the body the job as clip.job.get answers it", async () => {
    const job = await completedJob(t, t.key, 'acme');
    assert.equal(await dispatcher.drain(), 3);
    assert.deepEqual(types(), ['job.queued', 'job.running', 'job.completed']);
    const verifier = new Webhook(secret);
    for (const r of rx.got) {
      const payload = verifier.verify(r.body, r.headers) as { type: string; timestamp: string; data: Record<string, unknown> };
      assert.equal(payload.data.id, job);
      assert.match(r.headers['webhook-id']!, /^evt_/);
      assert.equal(r.headers['webhook-timestamp'], String(Math.floor(clock.now() / 1000)));
    }
    assert.equal(new Set(rx.got.map((r) => r.headers['webhook-id'])).size, 3, 'one id per event');
    const last = JSON.parse(rx.got[2]!.body) as { data: Record<string, unknown> };
    const { stac_url: _link, ...asGot } = (await (await t.op('clip.job.get', { job_id: job })).json()) as Record<string, unknown>;
    assert.deepEqual(last.data, asGot);
    assert.throws(() => new Webhook(newWebhookSecret()).verify(rx.got[0]!.body, rx.got[0]!.headers), 'another secret does not verify');
    const states = await t.runtime.services.storage.webhooks.deliveries({ endpointId: 'whe_test', limit: 10 });
    assert.deepEqual(states.map((d) => d.state), ['delivered', 'delivered', 'delivered']);
  });

  it("retries a receiver answering 500 after 2.5 s, then 5 s (backoff from 5 s with jitter; random 0 here), holding the job's later events back until the first arrives", async () => {
    const from = rx.got.length;
    rx.script.push(500, 500);
    await completedJob(t, t.key, 'acme');
    assert.equal(await dispatcher.drain(), 1, 'only the first event: the job\'s later ones wait for it');
    const first = async () => (await t.runtime.services.storage.webhooks.deliveries({ endpointId: 'whe_test', limit: 3 })).at(-1)!;
    const d1 = await first();
    assert.deepEqual([d1.state, d1.attempts, d1.last_status, d1.next_attempt_at, d1.lease_owner], ['pending', 1, 500, clock.now() + 2500, null]);
    assert.equal(await dispatcher.drain(), 0, 'not due yet');
    await clock.advance(2499);
    assert.equal(await dispatcher.drain(), 0);
    await clock.advance(1);
    assert.equal(await dispatcher.drain(), 1);
    assert.equal((await first()).next_attempt_at, clock.now() + 5000, 'the second retry waits twice as long');
    await clock.advance(5000);
    assert.equal(await dispatcher.drain(), 3);
    assert.deepEqual(types(from), ['job.queued', 'job.queued', 'job.queued', 'job.running', 'job.completed']);
    assert.equal(new Set(rx.got.slice(from, from + 3).map((r) => r.headers['webhook-id'])).size, 1, 'a retry keeps its webhook-id (receivers drop duplicates by it)');
    const d = await first();
    assert.equal(d.state, 'delivered');
    const tries = await t.runtime.services.storage.webhooks.attempts([d.id]);
    assert.deepEqual(tries.map((a) => [a.attempt, a.status, a.node_id]), [[1, 500, 'node-test'], [2, 500, 'node-test'], [3, 200, 'node-test']]);
  });

  it('a receiver that hangs is cut off by the timeout (one try, retried later) while the API answers meanwhile; a redirect is not followed', async () => {
    const from = rx.got.length;
    rx.script.push('hang');
    await completedJob(t, t.key, 'acme');
    const draining = dispatcher.drain();
    for (let i = 0; i < 500 && rx.got.length === from; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(rx.got.length, from + 1, 'the receiver got the request and holds it');
    assert.equal((await t.op('clip.jobs.list', { organization_id: 'acme' })).status, 200, 'the API answers while a delivery hangs');
    await clock.advance(5000);
    await draining;
    const hung = (await t.runtime.services.storage.webhooks.deliveries({ endpointId: 'whe_test', limit: 3 })).at(-1)!;
    assert.equal(hung.state, 'pending');
    assert.equal(hung.last_status, null);
    assert.match(hung.last_error ?? '', /timed out after 5000 ms/);
    rx.script.push(302);
    await clock.advance(2500);
    assert.equal(await dispatcher.drain(), 1);
    const redirected = (await t.runtime.services.storage.webhooks.deliveries({ endpointId: 'whe_test', limit: 3 })).at(-1)!;
    assert.equal(redirected.last_status, 302);
    assert.match(redirected.last_error ?? '', /redirect \(302\) not followed/);
    assert.equal(rx.got.length, from + 2, 'nothing went to the Location');
    await clock.advance(5000);
    assert.equal(await dispatcher.drain(), 3);
  });

  it('refuses a private address unless GEOPERA_WEBHOOK_ALLOW_PRIVATE allows it (checked on the address connected to)', async () => {
    const strict = new WebhookDispatcher(t.runtime.services.storage, silent, { nodeId: 'node-strict', concurrency: 1, timeoutMs: 5000, allowPrivate: false, clock, random: () => 0 });
    const from = rx.got.length;
    await t.runtime.services.storage.webhooks.addEndpoint({ id: 'whe_local', org_id: 'acme', url: url.replace('127.0.0.1', 'localhost'), events: 'job.completed', secret });
    await completedJob(t, t.key, 'acme');
    await strict.drain();
    await settle();
    const d = (await t.runtime.services.storage.webhooks.deliveries({ endpointId: 'whe_local', limit: 1 }))[0]!;
    assert.match(d.last_error ?? '', /private addresses/);
    assert.equal(rx.got.length, from, 'no request reached the receiver');
    await t.runtime.services.storage.webhooks.removeEndpoint('whe_local');
    await dispatcher.drain();
  });

  it('two nodes (each its own database connection) draining at once deliver every event once, each job\'s in order', async () => {
    const from = rx.got.length;
    const jobs = [await completedJob(t, t.key, 'acme'), await completedJob(t, t.key, 'acme'), await completedJob(t, t.key, 'acme')];
    const other = await openTestStorage(t.dataDir, t.config.databaseUrl ? { GEOPERA_DATABASE_URL: t.config.databaseUrl } : {});
    try {
      const nodes = [dispatcher, new WebhookDispatcher(other, silent, { nodeId: 'node-other', concurrency: 4, timeoutMs: 5000, allowPrivate: true, clock, random: () => 0 })];
      const sent = await Promise.all(nodes.map((n) => n.drain()));
      assert.equal(sent[0]! + sent[1]!, 9, `claimed ${sent.join(' + ')}`);
      const got = rx.got.slice(from);
      assert.equal(got.length, 9, 'one request per event');
      assert.equal(new Set(got.map((r) => r.headers['webhook-id'])).size, 9, 'no event sent twice');
      for (const job of jobs) {
        const mine = got.map((r) => JSON.parse(r.body) as { type: string; data: { id: string } }).filter((b) => b.data.id === job);
        assert.deepEqual(mine.map((b) => b.type), ['job.queued', 'job.running', 'job.completed'], job);
      }
      assert.deepEqual(await Promise.all(nodes.map((n) => n.drain())), [0, 0]);
    } finally {
      await other.close();
    }
  });
});
