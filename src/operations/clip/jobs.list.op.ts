import { defineOperation } from '../op.types.js';
import { JobsListInput } from '../op.schemas.js';
import { withStacUrl } from './job.links.js';

/** `clip.jobs.list`: newest first; JSON answers `{items, limit, offset, total}`. */
export const JobsList = defineOperation({
  id: 'clip.jobs.list',
  summary: 'List clip jobs for an organization.',
  scope: 'clip:read',
  sideEffect: 'read',
  input: JobsListInput,
  response: 'list',
  handler: async (input, ctx) => {
    const page = await ctx.services.jobs.list(ctx.principal, input);
    return { kind: 'list', items: page.items.map((j) => withStacUrl(j, ctx)), envelope: (items) => ({ items, limit: input.limit, offset: input.offset, total: page.total }) };
  },
});
