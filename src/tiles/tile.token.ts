/**
 * Signed tile tokens: the `token` query parameter of tile URL templates, so a map fetches tiles with
 * no headers and a key never lands in a URL. An HMAC (UrlSigner, purpose `tile`) over the org, the
 * job (or `area:<id>` for area mosaics), the key that minted it and the expiry; valid for every
 * mosaic type of that job or area. A token dies with its key.
 */
import { requireLiveKey } from '../auth/link.key.js';
import type { Principal } from '../auth/principal.js';
import type { UrlSigner } from '../auth/url.signer.js';
import type { Storage } from '../storage/storage.js';

/** What a tile token is for: a clip job's outputs or an area's mosaics. */
export type TileSubject = { kind: 'job'; jobId: string } | { kind: 'area'; area: string };

function scopeId(s: TileSubject): string {
  return s.kind === 'job' ? s.jobId : `area:${s.area}`;
}

/** Mint a token for `principal` valid `ttlS` seconds; returns it with its expiry (unix seconds). */
export function mintTileToken(signer: UrlSigner, principal: Principal, subject: TileSubject, ttlS: number, nowS = Date.now() / 1000): { token: string; exp: number } {
  const exp = Math.floor(nowS) + ttlS;
  return { token: signer.sign({ purpose: 'tile', orgId: principal.orgId, jobId: scopeId(subject), subject: '', keyId: principal.keyId, exp }), exp };
}

/**
 * Verify a token for `subject`: 401 `invalid_signature` when forged or for another job/area,
 * `token_expired` when past its expiry, `invalid_credentials` when its key was revoked. Returns the org.
 */
export async function verifyTileToken(signer: UrlSigner, storage: Storage, token: string, subject: TileSubject): Promise<{ orgId: string; keyId: string }> {
  const claims = await requireLiveKey(storage, signer.verify(token, { purpose: 'tile', jobId: scopeId(subject), subject: '' }));
  return { orgId: claims.orgId, keyId: claims.keyId };
}
