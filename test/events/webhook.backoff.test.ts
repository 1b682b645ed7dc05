/** The retry schedule of webhook deliveries: from 5 s doubling to an hour, half fixed and half random (jitter), never past the day. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isPrivateAddress, webhookUrlProblem } from '../../src/events/address.policy.js';
import { FirstRetryMs, MaxRetryMs, nextAttemptAt } from '../../src/events/webhook.backoff.js';
import { DeliveryWindowMs } from '../../src/storage/event.store.js';

describe('webhook retry schedule', () => {
  const day = DeliveryWindowMs;
  it('waits between half and all of 5 s · 2^(n-1), capped at an hour, the random part spread by the jitter', () => {
    for (const [attempt, ceiling] of [[1, 5_000], [2, 10_000], [3, 20_000], [10, 2_560_000], [11, MaxRetryMs], [40, MaxRetryMs]] as const) {
      assert.equal(nextAttemptAt(attempt, 0, day, () => 0), ceiling / 2, `attempt ${attempt}, no jitter`);
      assert.equal(nextAttemptAt(attempt, 0, day, () => 0.999999), Math.round(ceiling / 2 + 0.999999 * (ceiling / 2)));
    }
    const spread = new Set(Array.from({ length: 50 }, (_, i) => nextAttemptAt(4, 0, day, () => i / 50)));
    assert.equal(spread.size, 50, 'fifty failures at once come back at fifty times');
    assert.equal(FirstRetryMs, 5_000);
  });

  it('gives up when the next try would fall past the day (about 30 tries)', () => {
    let at = 0;
    let tries = 1;
    for (let next = nextAttemptAt(tries, at, day, () => 1); next !== null; next = nextAttemptAt(++tries, at, day, () => 1)) at = next;
    assert.ok(at <= day && at > day - MaxRetryMs, `last try at ${at} ms`);
    assert.ok(tries > 25 && tries < 40, `${tries} tries`);
  });
});

describe('webhook address policy', () => {
  it('knows loopback, private, link-local, CGNAT and unique-local addresses (IPv4, IPv6, IPv4-mapped) from public ones', () => {
    for (const a of ['127.0.0.1', '10.1.2.3', '172.20.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fd00::1', 'fe80::1', '::ffff:10.0.0.1', '::']) assert.equal(isPrivateAddress(a), true, a);
    for (const a of ['8.8.8.8', '1.1.1.1', '2001:4860:4860::8888', '::ffff:8.8.4.4']) assert.equal(isPrivateAddress(a), false, a);
  });

  it('takes only http(s) URLs without credentials; a literal private host needs the operator setting', () => {
    assert.match(webhookUrlProblem('ftp://example.org/x', true)!, /only http\(s\)/);
    assert.match(webhookUrlProblem('https://u:p@example.org/x', true)!, /credentials/);
    assert.match(webhookUrlProblem('http://127.0.0.1:9000/hook', false)!, /GEOPERA_WEBHOOK_ALLOW_PRIVATE/);
    assert.match(webhookUrlProblem('http://localhost/hook', false)!, /private/);
    assert.equal(webhookUrlProblem('http://127.0.0.1:9000/hook', true), undefined);
    assert.equal(webhookUrlProblem('https://hooks.example.org/geopera', false), undefined);
  });
});
