/** Objects of another org answer exactly as missing ones (404), never 403. */
import type { Principal } from '../auth/principal.js';
import { AppError } from '../errors/app.error.js';

/** Check a body's `organization_id` against the caller's org. */
export function requireOwnOrg(principal: Principal, organizationId: string | null | undefined): string {
  if (organizationId && organizationId !== principal.orgId) {
    throw new AppError('organization_not_found', `Organization "${organizationId}" does not exist`);
  }
  return principal.orgId;
}
