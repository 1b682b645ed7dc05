/**
 * The one place tests read the credit and egress ledgers, job rows, outputs and idempotency records
 * directly (and grant credits as the admin CLI does), for invariant checks. Reads of one org happen in
 * one transaction, so a job finishing meanwhile cannot tear them.
 */
import { balanceOf, type Balance } from '../../src/jobs/credits.js';
import type { CreditRow, EgressRow } from '../../src/storage/ledger.store.js';
import type { JobRow, OutputRow } from '../../src/storage/job.store.js';
import type { Storage } from '../../src/storage/storage.js';

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

/** Read an org's ledgers, the jobs they name and those jobs' outputs, in one transaction. */
export function readOrg(storage: Storage, orgId: string): OrgView {
  return storage.transaction(() => {
    const credits = storage.ledger.credits(orgId);
    const jobs = new Map<string, JobRow>();
    const outputs = new Map<string, OutputRow[]>();
    for (const c of credits) {
      if (!c.job_id || jobs.has(c.job_id)) continue;
      const row = storage.jobs.get(c.job_id);
      if (!row) continue;
      jobs.set(row.id, row);
      if (row.status === 'completed') outputs.set(row.id, storage.jobs.outputs(row.id));
    }
    return {
      orgId, limitKm2: storage.orgs.get(orgId)?.credit_limit_km2 ?? null, balance: balanceOf(storage, orgId), credits,
      egress: storage.ledger.egress(orgId), jobs, liveJobs: storage.jobs.list(orgId, { limit: 1, offset: 0 }).total, outputs,
    };
  });
}

/** A job row by id (deleted ones included). */
export function readJob(storage: Storage, jobId: string): JobRow | undefined {
  return storage.jobs.get(jobId);
}

/** The stored answer of an Idempotency-Key (null when none is stored or it is still in flight). */
export function idempotentAnswer(storage: Storage, orgId: string, key: string): string | null {
  const row = storage.idempotency.get(orgId, key);
  return row?.state === 'done' && row.body ? row.body.toString('utf8') : null;
}

/** Grant credits to an org, as `geopera admin org credits <org> --add N` does. */
export function grantCredits(storage: Storage, orgId: string, km2: number): void {
  storage.ledger.addCredit({ org_id: orgId, kind: 'grant', amount_km2: km2, note: 'test grant' });
}
