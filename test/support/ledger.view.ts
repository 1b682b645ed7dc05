/**
 * The one place tests read the credit and egress ledgers, job rows, outputs and idempotency records
 * directly (and grant credits as the admin CLI does), for invariant checks. Reads of one org happen in
 * one transaction, so a job finishing meanwhile cannot tear them.
 */
import { balanceFrom, type Balance } from '../../src/jobs/credits.js';
import type { CreditRow, EgressRow } from '../../src/storage/ledger.store.js';
import type { OrgRow } from '../../src/storage/org.store.js';
import type { JobRow, OutputRow } from '../../src/storage/job.store.js';
import type { Storage } from '../../src/storage/storage.js';
import { sqlOf } from './backend.js';

/** An org's ledgers and jobs as one consistent picture. */
export interface OrgView {
  orgId: string;
  /** null = unlimited */
  limitKm2: number | null;
  balance: Balance;
  credits: CreditRow[];
  egress: EgressRow[];
  /** Every job a credit row names (deleted ones included), by id */
  jobs: Map<string, JobRow>;
  /** Live (not deleted) jobs, as `clip.jobs.list` counts them */
  liveJobs: number;
  /** Outputs of each completed job */
  outputs: Map<string, OutputRow[]>;
}

/** Read an org's ledgers, the jobs they name and those jobs' outputs, in one transaction (a job finishing meanwhile cannot tear them). */
export async function readOrg(storage: Storage, orgId: string): Promise<OrgView> {
  return sqlOf(storage).tx(async (q) => {
    const credits = await q.all<CreditRow>('SELECT id, org_id, job_id, kind, amount_km2, note, created_at FROM credit_ledger WHERE org_id = ? ORDER BY id', [orgId]);
    const jobs = new Map<string, JobRow>();
    const outputs = new Map<string, OutputRow[]>();
    for (const c of credits) {
      if (!c.job_id || jobs.has(c.job_id)) continue;
      const row = await storage.jobs.get(c.job_id, q);
      if (!row) continue;
      jobs.set(row.id, row);
      if (row.status === 'completed') outputs.set(row.id, await q.all<OutputRow>('SELECT job_id, output_key, file_name, rel_path, size_bytes, sha256, media_type, info, created_at FROM job_outputs WHERE job_id = ?', [row.id]));
    }
    const org = await q.get<OrgRow>('SELECT * FROM organizations WHERE id = ?', [orgId]);
    const egress = await q.all<EgressRow>('SELECT * FROM egress_ledger WHERE org_id = ? ORDER BY id', [orgId]);
    const live = (await q.get<{ n: number }>('SELECT count(*) AS n FROM jobs WHERE org_id = ? AND deleted_at IS NULL', [orgId]))!.n;
    return {
      orgId, limitKm2: org?.credit_limit_km2 ?? null, balance: balanceFrom(org, await storage.ledger.creditTotals(orgId, q)), credits,
      egress, jobs, liveJobs: Number(live), outputs,
    };
  });
}

/** A job row by id (deleted ones included). */
export function readJob(storage: Storage, jobId: string): Promise<JobRow | undefined> {
  return storage.jobs.get(jobId);
}

/** The stored answer of an Idempotency-Key (null when none is stored or it is still in flight). */
export async function idempotentAnswer(storage: Storage, orgId: string, key: string): Promise<string | null> {
  const row = await storage.idempotency.get(orgId, key);
  return row?.state === 'done' && row.body ? row.body.toString('utf8') : null;
}

/** Grant credits to an org, as `geopera admin org credits <org> --add N` does. */
export function grantCredits(storage: Storage, orgId: string, km2: number): Promise<void> {
  return storage.ledger.grant(orgId, km2, 'test grant');
}
