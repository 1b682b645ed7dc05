/** The SDK's session helpers (token exchange, refresh, revoke) and the area TileJSON, against a real server. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { exchangeApiKey, GeoperaClient, GeoperaError, refreshTokens, revokeToken } from '../../src/client/index.js';
import { startTestServer, type TestServer } from '../support/harness.js';

describe('SDK sessions', () => {
  let t: TestServer;
  before(async () => { t = await startTestServer(); });
  after(() => t.close());

  it('exchanges a key for tokens that call operations, refreshes them, and revokes them', async () => {
    const pair = await exchangeApiKey(t.url, t.key, { clientId: 'geopera-console' });
    assert.equal(pair.token_type, 'Bearer');
    assert.equal(pair.expires_in, 300);
    assert.ok(!pair.access_token.startsWith('gpra_'));
    const client = new GeoperaClient({ token: pair.access_token, baseUrl: t.url });
    assert.equal((await client.userinfo()).geopera_org_id, 'acme');

    const next = await refreshTokens(t.url, pair.refresh_token);
    assert.notEqual(next.access_token, pair.access_token);
    const fresh = new GeoperaClient({ token: next.access_token, baseUrl: t.url, retries: 0 });
    assert.equal((await fresh.clip.areas.list()).items[0]!.id, 'demo-valley');

    await revokeToken(t.url, next.refresh_token);
    await revokeToken(t.url, next.access_token);
    await assert.rejects(fresh.userinfo(), (err: unknown) => err instanceof GeoperaError && err.status === 401);
    await assert.rejects(refreshTokens(t.url, next.refresh_token), (err: unknown) => err instanceof GeoperaError && err.status === 401);
  });

  it('refuses a bad key with a GeoperaError carrying the code', async () => {
    await assert.rejects(exchangeApiKey(t.url, 'gpra_notakey'), (err: unknown) => err instanceof GeoperaError && err.status === 401 && typeof err.code === 'string');
  });

  it('reads an area mosaic TileJSON whose signed templates need no headers', async () => {
    const client = new GeoperaClient({ token: t.key, baseUrl: t.url });
    const tj = await client.areaTileJson('demo-valley', 'visual');
    assert.equal(tj.tilejson, '3.0.0');
    assert.match(tj.tiles[0]!, /\/v1\/tiles\/areas\/demo-valley\/visual\/\{z\}\/\{x\}\/\{y\}\.png\?token=/);
    await assert.rejects(client.areaTileJson('demo-valley', 'nope'), (err: unknown) => err instanceof GeoperaError && err.status === 404);
  });
});
