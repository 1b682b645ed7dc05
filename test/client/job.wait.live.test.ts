/**
 * `client.clip.job.wait` and the CLI's `--wait` against a live geopera: on the event stream it offers (one
 * `GET /v1/events`, `clip.job.get` read at most twice however long the clip runs), and polling through a
 * proxy that answers 404 for `/v1/events` as a server without the stream (the hosted API, an older geopera).
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { GeoperaClient } from '../../src/client/index.js';
import { runCli } from '../cli/client.cli.js';
import { startClientWorld, worldSkip, type ClientWorld } from './client.world.js';
import { startFlakyProxy, type FlakyProxy } from './flaky.proxy.js';

describe('waiting for a job: the event stream when the server has one, else polling', { skip: worldSkip }, () => {
  let w: ClientWorld;
  let proxy: FlakyProxy;
  let dir: string;
  before(async () => {
    w = await startClientWorld();
    proxy = await startFlakyProxy(w.t.url, (seen) => (seen.path.startsWith('/v1/events')
      ? { kind: 'answer', status: 404, body: { title: 'Not Found', status: 404, detail: 'No such route', code: 'not_found' } }
      : { kind: 'forward' }));
    dir = await mkdtemp(path.join(os.tmpdir(), 'geopera-wait-'));
    await writeFile(path.join(dir, 'aoi.geojson'), JSON.stringify(w.aoi));
  });
  after(async () => {
    await proxy?.close();
    await w?.t.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const create = async (client: GeoperaClient): Promise<string> =>
    (await client.clip.create_from_area({ area: w.area, mosaic_types: [w.mosaicTypes[0]!], aoi_geometry: w.aoi, organization_id: w.orgId })).job.id;

  it('the SDK follows the job on /v1/events: one stream, the job read at most twice, the final resource as clip.job.get answers it', async () => {
    const paths: string[] = [];
    const client = new GeoperaClient({ token: w.t.key, baseUrl: w.t.url, fetch: (input, init) => { paths.push(new URL(String(input)).pathname); return fetch(input, init); } });
    const id = await create(client);
    paths.length = 0;
    const modes: string[] = [];
    const statuses: string[] = [];
    const job = await client.clip.job.wait(id, { onMode: (m) => modes.push(m), onProgress: (j) => statuses.push(j.status) });
    assert.equal(job.status, 'completed');
    assert.ok((job as { aoi_geometry?: unknown }).aoi_geometry, 'the full resource');
    assert.deepEqual(modes, ['events']);
    assert.equal(statuses.at(-1), 'completed');
    assert.equal(paths.filter((p) => p === '/v1/events').length, 1);
    const gets = paths.filter((p) => p === '/v1/op/clip.job.get').length;
    assert.ok(gets >= 1 && gets <= 2, `clip.job.get read ${gets} times`);
  });

  it('the SDK polls clip.job.get when the server has no /v1/events (404)', async () => {
    const client = new GeoperaClient({ token: w.t.key, baseUrl: proxy.url });
    const id = await create(client);
    const modes: string[] = [];
    const job = await client.clip.job.wait(id, { onMode: (m, why) => modes.push(`${m} (${why})`), intervalMs: 50 });
    assert.equal(job.status, 'completed');
    assert.deepEqual(modes, ['polling (no event stream: HTTP 404 not_found)']);
    const events = proxy.seen.filter((s) => s.path.startsWith('/v1/events'));
    assert.equal(events.length, 1, 'asked once, then polled');
    assert.ok(proxy.seen.filter((s) => s.path === '/v1/op/clip.job.get').length >= 1);
  });

  for (const [how, url] of [['on the event stream', 'direct'], ['by polling (no event stream)', 'proxy']] as const) {
    it(`geopera clip create-from-area --wait follows the job ${how}`, async () => {
      const env = { GEOPERA_API_URL: url === 'direct' ? w.t.url : proxy.url, GEOPERA_API_TOKEN: w.t.key, GEOPERA_CONFIG_DIR: dir };
      const r = await runCli(['clip', 'create-from-area', '--area', w.area, '--mosaic-types', w.mosaicTypes[0]!, '--aoi', path.join(dir, 'aoi.geojson'), '--wait'], { env });
      assert.equal(r.status, 0, r.stderr);
      assert.equal((JSON.parse(r.stdout) as { job: { status: string } }).job.status, 'completed');
      assert.match(r.stderr, url === 'direct' ? /geopera: following job_\S+ on the event stream/ : /geopera: polling job_\S+ \(no event stream: HTTP 404 not_found\)/);
      assert.doesNotMatch(r.stderr, url === 'direct' ? /polling/ : /event stream\n/);
      assert.match(r.stderr, /100% job_\S+ completed/);
    });
  }
});
