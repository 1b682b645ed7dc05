/**
 * SECURITY.md "What the server exposes" (OWASP API4, API5, API8, API9): the routes the app serves are
 * exactly the registry's operations and the documented routes around them (no admin surface over
 * HTTP: organisations and keys are the operator's, through the CLI on the database); only tiles answer
 * other origins, never with credentials; answers are not sniffed; a failure answers no internals, and
 * an output file that vanished from disk answers 404 instead of ending the process.
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../src/config.js';
import { createApp } from '../../src/http/app.js';
import { OperationList, resourcePath } from '../../src/operations/registry.js';
import { startTestServer, type TestServer } from '../support/harness.js';
import { completedJob, localPart, routesOf } from './security.world.js';

/** The routes around the operations (README "Operations", "Map tiles"; CONTRACT "HTTP: around the operations"). */
const AroundOperations = [
  'GET /openapi.json', 'GET /v1/openapi.json', 'GET /healthz', 'GET /metrics', 'GET /v1/op', 'POST /v1/op/:id', 'GET /', 'GET /assets/:file',
  'POST /realms/public/protocol/openid-connect/token', 'GET /realms/public/protocol/openid-connect/userinfo', 'POST /realms/public/protocol/openid-connect/revoke',
  'GET /v1/files/:job/:output',
  'GET /v1/tiles/jobs/:job/:mosaic/:z/:x/:tile', 'GET /v1/tiles/areas/:area/:mosaic/tilejson.json', 'GET /v1/tiles/areas/:area/:mosaic/:z/:x/:tile',
  'OPTIONS /v1/tiles/jobs/:job/:mosaic/:z/:x/:tile', 'OPTIONS /v1/tiles/areas/:area/:mosaic/tilejson.json', 'OPTIONS /v1/tiles/areas/:area/:mosaic/:z/:x/:tile',
];

describe('what the server exposes', { timeout: 120_000 }, () => {
  const logLines: string[] = [];
  let t: TestServer;
  before(async () => { t = await startTestServer({ logLines, env: { GEOPERA_LOG_LEVEL: 'info' } }); });
  after(() => t.close());

  it('serves the registry operations and the documented routes, nothing else (no admin routes)', () => {
    const expected = [...AroundOperations, ...OperationList.map((op) => `POST ${resourcePath(op.id)}`)].sort();
    const served = routesOf(createApp(t.runtime.services, t.runtime.routers));
    assert.deepEqual(served, expected);
    assert.equal(served.some((r) => /admin|\/keys|\/org/.test(r)), false);
  });

  it('listens on 127.0.0.1 unless told otherwise', () => {
    assert.equal(loadConfig({}).host, '127.0.0.1');
  });

  it('operations answer no CORS headers (a page on another origin cannot call them with a key); tiles allow any origin without credentials', async () => {
    const op = await t.op('clip.areas.list', {}, { headers: { origin: 'https://evil.example' } });
    assert.equal(op.status, 200);
    assert.equal(op.headers.get('access-control-allow-origin'), null);
    const preflight = await fetch(`${t.url}/v1/op/clip.areas.list`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    assert.equal(preflight.headers.get('access-control-allow-origin'), null);
    const tile = await fetch(`${t.url}/v1/tiles/areas/demo-valley/visual/1/1/1.png`, { headers: { origin: 'https://evil.example', 'x-api-key': t.key } });
    assert.equal(tile.headers.get('access-control-allow-origin'), '*');
    assert.equal(tile.headers.get('access-control-allow-credentials'), null);
  });

  it('every answer says nosniff', async () => {
    for (const res of [await t.op('clip.areas.list', {}), await fetch(`${t.url}/healthz`), await t.op('clip.job.get', {}, { key: null })]) {
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    }
  });

  it('an output file that vanished from disk: downloads answer 404 output_not_found (the process lives), tiles a 404 without internals', async () => {
    const job = await completedJob(t, t.key, 'acme');
    const { items } = (await (await t.op('clip.job.downloads', { job_id: job })).json()) as { items: { url: string }[] };
    const [out] = (await t.runtime.services.storage.jobs.outputs(job)).filter((o) => o.output_key === 'visual');
    await rm(path.join(t.dataDir, out!.rel_path));
    const viaOp = await t.op('clip.job.download', { job_id: job, mosaic_type: 'visual' }, { headers: { accept: '*/*' } });
    const viaLink = await fetch(`${t.url}${localPart(items[0]!.url)}`);
    for (const res of [viaOp, viaLink]) {
      assert.equal(res.status, 404);
      assert.equal(((await res.json()) as { code: string }).code, 'output_not_found');
    }
    assert.equal((await t.runtime.services.storage.ledger.egress('acme')).length, 0, 'no byte was counted');
    const tile = await fetch(`${t.url}/v1/tiles/jobs/${job}/visual/18/256456/166486.png`, { headers: { 'x-api-key': t.key } });
    const text = await tile.text();
    assert.equal(text.includes(t.dataDir) || /at \w+ \(|Error:/.test(text), false, text);
    // A tile of the missing output answers as the download does: not found, named by its key, never the server's layout.
    assert.equal(tile.status, 404, text);
    assert.equal((JSON.parse(text) as { code: string }).code, 'output_not_found');
    assert.equal((await t.op('clip.areas.list', {})).status, 200);
  });
});
