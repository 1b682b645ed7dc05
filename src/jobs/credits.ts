/**
 * Credits in km². Balance = limit + grants − holds + releases (a capture settles a hold as spent and
 * does not move the balance). An org without a limit is unlimited. The ledger itself (holds made with
 * the job, one settlement per job) is the storage's; the rule of what a balance allows is here.
 */
import { AppError } from '../errors/app.error.js';
import type { CreditTotals } from '../storage/ledger.store.js';
import type { OrgRow } from '../storage/org.store.js';
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

/** The balance of an org from its row and its ledger totals. */
export function balanceFrom(org: OrgRow | undefined, t: CreditTotals): Balance {
  const outstanding = t.held - t.released - t.captured;
  const available = org?.credit_limit_km2 == null ? null : org.credit_limit_km2 + t.granted - t.held + t.released;
  return { limit_km2: org?.credit_limit_km2 ?? null, granted_km2: t.granted, held_km2: Math.max(0, outstanding), spent_km2: t.captured, available_km2: available };
}

export async function balanceOf(storage: Storage, orgId: string): Promise<Balance> {
  const [org, totals] = await Promise.all([storage.orgs.get(orgId), storage.ledger.creditTotals(orgId)]);
  return balanceFrom(org, totals);
}

/**
 * The rule a hold of `cost` km² must pass, for the storage to apply under the org's lock in the
 * transaction that makes the job: 402 `insufficient_credits` when short.
 */
export function holdRule(cost: number): (org: OrgRow | undefined, totals: CreditTotals) => void {
  return (org, totals) => {
    const b = balanceFrom(org, totals);
    if (b.available_km2 !== null && cost > b.available_km2 + 1e-9) {
      throw new AppError('insufficient_credits', `This clip costs ${cost.toFixed(4)} km² but the organization has ${b.available_km2.toFixed(4)} km² available`, {
        extra: { cost_km2: round(cost), balance_km2: round(b.available_km2) },
      });
    }
  };
}

function round(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}
