/**
 * Signed links: a token verifies for what it was signed for and nothing else, expires, and a token once
 * verified (a map sends the same one with every tile) is remembered without changing any answer.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../src/errors/app.error.js';
import { UrlSigner, type SignedClaims } from '../../src/auth/url.signer.js';

const claims: SignedClaims = { purpose: 'tile', orgId: 'acme', jobId: 'job-1', subject: '', keyId: 'k1', exp: 2_000_000_000 };
const now = 1_900_000_000;

function code(f: () => unknown): string {
  try {
    f();
    return 'ok';
  } catch (err) {
    return err instanceof AppError ? err.code : String(err);
  }
}

describe('signed URL tokens', () => {
  it('verify for their purpose, job and subject, again and again with the same claims', () => {
    const signer = new UrlSigner('secret-1');
    const token = signer.sign(claims);
    for (let i = 0; i < 3; i++) assert.deepEqual(signer.verify(token, { purpose: 'tile', jobId: 'job-1', subject: '' }, now), claims);
  });

  it('once remembered, still refuse another job, purpose or subject, and a forged or foreign token', () => {
    const signer = new UrlSigner('secret-1');
    const token = signer.sign(claims);
    signer.verify(token, { purpose: 'tile', jobId: 'job-1', subject: '' }, now);
    assert.equal(code(() => signer.verify(token, { purpose: 'tile', jobId: 'job-2', subject: '' }, now)), 'invalid_signature');
    assert.equal(code(() => signer.verify(token, { purpose: 'dl', jobId: 'job-1', subject: '' }, now)), 'invalid_signature');
    assert.equal(code(() => signer.verify(token, { purpose: 'tile', jobId: 'job-1', subject: 'visual' }, now)), 'invalid_signature');
    const mac = token.split('.')[3]!;
    const forged = token.slice(0, -mac.length) + (mac[0] === 'A' ? 'B' : 'A') + mac.slice(1);
    assert.equal(code(() => signer.verify(forged, { purpose: 'tile', jobId: 'job-1', subject: '' }, now)), 'invalid_signature');
    const otherKey = token.replace('.k1.', '.k2.');
    assert.equal(code(() => signer.verify(otherKey, { purpose: 'tile', jobId: 'job-1', subject: '' }, now)), 'invalid_signature');
    assert.equal(code(() => new UrlSigner('secret-2').verify(token, { purpose: 'tile', jobId: 'job-1', subject: '' }, now)), 'invalid_signature');
  });

  it('once remembered, still expire', () => {
    const signer = new UrlSigner('secret-1');
    const token = signer.sign(claims);
    assert.equal(code(() => signer.verify(token, { purpose: 'tile', jobId: 'job-1', subject: '' }, now)), 'ok');
    assert.equal(code(() => signer.verify(token, { purpose: 'tile', jobId: 'job-1', subject: '' }, claims.exp)), 'token_expired');
  });

  it('keep verifying every token when more were seen than are remembered', () => {
    const signer = new UrlSigner('secret-1');
    const tokens = Array.from({ length: 1500 }, (_, i) => signer.sign({ ...claims, jobId: `job-${i}` }));
    for (let round = 0; round < 2; round++) {
      tokens.forEach((t, i) => assert.equal(signer.verify(t, { purpose: 'tile', jobId: `job-${i}`, subject: '' }, now).jobId, `job-${i}`));
    }
    assert.equal(code(() => signer.verify(tokens[0]!, { purpose: 'tile', jobId: 'job-1', subject: '' }, now)), 'invalid_signature');
  });
});
