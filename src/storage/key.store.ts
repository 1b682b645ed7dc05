import type { OrgStore } from './org.store.js';
import { nowIso, type SqlDb } from './sql.js';

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

export type NewKey = Omit<KeyRow, 'created_at' | 'last_used_at' | 'revoked_at'>;

const Columns = 'id, org_id, name, scopes, hash, hint, created_at, last_used_at, revoked_at';
/** A key's last use is written at most this often, ms. */
const TouchEveryMs = 60_000;
/** Keys whose last write this process remembers (beyond it, a touch just writes again). */
const TouchMemory = 10_000;

export class KeyStore {
  /** When this process last wrote each key's `last_used_at` (unix ms): most requests then write nothing. */
  private readonly touched = new Map<string, number>();

  constructor(private readonly db: SqlDb, private readonly orgs: OrgStore) {}

  async insert(row: NewKey): Promise<KeyRow> {
    const full: KeyRow = { ...row, created_at: nowIso(), last_used_at: null, revoked_at: null };
    await this.db.run('INSERT INTO api_keys (id, org_id, name, scopes, hash, hint, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [full.id, full.org_id, full.name, full.scopes, full.hash, full.hint, full.created_at]);
    return full;
  }

  byHash(hash: string): Promise<KeyRow | undefined> {
    return this.db.get<KeyRow>(`SELECT ${Columns} FROM api_keys WHERE hash = ?`, [hash]);
  }

  get(id: string): Promise<KeyRow | undefined> {
    return this.db.get<KeyRow>(`SELECT ${Columns} FROM api_keys WHERE id = ?`, [id]);
  }

  list(orgId?: string): Promise<KeyRow[]> {
    const order = `ORDER BY created_at, ${this.db.dialect.seq}`;
    return orgId
      ? this.db.all<KeyRow>(`SELECT ${Columns} FROM api_keys WHERE org_id = ? ${order}`, [orgId])
      : this.db.all<KeyRow>(`SELECT ${Columns} FROM api_keys ${order}`);
  }

  async count(): Promise<number> {
    return (await this.db.get<{ n: number }>('SELECT count(*) AS n FROM api_keys'))!.n;
  }

  /** Revoke a key and every session token made from it; false when no live key has that id. */
  revoke(id: string): Promise<boolean> {
    const at = nowIso();
    return this.db.tx(async (q) => {
      const changed = await q.run('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [at, id]);
      await q.run('UPDATE session_tokens SET revoked_at = ? WHERE key_id = ? AND revoked_at IS NULL', [at, id]);
      return changed > 0;
    });
  }

  /**
   * On a database with no keys, make org `orgId` (when missing) and this key, atomically: nodes started
   * at once with the same bootstrap key make it once. True when it did.
   */
  bootstrap(org: { id: string; name: string }, key: NewKey): Promise<boolean> {
    return this.db.tx(async (q) => {
      if ((await q.get<{ n: number }>('SELECT count(*) AS n FROM api_keys'))!.n > 0) return false;
      if (!(await this.orgs.get(org.id, q))) await this.orgs.create(org, q);
      await q.run('INSERT INTO api_keys (id, org_id, name, scopes, hash, hint, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [key.id, key.org_id, key.name, key.scopes, key.hash, key.hint, nowIso()]);
      return true;
    }, { lock: 'geopera:bootstrap' });
  }

  /** Record a use: written at most once a minute per key, so reads stay reads. */
  async touch(id: string, now = Date.now()): Promise<void> {
    const last = this.touched.get(id);
    if (last !== undefined && now - last < TouchEveryMs) return;
    if (this.touched.size >= TouchMemory) this.touched.clear();
    this.touched.set(id, now);
    await this.db.run('UPDATE api_keys SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)', [nowIso(now), id, nowIso(now - TouchEveryMs)]);
  }
}
