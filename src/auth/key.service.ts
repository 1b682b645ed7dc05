/** Create, list and revoke API keys and organizations (used by the admin CLI and bootstrap). */
import { AppError } from '../errors/app.error.js';
import type { Storage } from '../storage/storage.js';
import type { KeyRow, NewKey } from '../storage/key.store.js';
import { generateApiKey, hashSecret, isWellFormedApiKey, keyHint, randomBase62 } from './api.key.js';
import { Scopes, type Scope } from './scopes.js';

/** A key as listed: never the key itself. */
export interface KeyView {
  id: string;
  org_id: string;
  name: string | null;
  scopes: string[];
  hint: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export function toKeyView(row: KeyRow): KeyView {
  return { id: row.id, org_id: row.org_id, name: row.name, scopes: row.scopes.split(' ').filter(Boolean), hint: row.hint, created_at: row.created_at, last_used_at: row.last_used_at, revoked_at: row.revoked_at };
}

/** Create a key for an org; returns the key (shown once) and its stored view. */
export async function createApiKey(storage: Storage, opts: { orgId: string; scopes: readonly Scope[]; name?: string | null; key?: string }): Promise<{ key: string; view: KeyView }> {
  if (!(await storage.orgs.get(opts.orgId))) throw new AppError('organization_not_found', `Organization "${opts.orgId}" does not exist`);
  const key = opts.key ?? generateApiKey();
  const row = await storage.keys.insert(newKeyRow(key, opts));
  return { key, view: toKeyView(row) };
}

/** The stored form of a key: its hash and hint, never the key. */
function newKeyRow(key: string, opts: { orgId: string; scopes: readonly Scope[]; name?: string | null }): NewKey {
  if (!isWellFormedApiKey(key)) throw new AppError('invalid_input', 'The key is not a well-formed gpra_ key (make one with `geopera admin key create`)');
  return { id: `key_${randomBase62(12)}`, org_id: opts.orgId, name: opts.name ?? null, scopes: opts.scopes.join(' '), hash: hashSecret(key), hint: keyHint(key) };
}

/**
 * `GEOPERA_BOOTSTRAP_KEY`: on a database with no keys, create org `default` (unlimited) and this key
 * with every scope. Returns the key id when it did.
 */
export async function bootstrapKey(storage: Storage, key: string | undefined): Promise<string | undefined> {
  if (!key || (await storage.keys.count()) > 0) return undefined;
  const row = newKeyRow(key, { orgId: 'default', scopes: Scopes, name: 'bootstrap' });
  return (await storage.keys.bootstrap({ id: 'default', name: 'Default organization' }, row)) ? row.id : undefined;
}
