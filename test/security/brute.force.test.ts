/**
 * SECURITY.md "Brute force of credentials" (OWASP API2): 401s answered to one address are counted; past
 * GEOPERA_RATE_ANON a minute every request from it that takes a credential answers 429
 * `too_many_auth_failures` with Retry-After *before* the credential is checked, so a right guess looks
 * like a wrong one. Every credential route counts (keys, session tokens, the token endpoint, signed
 * links, tile tokens); expired tokens do not; public routes stay open; other addresses are untouched.
 * Addresses come from X-Forwarded-For (GEOPERA_TRUST_PROXY=1): the last hop, the one the proxy appends.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RateLimiter } from '../../src/auth/rate.limit.js';
import { generateApiKey } from '../../src/auth/api.key.js';
import { MemoryRateCounter } from '../../src/storage/rate.counter.js';
import { sqlOf } from '../support/backend.js';
import { startTestServer, type TestServer } from '../support/harness.js';

const Limit = 5;

describe('brute force of credentials', () => {
  let t: TestServer;
  before(async () => { t = await startTestServer({ env: { GEOPERA_RATE_ANON: String(Limit), GEOPERA_TRUST_PROXY: '1' } }); });
  after(() => t.close());

  const from = (ip: string, key: string | null, op = 'clip.areas.list') => t.op(op, {}, { key, headers: { 'x-forwarded-for': ip } });
  const code = async (res: Response): Promise<string> => ((await res.json()) as { code: string }).code;

  it(`after ${Limit} failed keys an address gets 429 too_many_auth_failures with Retry-After, even with the right key`, async () => {
    for (let i = 0; i < Limit; i++) assert.equal((await from('203.0.113.1', generateApiKey())).status, 401);
    const locked = await from('203.0.113.1', generateApiKey());
    assert.equal(locked.status, 429);
    assert.equal(await code(locked), 'too_many_auth_failures');
    const wait = Number(locked.headers.get('retry-after'));
    assert.ok(wait >= 1 && wait <= 60, `Retry-After ${wait}`);
    const right = await from('203.0.113.1', t.key);
    assert.equal(right.status, 429, 'a right guess is not told apart from a wrong one');
    assert.equal((await from('203.0.113.2', t.key)).status, 200, 'another address is not affected');
  });

  it('a client cannot pick its address: entries it puts before the proxy\'s hop are ignored', async () => {
    for (let i = 0; i < Limit; i++) assert.equal((await from(`198.51.100.${i}, 203.0.113.3`, generateApiKey())).status, 401);
    assert.equal((await from('198.51.100.99, 203.0.113.3', t.key)).status, 429);
  });

  it('failures on every credential route count: no credential, malformed key, token endpoint, userinfo, signed file link, tile token', async () => {
    const ip = '203.0.113.4';
    const h = { 'x-forwarded-for': ip };
    const failures = [
      () => from(ip, null),
      () => from(ip, 'gpra_short'),
      () => fetch(`${t.url}/realms/public/protocol/openid-connect/token`, { method: 'POST', headers: { ...h, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'client_credentials', client_secret: generateApiKey() }) }),
      () => fetch(`${t.url}/realms/public/protocol/openid-connect/userinfo`, { headers: { ...h, authorization: 'Bearer gpat_guess' } }),
      () => fetch(`${t.url}/v1/files/job_x/visual?token=1.key_x.eA.bad`, { headers: h }),
    ];
    for (const f of failures) assert.equal((await f()).status, 401);
    const tile = await fetch(`${t.url}/v1/tiles/areas/demo-valley/visual/14/16000/10000.png?token=9999999999.key_x.eA.bad`, { headers: h });
    assert.equal(tile.status, 429, 'the sixth failure was one too many: the tile request is refused');
    assert.equal(await code(tile), 'too_many_auth_failures');
  });

  it('public routes stay open for a locked address: health, OpenAPI, the operation list, CORS preflights', async () => {
    const h = { 'x-forwarded-for': '203.0.113.1' };
    for (const p of ['/healthz', '/openapi.json', '/v1/openapi.json', '/v1/op']) assert.equal((await fetch(`${t.url}${p}`, { headers: h })).status, 200, p);
    assert.equal((await fetch(`${t.url}/v1/tiles/areas/demo-valley/visual/1/1/1.png`, { method: 'OPTIONS', headers: h })).status, 204);
  });

  it('expired tokens do not count: a map left open overnight does not lock its owner out', async () => {
    const ip = '203.0.113.5';
    const tokens = (await (await fetch(`${t.url}/realms/public/protocol/openid-connect/token`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': ip }, body: new URLSearchParams({ grant_type: 'client_credentials', client_secret: t.key }),
    })).json()) as { access_token: string };
    await sqlOf(t.runtime.services.storage).run("UPDATE session_tokens SET expires_at = 1 WHERE kind = 'access'");
    for (let i = 0; i < Limit * 2; i++) {
      const res = await from(ip, tokens.access_token);
      assert.equal(res.status, 401);
      assert.equal(await code(res), 'token_expired');
    }
    assert.equal((await from(ip, t.key)).status, 200);
  });
});

describe('the failure window', () => {
  it('opens again a minute after it filled; Retry-After counts down the seconds left', async () => {
    const limiter = new RateLimiter(new MemoryRateCounter());
    const t0 = 1_000_000;
    for (let i = 0; i < 3; i++) assert.equal(await limiter.take('authfail:x', 3, t0 + i), 0);
    assert.equal(await limiter.wait('authfail:x', 3, t0 + 10), 60);
    assert.equal(await limiter.wait('authfail:x', 3, t0 + 45_000), 15);
    assert.equal(await limiter.wait('authfail:x', 3, t0 + 60_000), 0);
    assert.equal(await limiter.wait('authfail:y', 3, t0), 0, 'another address');
  });
});
