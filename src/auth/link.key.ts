/** Signed links (downloads, tiles) live only as long as the key that minted them. */
import { AppError } from '../errors/app.error.js';
import type { Storage } from '../storage/storage.js';
import type { SignedClaims } from './url.signer.js';

/** The claims of a verified link, or 401 `invalid_credentials` when its key was revoked or is not of the link's org. */
export async function requireLiveKey(storage: Storage, claims: SignedClaims): Promise<SignedClaims> {
  const key = await storage.keys.get(claims.keyId);
  if (!key || key.revoked_at || key.org_id !== claims.orgId) throw new AppError('invalid_credentials', 'The key that signed this link was revoked');
  return claims;
}
