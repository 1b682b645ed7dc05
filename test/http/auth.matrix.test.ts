/**
 * The auth matrix over every operation in the registry (a new operation cannot skip it): no credential,
 * malformed key (checksum), revoked key, expired session, missing scope — each with its status and code.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { hashSecret } from '../../src/auth/api.key.js';
import { Scopes } from '../../src/auth/scopes.js';
import { OperationList } from '../../src/operations/registry.js';
import { sqlOf } from '../support/backend.js';
import { startTestServer, type TestServer } from '../support/harness.js';

describe('auth matrix (every operation)', () => {
  let t: TestServer;
  let revoked: string;
  before(async () => {
    t = await startTestServer();
    revoked = await t.makeKey('acme');
    await t.runtime.services.storage.keys.revoke((await t.runtime.services.storage.keys.byHash(hashSecret(revoked)))!.id);
  });
  after(() => t.close());

  for (const op of OperationList) {
    describe(op.id, () => {
      it('answers 401 with WWW-Authenticate and a problem body without a credential', async () => {
        const res = await t.op(op.id, {}, { key: null });
        assert.equal(res.status, 401);
        assert.equal(res.headers.get('www-authenticate'), 'Bearer');
        assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
        const body = (await res.json()) as Record<string, unknown>;
        assert.equal(body.code, 'unauthorized');
        assert.equal(body.status, 401);
        assert.equal(typeof body.title, 'string');
        assert.equal(typeof body.detail, 'string');
        assert.equal(typeof body.request_id, 'string');
      });

      it('answers 401 invalid_credentials for a key with a bad checksum', async () => {
        const bad = `${t.key.slice(0, -1)}${t.key.endsWith('A') ? 'B' : 'A'}`;
        const res = await t.op(op.id, {}, { key: bad });
        assert.equal(res.status, 401);
        assert.equal(((await res.json()) as { code: string }).code, 'invalid_credentials');
      });

      it('answers 401 for a revoked key', async () => {
        const res = await t.op(op.id, {}, { key: revoked });
        assert.equal(res.status, 401);
      });

      it(`answers 403 missing_scope naming ${op.scope} when the key lacks it`, async () => {
        const key = await t.makeKey('acme', Scopes.filter((s) => s !== op.scope));
        const res = await t.op(op.id, {}, { key });
        assert.equal(res.status, 403);
        const body = (await res.json()) as { code: string; detail: string };
        assert.equal(body.code, 'missing_scope');
        assert.ok(body.detail.includes(op.scope));
      });

      it('answers 401 token_expired for an expired session token', async () => {
        const tokenRes = await fetch(`${t.url}/realms/public/protocol/openid-connect/token`, {
          method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'geopera', client_secret: t.key }),
        });
        const { access_token } = (await tokenRes.json()) as { access_token: string };
        await sqlOf(t.runtime.services.storage).run('UPDATE session_tokens SET expires_at = 1 WHERE kind = ?', ['access']);
        const res = await t.op(op.id, {}, { key: access_token });
        assert.equal(res.status, 401);
        assert.equal(((await res.json()) as { code: string }).code, 'token_expired');
      });
    });
  }
});
