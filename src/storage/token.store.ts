import { nowIso, type SqlDb } from './sql.js';

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

export type NewToken = Omit<TokenRow, 'created_at' | 'revoked_at'>;

const Columns = 'id, key_id, kind, hash, scopes, expires_at, created_at, revoked_at';

export class TokenStore {
  constructor(private readonly db: SqlDb) {}

  /** Store tokens (an access and a refresh token are issued together: one statement, both or neither). */
  async insert(...rows: NewToken[]): Promise<void> {
    if (rows.length === 0) return;
    const at = nowIso();
    const values = rows.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ');
    await this.db.run(`INSERT INTO session_tokens (id, key_id, kind, hash, scopes, expires_at, created_at) VALUES ${values}`,
      rows.flatMap((r) => [r.id, r.key_id, r.kind, r.hash, r.scopes, r.expires_at, at]));
  }

  byHash(hash: string): Promise<TokenRow | undefined> {
    return this.db.get<TokenRow>(`SELECT ${Columns} FROM session_tokens WHERE hash = ?`, [hash]);
  }

  async revokeByHash(hash: string): Promise<boolean> {
    return (await this.db.run('UPDATE session_tokens SET revoked_at = ? WHERE hash = ? AND revoked_at IS NULL', [nowIso(), hash])) > 0;
  }

  /** Drop tokens that expired more than a day ago. */
  sweep(now = this.db.now()): Promise<number> {
    return this.db.run('DELETE FROM session_tokens WHERE expires_at < ?', [now - 86_400_000]);
  }
}
