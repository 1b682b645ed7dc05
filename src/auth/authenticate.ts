/**
 * Resolve the caller from request headers: `Authorization: Bearer <gpra_ key | access token>` or
 * `X-API-Key: <gpra_ key>`. Throws 401 codes; never logs or echoes the credential.
 */
import { timingSafeEqual } from 'node:crypto';
import { AppError } from '../errors/app.error.js';
import type { Storage } from '../storage/storage.js';
import { hashSecret, isWellFormedApiKey, KeyPrefix } from './api.key.js';
import type { Principal } from './principal.js';
import { isScope, type Scope } from './scopes.js';
import { AccessPrefix } from './session.service.js';

/** The credential text a request carries, or undefined when none. */
export function credentialOf(headers: { authorization?: string | undefined; 'x-api-key'?: string | string[] | undefined }): string | undefined {
  const apiKey = headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey.trim()) return apiKey.trim();
  const auth = headers.authorization;
  if (!auth) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
  if (!m) throw new AppError('unauthorized', 'The Authorization header must be "Bearer <token>"');
  return m[1];
}

function sameHash(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

function scopesOf(text: string): Set<Scope> {
  return new Set(text.split(' ').filter((s): s is Scope => isScope(s)));
}

/** Authenticate a credential; throws `unauthorized` / `invalid_credentials` / `token_expired`. */
export async function authenticate(storage: Storage, credential: string | undefined, now = Date.now()): Promise<Principal> {
  if (!credential) throw new AppError('unauthorized', 'No credential: send "Authorization: Bearer <key or token>" or "X-API-Key: <key>"');
  if (credential.startsWith(KeyPrefix)) {
    if (!isWellFormedApiKey(credential)) throw new AppError('invalid_credentials', 'The API key is malformed (checksum mismatch)');
    const hash = hashSecret(credential);
    const key = await storage.keys.byHash(hash);
    if (!key || !sameHash(key.hash, hash) || key.revoked_at) throw new AppError('invalid_credentials', 'The API key is not valid');
    await storage.keys.touch(key.id, now);
    return { orgId: key.org_id, keyId: key.id, scopes: scopesOf(key.scopes), via: 'api_key' };
  }
  if (credential.startsWith(AccessPrefix)) {
    const hash = hashSecret(credential);
    const tok = await storage.tokens.byHash(hash);
    if (!tok || tok.kind !== 'access' || !sameHash(tok.hash, hash) || tok.revoked_at) throw new AppError('invalid_credentials', 'The access token is not valid');
    if (tok.expires_at <= now) throw new AppError('token_expired', 'The access token has expired; refresh it or log in again');
    const key = await storage.keys.get(tok.key_id);
    if (!key || key.revoked_at) throw new AppError('invalid_credentials', 'The key behind this session was revoked');
    const keyScopes = scopesOf(key.scopes);
    const scopes = new Set([...scopesOf(tok.scopes)].filter((s) => keyScopes.has(s)));
    return { orgId: key.org_id, keyId: key.id, scopes, via: 'session' };
  }
  throw new AppError('invalid_credentials', 'The credential is neither a gpra_ API key nor an access token');
}

/** Throw 403 `missing_scope` naming the scope when the principal lacks it. */
export function requireScope(principal: Principal, scope: Scope): void {
  if (!principal.scopes.has(scope)) {
    throw new AppError('missing_scope', `This operation needs the scope "${scope}"`, { extra: { required_scope: scope } });
  }
}
