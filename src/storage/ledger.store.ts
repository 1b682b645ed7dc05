import type { OrgRow, OrgStore } from './org.store.js';
import { nowIso, type SqlDb, type SqlRunner } from './sql.js';

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

/** Sums of an org's credit ledger by kind, km². */
export interface CreditTotals {
  granted: number;
  held: number;
  captured: number;
  released: number;
}

export interface EgressRow {
  id: number;
  org_id: string;
  job_id: string;
  output_key: string;
  key_id: string | null;
  /** Bytes sent; while `reserved` is 1, the bytes about to be sent */
  bytes: number;
  range: string | null;
  user_agent: string | null;
  requester_ip: string | null;
  /** 1 while a response streams (its bytes counted as reserved), 0 once the bytes actually sent are recorded */
  reserved: number;
  created_at: string;
}

export type NewEgress = Omit<EgressRow, 'id' | 'created_at' | 'reserved'>;

/** The answer to an egress reservation: granted (with the ledger row to settle), or refused at the quota. */
export type EgressReservation = { ok: true; id: number } | { ok: false; usedBytes: number; limitBytes: number };

const CreditColumns = 'id, org_id, job_id, kind, amount_km2, note, created_at';
const EgressColumns = 'id, org_id, job_id, output_key, key_id, bytes, range, user_agent, requester_ip, reserved, created_at';

/**
 * Credit and egress ledgers. The credit balance is derived, never stored:
 * limit + grants − holds − captures + releases (a hold is followed by exactly one capture-or-release that
 * nets it out: capture converts a hold into a charge, so captures are recorded as 0-cost markers).
 * One hold and one settlement per job are unique indexes, not only checks.
 */
export class LedgerStore {
  constructor(private readonly db: SqlDb, private readonly orgs: OrgStore) {}

  /** Grant credits beyond the limit (admin). */
  async grant(orgId: string, amountKm2: number, note: string | null): Promise<void> {
    await this.db.run('INSERT INTO credit_ledger (org_id, job_id, kind, amount_km2, note, created_at) VALUES (?, NULL, ?, ?, ?, ?)', [orgId, 'grant', amountKm2, note, nowIso()]);
  }

  /** Credits granted beyond the limit, and credits spent or held, in km². */
  async creditTotals(orgId: string, q: SqlRunner = this.db): Promise<CreditTotals> {
    const rows = await q.all<{ kind: CreditKind; total: number }>('SELECT kind, sum(amount_km2) AS total FROM credit_ledger WHERE org_id = ? GROUP BY kind', [orgId]);
    const t = { granted: 0, held: 0, captured: 0, released: 0 };
    for (const r of rows) {
      if (r.kind === 'grant') t.granted = r.total;
      else if (r.kind === 'hold') t.held = r.total;
      else if (r.kind === 'capture') t.captured = r.total;
      else t.released = r.total;
    }
    return t;
  }

  /** Record a job's hold (inside the transaction that makes the job). */
  async hold(q: SqlRunner, orgId: string, jobId: string, amountKm2: number): Promise<void> {
    await q.run('INSERT INTO credit_ledger (org_id, job_id, kind, amount_km2, note, created_at) VALUES (?, ?, ?, ?, NULL, ?)', [orgId, jobId, 'hold', amountKm2, nowIso()]);
  }

  /**
   * Settle a job's hold once: capture on success, release on failure or delete. Call inside a
   * transaction that changed the job's row first: settlements of one job then run one at a time.
   */
  async settle(q: SqlRunner, orgId: string, jobId: string, outcome: 'capture' | 'release'): Promise<void> {
    const rows = await q.all<{ kind: CreditKind; total: number }>('SELECT kind, sum(amount_km2) AS total FROM credit_ledger WHERE job_id = ? GROUP BY kind', [jobId]);
    const held = rows.find((r) => r.kind === 'hold')?.total ?? 0;
    if (held === 0 || rows.some((r) => r.kind === 'capture' || r.kind === 'release')) return;
    await q.run(`INSERT INTO credit_ledger (org_id, job_id, kind, amount_km2, note, created_at) VALUES (?, ?, ?, ?, NULL, ?)
      ON CONFLICT (job_id) WHERE kind IN ('capture', 'release') DO NOTHING`, [orgId, jobId, outcome, held, nowIso()]);
  }

  credits(orgId: string): Promise<CreditRow[]> {
    return this.db.all<CreditRow>(`SELECT ${CreditColumns} FROM credit_ledger WHERE org_id = ? ORDER BY id`, [orgId]);
  }

  /**
   * Reserve egress before a response streams: granted while the org's recorded and reserved bytes are
   * below its quota (checked and recorded under the org's row lock, so nodes admit one at a time), which
   * bounds any overshoot by one response. Settle with `settleEgress` once the response ends.
   */
  reserveEgress(row: NewEgress): Promise<EgressReservation> {
    return this.db.tx(async (q) => {
      const org: OrgRow | undefined = await this.orgs.lock(q, row.org_id);
      if (org?.egress_limit_bytes != null) {
        const used = await this.egressTotal(row.org_id, q);
        if (used >= org.egress_limit_bytes) return { ok: false, usedBytes: used, limitBytes: org.egress_limit_bytes };
      }
      const got = await q.get<{ id: number }>(`INSERT INTO egress_ledger (org_id, job_id, output_key, key_id, bytes, range, user_agent, requester_ip, reserved, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?) RETURNING id`, [row.org_id, row.job_id, row.output_key, row.key_id, row.bytes, row.range, row.user_agent, row.requester_ip, nowIso()]);
      return { ok: true, id: got!.id };
    });
  }

  /** Replace a reservation by the bytes actually sent. */
  async settleEgress(id: number, bytes: number): Promise<void> {
    await this.db.run('UPDATE egress_ledger SET bytes = ?, reserved = 0 WHERE id = ?', [bytes, id]);
  }

  /** Bytes sent and reserved, of all time. */
  async egressTotal(orgId: string, q: SqlRunner = this.db): Promise<number> {
    return (await q.get<{ n: number }>('SELECT coalesce(sum(bytes), 0) AS n FROM egress_ledger WHERE org_id = ?', [orgId]))!.n;
  }

  egress(orgId: string): Promise<EgressRow[]> {
    return this.db.all<EgressRow>(`SELECT ${EgressColumns} FROM egress_ledger WHERE org_id = ? ORDER BY id`, [orgId]);
  }
}
