import { defineOperation } from '../op.types.js';
import { AreaInput } from '../op.schemas.js';

/** `clip.area.mosaics`: one record per mosaic type of an area. */
export const AreaMosaics = defineOperation({
  id: 'clip.area.mosaics',
  summary: 'List mosaic types for a clip area.',
  scope: 'clip:read',
  sideEffect: 'read',
  input: AreaInput,
  response: 'list',
  handler: async ({ area }, ctx) => ({ kind: 'list', items: await ctx.services.catalog.mosaics(area) }),
});
