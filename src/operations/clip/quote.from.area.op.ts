import { defineOperation } from '../op.types.js';
import { CreateFromAreaInput } from '../op.schemas.js';

/**
 * `clip.quote_from_area` (geopera extension): the credits `clip.create_from_area` with the same body
 * would hold (priced by the same code), the org's balance and the AOI limits; writes nothing.
 */
export const QuoteFromArea = defineOperation({
  id: 'clip.quote_from_area',
  summary: 'Quote an area clip: the credits create_from_area would hold and the balance (geopera extension; writes nothing).',
  scope: 'clip:read',
  sideEffect: 'read',
  extension: true,
  input: CreateFromAreaInput,
  response: 'object',
  handler: async (input, ctx) => ({ kind: 'object', body: await ctx.services.jobs.quoteFromArea(ctx.principal, input) }),
});
