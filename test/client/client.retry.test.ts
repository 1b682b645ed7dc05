/**
 * Retries that never buy twice, proven end to end: a proxy forwards a create to the live server and
 * then loses the answer (a 503, or a dropped connection); the client retries with the same
 * Idempotency-Key, the server replays the first answer, and there is one job. Also: `Retry-After` is
 * honoured, a long one is not waited for, and ordinary 4xx answers are not retried.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GeoperaClient, GeoperaError, type RetryNotice } from '../../src/client/index.js';
import { runCli } from '../cli/client.cli.js';
import { startClientWorld, worldSkip, type ClientWorld } from './client.world.js';
import { startFlakyProxy, type Fate, type FlakyProxy } from './flaky.proxy.js';

describe('client retries', { skip: worldSkip }, () => {
  let w: ClientWorld;
  let proxy: FlakyProxy | undefined;

  before(async () => { w = await startClientWorld(); });
  after(async () => {
    await proxy?.close();
    await w?.t.close();
  });

  const withProxy = async (fate: (n: number, path: string) => Fate): Promise<FlakyProxy> => {
    await proxy?.close();
    proxy = await startFlakyProxy(w.t.url, (req, n) => fate(n, req.path));
    return proxy;
  };
  const jobCount = async (): Promise<number> => {
    const res = await w.t.op('clip.jobs.list', { organization_id: w.orgId, limit: 1 });
    return ((await res.json()) as { total: number }).total;
  };
  const createBody = () => ({ area: w.area, mosaic_types: [w.mosaicTypes[0]!], aoi_geometry: w.aoi, organization_id: w.orgId });

  for (const lost of ['forward-then-503', 'forward-then-reset'] as const) {
    it(`a create whose answer is lost (${lost}) is retried with the same Idempotency-Key and makes one job`, async () => {
      const p = await withProxy((n) => (n === 0 ? { kind: lost } : { kind: 'forward' }));
      const notices: RetryNotice[] = [];
      const client = new GeoperaClient({ token: w.t.key, baseUrl: p.url, retryDelayMs: 20, onRetry: (x) => notices.push(x) });
      const before = await jobCount();
      const created = await client.clip.create_from_area(createBody());

      const creates = p.seen.filter((s) => s.path === '/v1/op/clip.create_from_area');
      assert.equal(creates.length, 2, 'one retry');
      const [first, second] = creates;
      const key = first!.headers['idempotency-key'];
      assert.match(String(key), /^[0-9a-f-]{36}$/);
      assert.equal(second!.headers['idempotency-key'], key, 'the same key on the retry');
      assert.equal(first!.upstream?.status, 200, 'the first attempt reached the server and made the job');
      assert.equal(second!.upstream?.headers['idempotent-replayed'], 'true');
      assert.equal(created.job.id, (JSON.parse(first!.upstream!.body) as { job: { id: string } }).job.id);
      assert.equal(await jobCount(), before + 1, 'no second job');
      assert.equal(notices.length, 1);
      assert.equal(notices[0]!.status, lost === 'forward-then-503' ? 503 : undefined);
    });
  }

  it('each create call gets its own key; an explicit key is sent as given', async () => {
    const p = await withProxy(() => ({ kind: 'forward' }));
    const client = new GeoperaClient({ token: w.t.key, baseUrl: p.url });
    const a = await client.clip.create_from_area(createBody());
    const b = await client.clip.create_from_area(createBody(), { idempotencyKey: 'my-key-1' });
    const keys = p.seen.map((s) => s.headers['idempotency-key']);
    assert.notEqual(keys[0], keys[1]);
    assert.equal(keys[1], 'my-key-1');
    assert.notEqual(a.job.id, b.job.id);
    const reads = p.seen.length;
    await client.clip.areas.list();
    assert.equal(p.seen[reads]!.headers['idempotency-key'], undefined, 'reads carry no key');
  });

  it('honours Retry-After on 429: the retry is sent when its wait ends, not before', async () => {
    const p = await withProxy((n) => (n === 0 ? { kind: 'answer', status: 429, headers: { 'retry-after': '1' } } : { kind: 'forward' }));
    const notices: RetryNotice[] = [];
    // The client's wait, driven by hand (no clock is read, and no global timer is faked: faking them while
    // fetch's own keep-alive timers run let undici miss a clearTimeout and crash the file later).
    const waits: { ms: number; end: () => void }[] = [];
    const sleep = (ms: number): Promise<void> => new Promise((end) => waits.push({ ms, end }));
    const client = new GeoperaClient({ token: w.t.key, baseUrl: p.url, onRetry: (x) => notices.push(x), sleep });
    const call = client.clip.areas.list();
    for (let k = 0; k < 500 && waits.length === 0; k++) await new Promise<void>((r) => setImmediate(r));
    assert.equal(notices[0]!.delayMs, 1000);
    assert.deepEqual(waits.map((x) => x.ms), [1000], 'the client waits the Retry-After');
    for (let k = 0; k < 20; k++) await new Promise<void>((r) => setImmediate(r));
    assert.equal(p.seen.length, 1, 'no retry while it waits');
    waits[0]!.end();
    const areas = await call;
    assert.ok(areas.items.length > 0);
    assert.equal(p.seen.length, 2);
  });

  it('does not wait for a Retry-After longer than the limit, nor retry a plain 4xx', async () => {
    const p = await withProxy((_n, path) => (path.endsWith('clip.areas.list') ? { kind: 'answer', status: 429, headers: { 'retry-after': '3600' } } : { kind: 'forward' }));
    const client = new GeoperaClient({ token: w.t.key, baseUrl: p.url });
    const err = await client.clip.areas.list().then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof GeoperaError && err.status === 429 && err.retryAfterS === 3600);
    assert.equal(p.seen.length, 1);
    await assert.rejects(client.clip.job.get({ job_id: 'job_missing' }), (e: unknown) => e instanceof GeoperaError && e.status === 404);
    assert.equal(p.seen.filter((s) => s.path.endsWith('clip.job.get')).length, 1);
  });

  it('the CLI retries a lost create and prints the one job', async () => {
    const p = await withProxy((n, path) => (path.endsWith('clip.create_from_area') && n === 0 ? { kind: 'forward-then-503' } : { kind: 'forward' }));
    const before = await jobCount();
    const r = await runCli(['clip', 'create-from-area', '--area', w.area, '--mosaic-types', w.mosaicTypes[0]!, '--json', JSON.stringify({ aoi_geometry: w.aoi })], {
      env: { GEOPERA_API_URL: p.url, GEOPERA_API_TOKEN: w.t.key, GEOPERA_CONFIG_DIR: '/nonexistent' },
    });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /clip\.create_from_area: unavailable; retry 1 in 0\.0 s/);
    const creates = p.seen.filter((s) => s.path.endsWith('clip.create_from_area'));
    assert.equal(creates.length, 2);
    assert.equal(creates[0]!.headers['idempotency-key'], creates[1]!.headers['idempotency-key']);
    assert.equal((JSON.parse(r.stdout) as { job: { id: string } }).job.id, (JSON.parse(creates[0]!.upstream!.body) as { job: { id: string } }).job.id);
    assert.equal(await jobCount(), before + 1);
  });
});
