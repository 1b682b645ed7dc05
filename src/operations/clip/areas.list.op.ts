import { defineOperation } from '../op.types.js';
import { EmptyInput } from '../op.schemas.js';

/** `clip.areas.list`: one record per area. */
export const AreasList = defineOperation({
  id: 'clip.areas.list',
  summary: 'List delivery-bucket clip areas.',
  scope: 'clip:read',
  sideEffect: 'read',
  input: EmptyInput,
  response: 'list',
  handler: async (_input, ctx) => ({ kind: 'list', items: await ctx.services.catalog.listAreas() }),
});
