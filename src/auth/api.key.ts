/**
 * API key format, GitHub-token style: `gpra_` + 32 base62 characters (≈190 random bits) + 6 base62
 * characters of CRC32 over the random part. A mistyped key fails the checksum without a database read.
 * Keys are stored only as SHA-256 hashes.
 */
import { createHash, randomBytes } from 'node:crypto';

export const KeyPrefix = 'gpra_';
const Alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BodyLength = 32;
const ChecksumLength = 6;

/** Random base62 text of `n` characters (rejection sampling: no modulo bias). */
export function randomBase62(n: number): string {
  let out = '';
  while (out.length < n) {
    for (const b of randomBytes(n * 2)) {
      if (b < 248 && out.length < n) out += Alphabet[b % 62];
    }
  }
  return out;
}

function base62(n: number, width: number): string {
  let s = '';
  let v = n >>> 0;
  for (let i = 0; i < width; i++) {
    s = Alphabet[v % 62] + s;
    v = Math.floor(v / 62);
  }
  return s;
}

const CrcTable = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[i] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (IEEE) of an ASCII string. */
export function crc32(text: string): number {
  let c = 0xffffffff;
  for (let i = 0; i < text.length; i++) c = CrcTable[(c ^ text.charCodeAt(i)) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A new API key (shown once). */
export function generateApiKey(): string {
  const body = randomBase62(BodyLength);
  return KeyPrefix + body + base62(crc32(body), ChecksumLength);
}

/** True when the text has the key shape and its checksum matches. */
export function isWellFormedApiKey(text: string): boolean {
  if (!text.startsWith(KeyPrefix) || text.length !== KeyPrefix.length + BodyLength + ChecksumLength) return false;
  const rest = text.slice(KeyPrefix.length);
  if (!/^[0-9A-Za-z]+$/.test(rest)) return false;
  const body = rest.slice(0, BodyLength);
  return base62(crc32(body), ChecksumLength) === rest.slice(BodyLength);
}

/** SHA-256 hex of a secret (keys and session tokens are stored only this way). */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Display form that never reveals the key: `gpra_AbCd…wXyZ`. */
export function keyHint(key: string): string {
  return `${key.slice(0, KeyPrefix.length + 4)}…${key.slice(-4)}`;
}
