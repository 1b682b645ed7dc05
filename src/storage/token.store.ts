import { nowIso, type Db } from './db.js';

/** A session token (access or refresh), stored as a hash. */
export interface TokenRow {
  id: string;
  key_id: string;
  kind: 'access' | 'refresh';
  hash: string;
  scopes: string;
  /** Unix ms */
  expires_at: number;
  created_at: string;
  revoked_at: string | null;
}

export class TokenStore {
  constructor(private readonly db: Db) {}

  insert(row: Omit<TokenRow, 'created_at' | 'revoked_at'>): void {
    this.db.prepare('INSERT INTO session_tokens (id, key_id, kind, hash, scopes, expires_at, created_at) VALUES (@id, @key_id, @kind, @hash, @scopes, @expires_at, @created_at)').run({ ...row, created_at: nowIso() });
  }

  byHash(hash: string): TokenRow | undefined {
    return this.db.prepare('SELECT * FROM session_tokens WHERE hash = ?').get(hash) as TokenRow | undefined;
  }

  revokeByHash(hash: string): boolean {
    return this.db.prepare('UPDATE session_tokens SET revoked_at = ? WHERE hash = ? AND revoked_at IS NULL').run(nowIso(), hash).changes > 0;
  }

  /** Drop tokens that expired more than a day ago. */
  sweep(now = Date.now()): number {
    return this.db.prepare('DELETE FROM session_tokens WHERE expires_at < ?').run(now - 86_400_000).changes;
  }
}
