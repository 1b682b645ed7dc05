import { defineOperation } from '../op.types.js';
import { JobInput } from '../op.schemas.js';
import { withStacUrl } from './job.links.js';

/** `clip.job.get` */
export const JobGet = defineOperation({
  id: 'clip.job.get',
  summary: 'Get a single clip job by id.',
  scope: 'clip:read',
  sideEffect: 'read',
  input: JobInput,
  response: 'object',
  handler: async ({ job_id }, ctx) => ({ kind: 'object', body: withStacUrl(await ctx.services.jobs.get(ctx.principal, job_id), ctx) }),
});
