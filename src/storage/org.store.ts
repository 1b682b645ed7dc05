import { nowIso, type Db } from './db.js';

/** An organization: the tenant that owns keys, jobs and ledgers. */
export interface OrgRow {
  id: string;
  name: string;
  /** Credit limit in km²; null = unlimited */
  credit_limit_km2: number | null;
  /** Egress quota in bytes; null = unlimited */
  egress_limit_bytes: number | null;
  created_at: string;
}

export class OrgStore {
  constructor(private readonly db: Db) {}

  create(org: { id: string; name?: string; creditLimitKm2?: number | null; egressLimitBytes?: number | null }): OrgRow {
    const row: OrgRow = {
      id: org.id,
      name: org.name ?? org.id,
      credit_limit_km2: org.creditLimitKm2 ?? null,
      egress_limit_bytes: org.egressLimitBytes ?? null,
      created_at: nowIso(),
    };
    this.db.prepare('INSERT INTO organizations (id, name, credit_limit_km2, egress_limit_bytes, created_at) VALUES (@id, @name, @credit_limit_km2, @egress_limit_bytes, @created_at)').run(row);
    return row;
  }

  get(id: string): OrgRow | undefined {
    return this.db.prepare('SELECT * FROM organizations WHERE id = ?').get(id) as OrgRow | undefined;
  }

  list(): OrgRow[] {
    return this.db.prepare('SELECT * FROM organizations ORDER BY created_at, rowid').all() as OrgRow[];
  }
}
