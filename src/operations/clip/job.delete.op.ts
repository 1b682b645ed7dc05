import { defineOperation } from '../op.types.js';
import { JobDeleteInput } from '../op.schemas.js';

/** `clip.job.delete`: cancel if unfinished, remove files, release an unspent hold. */
export const JobDelete = defineOperation({
  id: 'clip.job.delete',
  summary: 'Delete a clip job and its GCS files.',
  scope: 'clip:destroy',
  sideEffect: 'destructive',
  input: JobDeleteInput,
  response: 'object',
  handler: async ({ job_id }, ctx) => ({ kind: 'object', body: await ctx.services.jobs.delete(ctx.principal, job_id) }),
});
