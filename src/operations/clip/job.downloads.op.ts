import { defineOperation } from '../op.types.js';
import { JobInput } from '../op.schemas.js';

/** `clip.job.downloads`: one download descriptor per output, with a short-lived signed link. */
export const JobDownloads = defineOperation({
  id: 'clip.job.downloads',
  summary: 'List downloadable clip files for a job.',
  scope: 'clip:read',
  sideEffect: 'read',
  input: JobInput,
  response: 'list',
  handler: async ({ job_id }, ctx) => ({ kind: 'list', items: await ctx.services.downloads.descriptors(ctx.principal, job_id, ctx.request) }),
});
