import { nowIso, type Db } from './db.js';

export type CreditKind = 'grant' | 'hold' | 'capture' | 'release';

export interface CreditRow {
  id: number;
  org_id: string;
  job_id: string | null;
  kind: CreditKind;
  amount_km2: number;
  note: string | null;
  created_at: string;
}

export interface EgressRow {
  id: number;
  org_id: string;
  job_id: string;
  output_key: string;
  key_id: string | null;
  bytes: number;
  range: string | null;
  user_agent: string | null;
  requester_ip: string | null;
  created_at: string;
}

/**
 * Credit and egress ledgers. The credit balance is derived, never stored:
 * limit + grants − holds − captures + releases (a hold is followed by exactly one capture-or-release that
 * nets it out: capture converts a hold into a charge, so captures are recorded as 0-cost markers).
 */
export class LedgerStore {
  constructor(private readonly db: Db) {}

  addCredit(row: { org_id: string; job_id?: string | null; kind: CreditKind; amount_km2: number; note?: string | null }): void {
    this.db.prepare('INSERT INTO credit_ledger (org_id, job_id, kind, amount_km2, note, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(
      row.org_id, row.job_id ?? null, row.kind, row.amount_km2, row.note ?? null, nowIso());
  }

  /** Credits granted beyond the limit, and credits spent or held, in km². */
  creditTotals(orgId: string): { granted: number; held: number; captured: number; released: number } {
    const rows = this.db.prepare('SELECT kind, sum(amount_km2) AS total FROM credit_ledger WHERE org_id = ? GROUP BY kind').all(orgId) as { kind: CreditKind; total: number }[];
    const t = { granted: 0, held: 0, captured: 0, released: 0 };
    for (const r of rows) {
      if (r.kind === 'grant') t.granted = r.total;
      else if (r.kind === 'hold') t.held = r.total;
      else if (r.kind === 'capture') t.captured = r.total;
      else t.released = r.total;
    }
    return t;
  }

  /** The job's hold and whether it was settled (captured or released). */
  jobHold(jobId: string): { held: number; settled: boolean } {
    const rows = this.db.prepare('SELECT kind, sum(amount_km2) AS total FROM credit_ledger WHERE job_id = ? GROUP BY kind').all(jobId) as { kind: CreditKind; total: number }[];
    const held = rows.find((r) => r.kind === 'hold')?.total ?? 0;
    return { held, settled: rows.some((r) => r.kind === 'capture' || r.kind === 'release') };
  }

  credits(orgId: string): CreditRow[] {
    return this.db.prepare('SELECT * FROM credit_ledger WHERE org_id = ? ORDER BY id').all(orgId) as CreditRow[];
  }

  addEgress(row: Omit<EgressRow, 'id' | 'created_at'>): void {
    this.db.prepare(`INSERT INTO egress_ledger (org_id, job_id, output_key, key_id, bytes, range, user_agent, requester_ip, created_at)
      VALUES (@org_id, @job_id, @output_key, @key_id, @bytes, @range, @user_agent, @requester_ip, @created_at)`).run({ ...row, created_at: nowIso() });
  }

  egressTotal(orgId: string): number {
    return (this.db.prepare('SELECT coalesce(sum(bytes), 0) AS n FROM egress_ledger WHERE org_id = ?').get(orgId) as { n: number }).n;
  }

  egress(orgId: string): EgressRow[] {
    return this.db.prepare('SELECT * FROM egress_ledger WHERE org_id = ? ORDER BY id').all(orgId) as EgressRow[];
  }
}
