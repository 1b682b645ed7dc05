/**
 * SECURITY.md "Signed links and tile tokens" (OWASP API2, API1): a download link opens one output of one
 * job of one org and nothing else; a tile token opens the tiles of one job (or one area) only; neither
 * can be edited to name another job, output, org, key or expiry, nor used for the other purpose; both
 * die with the key that minted them (revocation) and with the job (delete), and answer 401
 * `token_expired` past their expiry.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { hashSecret } from '../../src/auth/api.key.js';
import { UrlSigner } from '../../src/auth/url.signer.js';
import { startTestServer, type TestServer } from '../support/harness.js';
import { completedJob, localPart } from './security.world.js';

/** A map tile in the middle of the sample area (inside every job's AOI here). */
const Tile = '18/256456/166486.png';

describe('signed links and tile tokens', { timeout: 120_000 }, () => {
  let t: TestServer;
  let keyB: string;
  let revocable: string;
  let j1: string;
  let j2: string;
  let j3: string;
  before(async () => {
    t = await startTestServer();
    keyB = await t.makeKey('org-b');
    revocable = await t.makeKey('acme');
    [j1, j2, j3] = await Promise.all([
      completedJob(t, t.key, 'acme', { mosaic_types: ['visual', 'analytic'] }),
      completedJob(t, t.key, 'acme'),
      completedJob(t, revocable, 'acme'),
    ]);
  });
  after(() => t.close());

  const links = async (job: string, key = t.key): Promise<Record<string, string>> => {
    const { items } = (await (await t.op('clip.job.downloads', { job_id: job }, { key })).json()) as { items: { mosaic_type: string; url: string }[] };
    return Object.fromEntries(items.map((d) => [d.mosaic_type, localPart(d.url)]));
  };
  const tileUrl = async (job: string, key = t.key): Promise<string> => {
    const info = (await (await t.op('clip.job.tile_info', { job_id: job }, { key })).json()) as { tiles: string[] };
    return localPart(info.tiles[0]!.replace('{z}/{x}/{y}', Tile.replace('.png', '')));
  };
  const get = async (p: string): Promise<{ status: number; code?: string }> => {
    const res = await fetch(`${t.url}${p}`, { headers: { range: 'bytes=0-15' } });
    const text = await res.text();
    return { status: res.status, ...(res.headers.get('content-type')?.includes('json') ? { code: (JSON.parse(text) as { code: string }).code } : {}) };
  };
  const tokenOf = (p: string): string => new URL(p, 'http://x').searchParams.get('token')!;

  it('a download link opens its own output (206), and no other output, job or org', async () => {
    const l1 = await links(j1);
    assert.equal((await get(l1.visual!)).status, 206);
    assert.deepEqual(await get(`/v1/files/${j1}/analytic?token=${tokenOf(l1.visual!)}`), { status: 401, code: 'invalid_signature' });
    assert.deepEqual(await get(`/v1/files/${j2}/visual?token=${tokenOf(l1.visual!)}`), { status: 401, code: 'invalid_signature' });
  });

  it('no part of a token can be edited: org, key, expiry, signature', async () => {
    const [exp, keyId, org, mac] = tokenOf((await links(j1)).visual!).split('.') as [string, string, string, string];
    const keyIdB = (await t.runtime.services.storage.keys.byHash(hashSecret(keyB)))!.id;
    const edits = [
      [exp, keyId, Buffer.from('org-b').toString('base64url'), mac],
      [exp, keyIdB, org, mac],
      [String(Number(exp) + 3600), keyId, org, mac],
      [exp, keyId, org, `${mac.slice(0, -2)}AA`],
      [exp, `${keyId}\n`, org, mac],
    ];
    for (const e of edits) assert.equal((await get(`/v1/files/${j1}/visual?token=${encodeURIComponent(e.join('.'))}`)).status, 401, e.join('.'));
  });

  it('a tile token opens the tiles of its own job only, and is no download link (nor the reverse)', async () => {
    const tiles1 = await tileUrl(j1);
    assert.equal((await get(tiles1)).status, 200);
    assert.equal((await get(tiles1.replace(j1, j2))).status, 401);
    assert.equal((await get(`/v1/files/${j1}/visual?token=${tokenOf(tiles1)}`)).status, 401, 'a tile token as a download link');
    assert.equal((await get(`/v1/tiles/jobs/${j1}/visual/${Tile}?token=${tokenOf((await links(j1)).visual!)}`)).status, 401, 'a download link as a tile token');
  });

  it('an area tile token opens that area only', async () => {
    const doc = (await (await fetch(`${t.url}/v1/tiles/areas/demo-valley/visual/tilejson.json`, { headers: { 'x-api-key': t.key } })).json()) as { tiles: string[] };
    const token = tokenOf(localPart(doc.tiles[0]!.replace(/[{}]/g, '')));
    assert.equal((await get(`/v1/tiles/areas/demo-valley/visual/${Tile}?token=${token}`)).status, 200);
    assert.equal((await get(`/v1/tiles/areas/another-area/visual/${Tile}?token=${token}`)).status, 401);
    assert.equal((await get(`/v1/tiles/jobs/${j1}/visual/${Tile}?token=${token}`)).status, 401);
  });

  it('links and tile tokens die with the key that minted them; others live on', async () => {
    const [dl, tile, other] = [(await links(j3, revocable)).visual!, await tileUrl(j3, revocable), (await links(j2)).visual!];
    assert.equal((await get(dl)).status, 206);
    assert.equal((await get(tile)).status, 200);
    await t.runtime.services.storage.keys.revoke((await t.runtime.services.storage.keys.byHash(hashSecret(revocable)))!.id);
    assert.deepEqual(await get(dl), { status: 401, code: 'invalid_credentials' });
    assert.deepEqual(await get(`${tile}&bidx=1`), { status: 401, code: 'invalid_credentials' });
    assert.equal((await get(other)).status, 206, 'a link of another key is still good');
  });

  it('a deleted job\'s links answer 404; an expired link answers 401 token_expired', async () => {
    const dl = (await links(j2)).visual!;
    assert.equal((await t.op('clip.job.delete', { job_id: j2 })).status, 200);
    assert.deepEqual(await get(dl), { status: 404, code: 'job_not_found' });
    const signer = new UrlSigner((await t.runtime.services.storage.settings.get('url_secret'))!);
    const keyId = (await t.runtime.services.storage.keys.byHash(hashSecret(t.key)))!.id;
    const old = signer.sign({ purpose: 'dl', orgId: 'acme', jobId: j1, subject: 'visual', keyId, exp: 1 });
    assert.deepEqual(await get(`/v1/files/${j1}/visual?token=${old}`), { status: 401, code: 'token_expired' });
  });
});
