import { nowIso, type SqlDb, type SqlRunner } from './sql.js';

/** An organization: the tenant that owns keys, jobs and ledgers. */
export interface OrgRow {
  id: string;
  name: string;
  /** Credit limit in km²; null = unlimited */
  credit_limit_km2: number | null;
  /** Egress quota in bytes; null = unlimited */
  egress_limit_bytes: number | null;
  created_at: string;
  /** Days a completed job's files are kept; null = the server's default (`GEOPERA_RETENTION_DAYS`), 0 = for ever */
  retention_days: number | null;
}

const Columns = 'id, name, credit_limit_km2, egress_limit_bytes, created_at, retention_days';

export class OrgStore {
  constructor(private readonly db: SqlDb) {}

  async create(org: { id: string; name?: string; creditLimitKm2?: number | null; egressLimitBytes?: number | null; retentionDays?: number | null }, q: SqlRunner = this.db): Promise<OrgRow> {
    const row: OrgRow = {
      id: org.id,
      name: org.name ?? org.id,
      credit_limit_km2: org.creditLimitKm2 ?? null,
      egress_limit_bytes: org.egressLimitBytes ?? null,
      created_at: nowIso(),
      retention_days: org.retentionDays ?? null,
    };
    await q.run(`INSERT INTO organizations (${Columns}) VALUES (?, ?, ?, ?, ?, ?)`, [row.id, row.name, row.credit_limit_km2, row.egress_limit_bytes, row.created_at, row.retention_days]);
    return row;
  }

  get(id: string, q: SqlRunner = this.db): Promise<OrgRow | undefined> {
    return q.get<OrgRow>(`SELECT ${Columns} FROM organizations WHERE id = ?`, [id]);
  }

  /** Read an org and lock its row until the transaction ends (credit and egress debits of one org go one at a time). */
  lock(q: SqlRunner, id: string): Promise<OrgRow | undefined> {
    return q.get<OrgRow>(`SELECT ${Columns} FROM organizations WHERE id = ?${this.db.dialect.forUpdate}`, [id]);
  }

  list(): Promise<OrgRow[]> {
    return this.db.all<OrgRow>(`SELECT ${Columns} FROM organizations ORDER BY created_at, ${this.db.dialect.seq}`);
  }

  /** Change an org's credit limit (km²) or egress quota (bytes); null = unlimited. False when no such org. */
  async setLimits(id: string, limits: { creditLimitKm2?: number | null; egressLimitBytes?: number | null }): Promise<boolean> {
    const org = await this.get(id);
    if (!org) return false;
    const credit = limits.creditLimitKm2 === undefined ? org.credit_limit_km2 : limits.creditLimitKm2;
    const egress = limits.egressLimitBytes === undefined ? org.egress_limit_bytes : limits.egressLimitBytes;
    return (await this.db.run('UPDATE organizations SET credit_limit_km2 = ?, egress_limit_bytes = ? WHERE id = ?', [credit, egress, id])) > 0;
  }

  /** Set an org's retention policy (days; 0 = for ever; null = the server's default) for the jobs it completes from now on. */
  async setRetention(id: string, days: number | null): Promise<boolean> {
    return (await this.db.run('UPDATE organizations SET retention_days = ? WHERE id = ?', [days, id])) > 0;
  }
}
