/**
 * `GET /metrics`: this node's metrics in the Prometheus text format, read back by the Python reference
 * client's parser. Counters count exactly what was asked (requests by operation and status, tiles by cache
 * outcome, bytes downloaded, clip attempts), gauges read the database at scrape time (jobs by state, the
 * queue), the pool shows the live engine's connections, and the node says who it is. Open like /healthz
 * by default; with GEOPERA_METRICS_TOKEN only to a Bearer of that token. On both database engines.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { tileForLonLat } from '../../src/tiles/tile.grid.js';
import { testBackend } from '../support/backend.js';
import { startTestServer, waitForJob, aoiInside, type TestServer } from '../support/harness.js';
import { parseMetrics, skipUnlessPromParser, valueOf, type Scrape, type Sample } from '../support/prometheus.js';

const demoBbox: [number, number, number, number] = [172.1799827, -43.6733194, 172.1983802, -43.6600112];

async function scrapeAll(t: TestServer): Promise<Scrape> {
  const res = await fetch(`${t.url}/metrics`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
  return parseMetrics(await res.text());
}
const scrape = async (t: TestServer): Promise<Sample[]> => (await scrapeAll(t)).samples;

describe('GET /metrics', { skip: skipUnlessPromParser, timeout: 180_000 }, () => {
  let t: TestServer;
  before(async () => { t = await startTestServer({ env: { GEOPERA_NODE_ID: 'metrics-node-1' } }); });
  after(() => t?.close());

  it('is in the Prometheus text format, with every family documented and typed, and names the node', async () => {
    const { families, samples } = await scrapeAll(t);
    const expected: Record<string, string> = {
      geopera_http_requests: 'counter', geopera_http_request_duration_seconds: 'histogram', geopera_jobs: 'gauge', geopera_queue_depth: 'gauge',
      geopera_queue_oldest_age_seconds: 'gauge', geopera_jobs_lease_expired: 'gauge', geopera_jobs_running_here: 'gauge', geopera_clip_duration_seconds: 'histogram',
      geopera_tile_requests: 'counter', geopera_tile_render_duration_seconds: 'histogram', geopera_egress_bytes: 'counter', geopera_egress_refused: 'counter',
      geopera_database_connections: 'gauge', geopera_database_connections_max: 'gauge', geopera_database_up: 'gauge', geopera_node_info: 'gauge', geopera_tile_threads: 'gauge',
      process_cpu_seconds: 'counter', nodejs_eventloop_lag_seconds: 'gauge',
    };
    for (const [family, type] of Object.entries(expected)) assert.equal(families[family], type, family);
    assert.deepEqual(samples.filter((s) => s.name.startsWith('geopera_') && typeof s.value !== 'number'), [], 'geopera\'s own values are numbers');
    const info = samples.find((s) => s.name === 'geopera_node_info')!;
    assert.deepEqual(info.labels, { node_id: 'metrics-node-1', version: '0.1.0', database: testBackend, files: t.config.files.kind });
    assert.equal(info.value, 1);
    assert.equal(valueOf(samples, 'geopera_database_up'), 1);
  });

  it('counts requests by operation (either path), route template and status, with one latency observation each; unknown paths as "unmatched"', async () => {
    const before = await scrape(t);
    for (let i = 0; i < 3; i++) assert.equal((await t.op('clip.areas.list', {})).status, 200);
    assert.equal((await t.op('clip.areas.list', {}, { resource: true })).status, 200);
    assert.equal((await t.op('clip.job.get', { job_id: 'job_nope' })).status, 404);
    assert.equal((await fetch(`${t.url}/wp-admin/setup.php`)).status, 404);
    assert.equal((await fetch(`${t.url}/healthz`)).status, 200);
    const now = await scrape(t);
    const delta = (name: string, labels: Record<string, string>) => valueOf(now, name, labels) - valueOf(before, name, labels);
    assert.equal(delta('geopera_http_requests_total', { route: 'clip.areas.list', method: 'POST', status: '200' }), 4);
    assert.equal(delta('geopera_http_request_duration_seconds_count', { route: 'clip.areas.list', method: 'POST' }), 4);
    assert.equal(delta('geopera_http_requests_total', { route: 'clip.job.get', method: 'POST', status: '404' }), 1);
    assert.equal(delta('geopera_http_requests_total', { route: 'unmatched', method: 'GET', status: '404' }), 1);
    assert.equal(delta('geopera_http_requests_total', { route: '/healthz', method: 'GET', status: '200' }), 1);
    assert.ok(!now.some((s) => s.labels.route?.includes('wp-admin')), 'a raw path never becomes a label');
    const buckets = now.filter((s) => s.name === 'geopera_http_request_duration_seconds_bucket' && s.labels.route === 'clip.areas.list');
    assert.equal(buckets.find((b) => b.labels.le === '+Inf')!.value, valueOf(now, 'geopera_http_request_duration_seconds_count', { route: 'clip.areas.list' }));
  });

  it('reads jobs by state and the queue from the database at scrape time; counts each clip attempt by outcome; counts tiles by cache outcome and downloaded bytes', async () => {
    const before = await scrape(t);
    const res = await t.op('clip.create_from_area', { area: 'demo-valley', mosaic_types: ['visual'], aoi_geometry: aoiInside(demoBbox, 0.1), organization_id: 'acme' });
    const jobId = ((await res.json()) as { job: { id: string } }).job.id;
    assert.equal((await waitForJob(t, jobId)).status, 'completed');
    // The job's row says completed a moment before its runner lets go of it (removing its other attempts' files).
    let done = await scrape(t);
    for (let poll = 0; valueOf(done, 'geopera_jobs_running_here') !== 0; poll++) {
      assert.ok(poll < 50, 'the runner lets go of the completed job');
      await new Promise((r) => setTimeout(r, 20));
      done = await scrape(t);
    }
    const db = (await t.runtime.services.storage.jobs.list('acme', { limit: 100, offset: 0 })).rows;
    for (const state of ['queued', 'running', 'completed', 'failed', 'canceled']) {
      assert.equal(valueOf(done, 'geopera_jobs', { state }), db.filter((j) => j.status === state).length, state);
    }
    assert.equal(valueOf(done, 'geopera_queue_depth'), 0);
    assert.equal(valueOf(done, 'geopera_queue_oldest_age_seconds'), 0);
    assert.equal(valueOf(done, 'geopera_jobs_running_here'), 0);
    assert.equal(valueOf(done, 'geopera_clip_duration_seconds_count', { outcome: 'completed' }) - valueOf(before, 'geopera_clip_duration_seconds_count', { outcome: 'completed' }), 1);
    assert.ok(valueOf(done, 'geopera_clip_duration_seconds_sum', { outcome: 'completed' }) > 0);

    // Tiles: a render, the same tile from the encoded cache, a 304, and one outside the layer.
    const info = (await (await t.op('clip.job.tile_info', { job_id: jobId })).json()) as { tiles: string[]; bounds: number[]; maxzoom: number };
    const at = tileForLonLat((info.bounds[0]! + info.bounds[2]!) / 2, (info.bounds[1]! + info.bounds[3]!) / 2, info.maxzoom - 1);
    const url = (z: number, x: number, y: number) => info.tiles[0]!.replace('{z}', String(z)).replace('{x}', String(x)).replace('{y}', String(y));
    const first = await fetch(url(at.z, at.x, at.y));
    assert.equal(first.status, 200);
    await first.arrayBuffer();
    const again = await fetch(url(at.z, at.x, at.y));
    await again.arrayBuffer();
    assert.equal((await fetch(url(at.z, at.x, at.y), { headers: { 'if-none-match': first.headers.get('etag')! } })).status, 304);
    assert.equal((await fetch(url(at.z, 0, 0))).status, 204);
    // A download, whole: its bytes are counted.
    const file = await t.op('clip.job.download', { job_id: jobId, mosaic_type: 'visual' }, { headers: { accept: '*/*' } });
    const size = (await file.arrayBuffer()).byteLength;
    for (let poll = 0; valueOf(await scrape(t), 'geopera_egress_bytes_total') - valueOf(before, 'geopera_egress_bytes_total') < size; poll++) {
      assert.ok(poll < 50, 'the download was counted');
      await new Promise((r) => setTimeout(r, 50));
    }
    const now = await scrape(t);
    const tiles = (outcome: string) => valueOf(now, 'geopera_tile_requests_total', { layer: 'job', outcome }) - valueOf(before, 'geopera_tile_requests_total', { layer: 'job', outcome });
    assert.deepEqual({ rendered: tiles('rendered'), cached: tiles('cached'), not_modified: tiles('not_modified'), empty: tiles('empty') }, { rendered: 1, cached: 1, not_modified: 1, empty: 1 });
    assert.equal(valueOf(now, 'geopera_tile_render_duration_seconds_count') - valueOf(before, 'geopera_tile_render_duration_seconds_count'), 1);
    assert.equal(valueOf(now, 'geopera_tile_threads'), 1, 'the first tile started a render thread');
    assert.equal(valueOf(now, 'geopera_egress_bytes_total') - valueOf(before, 'geopera_egress_bytes_total'), size);
  });

  it('shows the database pool of the live engine (PostgreSQL: GEOPERA_DATABASE_POOL connections at most; SQLite: its one)', async () => {
    const samples = await scrape(t);
    const max = valueOf(samples, 'geopera_database_connections_max');
    const total = valueOf(samples, 'geopera_database_connections', { state: 'total' });
    const idle = valueOf(samples, 'geopera_database_connections', { state: 'idle' });
    assert.equal(max, testBackend === 'postgres' ? t.config.databasePool : 1);
    assert.ok(total >= 1 && total <= max, `total ${total}`);
    assert.ok(idle <= total);
    assert.equal(valueOf(samples, 'geopera_database_connections', { state: 'waiting' }), 0);
  });
});

describe('GET /metrics with GEOPERA_METRICS_TOKEN', { timeout: 60_000 }, () => {
  const token = 'scrape-secret-0123456789';
  let t: TestServer;
  before(async () => { t = await startTestServer({ linkSampleData: false, env: { GEOPERA_METRICS_TOKEN: token, GEOPERA_RATE_ANON: '4' } }); });
  after(() => t?.close());

  it('answers only a Bearer of the token; anything else is a 401 problem that counts as a failed credential', async () => {
    const ok = await fetch(`${t.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(ok.status, 200);
    assert.match(await ok.text(), /^geopera_node_info\{/m);
    for (const headers of [{}, { authorization: 'Bearer wrong-token-0123456789' }, { authorization: token }, { 'x-api-key': token }] as Record<string, string>[]) {
      const res = await fetch(`${t.url}/metrics`, { headers });
      assert.equal(res.status, 401, JSON.stringify(headers));
      assert.equal(res.headers.get('www-authenticate'), 'Bearer');
      const body = (await res.json()) as { code: string };
      assert.equal(body.code, 'unauthorized');
      assert.ok(!JSON.stringify(body).includes(token));
    }
    // Past GEOPERA_RATE_ANON failures the address is locked out, the right token included (as for every credential).
    const locked = await fetch(`${t.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(locked.status, 429);
    assert.equal(((await locked.json()) as { code: string }).code, 'too_many_auth_failures');
    assert.equal((await fetch(`${t.url}/healthz`)).status, 200, '/healthz stays open');
  });
});
