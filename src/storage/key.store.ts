import { nowIso, type Db } from './db.js';

/** A stored API key: only its hash, never the key. */
export interface KeyRow {
  id: string;
  org_id: string;
  name: string | null;
  /** Space-separated scopes */
  scopes: string;
  hash: string;
  hint: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export class KeyStore {
  constructor(private readonly db: Db) {}

  insert(row: Omit<KeyRow, 'created_at' | 'last_used_at' | 'revoked_at'>): KeyRow {
    const full: KeyRow = { ...row, created_at: nowIso(), last_used_at: null, revoked_at: null };
    this.db.prepare('INSERT INTO api_keys (id, org_id, name, scopes, hash, hint, created_at) VALUES (@id, @org_id, @name, @scopes, @hash, @hint, @created_at)').run(full);
    return full;
  }

  byHash(hash: string): KeyRow | undefined {
    return this.db.prepare('SELECT * FROM api_keys WHERE hash = ?').get(hash) as KeyRow | undefined;
  }

  get(id: string): KeyRow | undefined {
    return this.db.prepare('SELECT * FROM api_keys WHERE id = ?').get(id) as KeyRow | undefined;
  }

  list(orgId?: string): KeyRow[] {
    return (orgId
      ? this.db.prepare('SELECT * FROM api_keys WHERE org_id = ? ORDER BY created_at, rowid').all(orgId)
      : this.db.prepare('SELECT * FROM api_keys ORDER BY created_at, rowid').all()) as KeyRow[];
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM api_keys').get() as { n: number }).n;
  }

  /** Revoke a key and every session token made from it; false when no live key has that id. */
  revoke(id: string): boolean {
    const at = nowIso();
    return this.db.transaction(() => {
      const changed = this.db.prepare('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(at, id).changes;
      this.db.prepare('UPDATE session_tokens SET revoked_at = ? WHERE key_id = ? AND revoked_at IS NULL').run(at, id);
      return changed > 0;
    })();
  }

  /** Record a use; written at most once a minute per key to keep reads cheap. */
  touch(id: string, now = Date.now()): void {
    const cutoff = nowIso(now - 60_000);
    this.db.prepare('UPDATE api_keys SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)').run(nowIso(now), id, cutoff);
  }
}
