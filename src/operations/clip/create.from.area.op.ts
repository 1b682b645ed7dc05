import { defineOperation } from '../op.types.js';
import { CreateFromAreaInput } from '../op.schemas.js';

/** `clip.create_from_area`: create and queue a clip job over an area's mosaics. */
export const CreateFromArea = defineOperation({
  id: 'clip.create_from_area',
  summary: 'Create + dispatch an area-bucket COG clip job.',
  scope: 'clip:write',
  sideEffect: 'spend',
  input: CreateFromAreaInput,
  response: 'job',
  handler: async (input, ctx) => ({ kind: 'object', body: await ctx.services.jobs.createFromArea(ctx.principal, input, ctx.idempotency) }),
});
