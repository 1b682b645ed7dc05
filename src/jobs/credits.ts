/**
 * Credits in km². Balance = limit + grants − holds + releases (a capture settles a hold as spent and
 * does not move the balance). An org without a limit is unlimited.
 */
import { AppError } from '../errors/app.error.js';
import type { Storage } from '../storage/storage.js';

export interface Balance {
  /** null = unlimited */
  limit_km2: number | null;
  granted_km2: number;
  held_km2: number;
  spent_km2: number;
  /** null = unlimited */
  available_km2: number | null;
}

export function balanceOf(storage: Storage, orgId: string): Balance {
  const org = storage.orgs.get(orgId);
  const t = storage.ledger.creditTotals(orgId);
  const outstanding = t.held - t.released - t.captured;
  const available = org?.credit_limit_km2 == null ? null : org.credit_limit_km2 + t.granted - t.held + t.released;
  return { limit_km2: org?.credit_limit_km2 ?? null, granted_km2: t.granted, held_km2: Math.max(0, outstanding), spent_km2: t.captured, available_km2: available };
}

/** Hold `cost` for a job (call inside the job-creating transaction); 402 when short. */
export function holdCredits(storage: Storage, orgId: string, jobId: string, cost: number): void {
  const b = balanceOf(storage, orgId);
  if (b.available_km2 !== null && cost > b.available_km2 + 1e-9) {
    throw new AppError('insufficient_credits', `This clip costs ${cost.toFixed(4)} km² but the organization has ${b.available_km2.toFixed(4)} km² available`, {
      extra: { cost_km2: round(cost), balance_km2: round(b.available_km2) },
    });
  }
  storage.ledger.addCredit({ org_id: orgId, job_id: jobId, kind: 'hold', amount_km2: cost });
}

/** Settle a job's hold once: capture on success, release on failure or delete. */
export function settleCredits(storage: Storage, orgId: string, jobId: string, outcome: 'capture' | 'release'): void {
  const { held, settled } = storage.ledger.jobHold(jobId);
  if (settled || held === 0) return;
  storage.ledger.addCredit({ org_id: orgId, job_id: jobId, kind: outcome, amount_km2: held });
}

function round(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}
