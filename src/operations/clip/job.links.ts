/** Links a job resource carries for its caller: the signed `stac_url` of a completed job whose files are kept. */
import type { OpContext } from '../op.types.js';

/** The job with `stac_url` (a signed GET of its STAC Item, valid as long as download links) when it is completed and unexpired. */
export function withStacUrl(job: Record<string, unknown>, ctx: OpContext): Record<string, unknown> {
  if (job.status !== 'completed' || job.expired_at) return job;
  return { ...job, stac_url: ctx.services.stac.stacUrl(ctx.principal, job.id as string, ctx.request.baseUrl) };
}
