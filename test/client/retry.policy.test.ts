/** When the client retries and how long it waits (pure). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backoffMs, DefaultRetry, isRetryableStatus, nextDelayMs, parseRetryAfter, sleep } from '../../src/client/retry.policy.js';

describe('retry policy', () => {
  it('retries 429, 502, 503, 504 and an in-flight idempotency key; nothing else', () => {
    for (const s of [429, 502, 503, 504]) assert.equal(isRetryableStatus(s, undefined), true, String(s));
    assert.equal(isRetryableStatus(409, 'idempotency_key_in_flight'), true);
    assert.equal(isRetryableStatus(409, 'idempotency_key_reused'), false);
    assert.equal(isRetryableStatus(429, 'egress_quota_exceeded'), false, 'a used-up quota does not come back in seconds');
    for (const s of [400, 401, 402, 403, 404, 413, 422, 500, 501]) assert.equal(isRetryableStatus(s, undefined), false, String(s));
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    assert.equal(parseRetryAfter('2'), 2000);
    assert.equal(parseRetryAfter(' 0 '), 0);
    assert.equal(parseRetryAfter('1.5'), 1500);
    const now = Date.parse('2025-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfter('Tue, 31 Dec 2024 00:00:00 GMT', now), 0, 'a past date means now');
    assert.equal(parseRetryAfter('soon'), undefined);
    assert.equal(parseRetryAfter(null), undefined);
  });

  it('backs off exponentially with equal jitter, capped', () => {
    const opts = { ...DefaultRetry, baseDelayMs: 100, maxBackoffMs: 1000 };
    assert.equal(backoffMs(0, opts, () => 0), 50);
    assert.equal(backoffMs(0, opts, () => 1), 100);
    assert.equal(backoffMs(2, opts, () => 1), 400);
    assert.equal(backoffMs(10, opts, () => 1), 1000);
    assert.equal(backoffMs(10, opts, () => 0), 500);
  });

  it('prefers Retry-After, gives up past the attempts or a too-long Retry-After', () => {
    const opts = { ...DefaultRetry, retries: 2, maxRetryAfterMs: 10_000 };
    assert.equal(nextDelayMs(0, 3000, opts), 3000);
    assert.equal(nextDelayMs(0, 60_000, opts), undefined);
    assert.equal(nextDelayMs(2, undefined, opts), undefined);
    assert.equal(nextDelayMs(1, undefined, { ...opts, baseDelayMs: 100 }, () => 1), 200);
    assert.equal(nextDelayMs(0, undefined, { ...opts, retries: 0 }), undefined);
  });

  it('sleeps until aborted', async () => {
    const ac = new AbortController();
    // A 10-minute sleep that resolved would fail `rejects`; the abort must end it first.
    setImmediate(() => ac.abort(new Error('stop')));
    await assert.rejects(sleep(600_000, ac.signal), /stop/);
  });
});
