import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { crc32, generateApiKey, hashSecret, isWellFormedApiKey, keyHint } from '../../src/auth/api.key.js';

describe('API key format', () => {
  it('is gpra_ + 32 random base62 characters + a 6-character CRC32 checksum', () => {
    const key = generateApiKey();
    assert.match(key, /^gpra_[0-9A-Za-z]{38}$/);
    assert.ok(isWellFormedApiKey(key));
  });

  it('carries at least 160 random bits (32 base62 characters ≈ 190 bits) and never repeats', () => {
    assert.ok(32 * Math.log2(62) >= 160);
    const keys = new Set(Array.from({ length: 2000 }, generateApiKey));
    assert.equal(keys.size, 2000);
  });

  it('rejects any single-character typo by checksum, without a database', () => {
    const key = generateApiKey();
    for (let i = 5; i < key.length; i++) {
      const swapped = key.slice(0, i) + (key[i] === 'a' ? 'b' : 'a') + key.slice(i + 1);
      assert.equal(isWellFormedApiKey(swapped), false, `typo at ${i} accepted`);
    }
    assert.equal(isWellFormedApiKey(key.slice(0, -1)), false);
    assert.equal(isWellFormedApiKey(`gprx_${key.slice(5)}`), false);
  });

  it('uses the IEEE CRC-32', () => {
    assert.equal(crc32('123456789'), 0xcbf43926);
  });

  it('is stored as a SHA-256 hash and shown as a hint that hides it', () => {
    const key = generateApiKey();
    assert.equal(hashSecret(key).length, 64);
    const hint = keyHint(key);
    assert.ok(hint.startsWith('gpra_') && hint.includes('…'));
    assert.ok(hint.length < 16);
  });
});
