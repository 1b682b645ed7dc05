/**
 * Session tokens: the OpenID Connect subset the official CLI uses. An API key is exchanged for a
 * short-lived access token and a refresh token; both are opaque, stored hashed, carry the key's org
 * and (optionally narrower) scopes, and die with the key.
 */
import { AppError } from '../errors/app.error.js';
import type { Storage } from '../storage/storage.js';
import { hashSecret, isWellFormedApiKey, randomBase62 } from './api.key.js';
import { isScope, type Scope } from './scopes.js';

export const AccessPrefix = 'gpat_';
export const RefreshPrefix = 'gprt_';

export interface TokenPair {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
  refresh_expires_in: number;
  scope: string;
}

export interface SessionTtl {
  accessS: number;
  refreshS: number;
}

async function issue(storage: Storage, keyId: string, scopes: string[], ttl: SessionTtl, now: number): Promise<TokenPair> {
  const access = AccessPrefix + randomBase62(40);
  const refresh = RefreshPrefix + randomBase62(40);
  const scope = scopes.join(' ');
  await storage.tokens.insert(
    { id: `tok_${randomBase62(12)}`, key_id: keyId, kind: 'access', hash: hashSecret(access), scopes: scope, expires_at: now + ttl.accessS * 1000 },
    { id: `tok_${randomBase62(12)}`, key_id: keyId, kind: 'refresh', hash: hashSecret(refresh), scopes: scope, expires_at: now + ttl.refreshS * 1000 },
  );
  return { access_token: access, token_type: 'Bearer', expires_in: ttl.accessS, refresh_token: refresh, refresh_expires_in: ttl.refreshS, scope };
}

/** Narrow a requested scope list to what the key has; an empty request means all of the key's. */
function narrow(keyScopes: string[], requested: string | undefined): string[] {
  if (!requested || !requested.trim()) return keyScopes;
  const want = requested.split(/\s+/).filter((s) => isScope(s));
  const granted = want.filter((s) => keyScopes.includes(s));
  if (granted.length === 0) throw new AppError('invalid_credentials', `None of the requested scopes (${requested}) is granted to this key`);
  return granted;
}

/** `grant_type=client_credentials`: the client secret is an API key. */
export async function exchangeApiKey(storage: Storage, apiKey: string, requestedScope: string | undefined, ttl: SessionTtl, now = Date.now()): Promise<TokenPair> {
  const key = isWellFormedApiKey(apiKey) ? await storage.keys.byHash(hashSecret(apiKey)) : undefined;
  if (!key || key.revoked_at) throw new AppError('invalid_credentials', 'The client secret is not a valid API key');
  await storage.keys.touch(key.id, now);
  return issue(storage, key.id, narrow(key.scopes.split(' '), requestedScope), ttl, now);
}

/** `grant_type=refresh_token`: rotate (the old refresh token is revoked). */
export async function refreshSession(storage: Storage, refreshToken: string, ttl: SessionTtl, now = Date.now()): Promise<TokenPair> {
  const row = refreshToken.startsWith(RefreshPrefix) ? await storage.tokens.byHash(hashSecret(refreshToken)) : undefined;
  if (!row || row.kind !== 'refresh' || row.revoked_at) throw new AppError('invalid_credentials', 'The refresh token is not valid');
  if (row.expires_at <= now) throw new AppError('token_expired', 'The refresh token has expired; log in again');
  const key = await storage.keys.get(row.key_id);
  if (!key || key.revoked_at) throw new AppError('invalid_credentials', 'The key behind this session was revoked');
  // Rotation: only the request that revokes the old refresh token gets a new pair.
  if (!(await storage.tokens.revokeByHash(row.hash))) throw new AppError('invalid_credentials', 'The refresh token is not valid');
  return issue(storage, key.id, row.scopes.split(' ').filter((s): s is Scope => isScope(s) && key.scopes.split(' ').includes(s)), ttl, now);
}

/** Revoke an access or refresh token (RFC 7009: unknown tokens are not an error). */
export async function revokeToken(storage: Storage, token: string): Promise<void> {
  await storage.tokens.revokeByHash(hashSecret(token));
}
