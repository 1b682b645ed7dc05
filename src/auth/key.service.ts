/** Create, list and revoke API keys and organizations (used by the admin CLI and bootstrap). */
import { AppError } from '../errors/app.error.js';
import type { Storage } from '../storage/storage.js';
import type { KeyRow } from '../storage/key.store.js';
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
export function createApiKey(storage: Storage, opts: { orgId: string; scopes: readonly Scope[]; name?: string | null; key?: string }): { key: string; view: KeyView } {
  if (!storage.orgs.get(opts.orgId)) throw new AppError('organization_not_found', `Organization "${opts.orgId}" does not exist`);
  const key = opts.key ?? generateApiKey();
  if (!isWellFormedApiKey(key)) throw new AppError('invalid_input', 'The key is not a well-formed gpra_ key (make one with `geopera admin key create`)');
  const row = storage.keys.insert({ id: `key_${randomBase62(12)}`, org_id: opts.orgId, name: opts.name ?? null, scopes: opts.scopes.join(' '), hash: hashSecret(key), hint: keyHint(key) });
  return { key, view: toKeyView(row) };
}

/**
 * `GEOPERA_BOOTSTRAP_KEY`: on a database with no keys, create org `default` (unlimited) and this key
 * with every scope. Returns the key id when it did.
 */
export function bootstrapKey(storage: Storage, key: string | undefined): string | undefined {
  if (!key) return undefined;
  return storage.transaction(() => {
    if (storage.keys.count() > 0) return undefined;
    if (!storage.orgs.get('default')) storage.orgs.create({ id: 'default', name: 'Default organization' });
    return createApiKey(storage, { orgId: 'default', scopes: Scopes, name: 'bootstrap', key }).view.id;
  });
}
