import { defineOperation } from '../op.types.js';
import { TileInfoInput } from '../op.schemas.js';

/** `clip.job.tile_info`: TileJSON 3.0.0 per output with signed tile URL templates. */
export const JobTileInfo = defineOperation({
  id: 'clip.job.tile_info',
  summary: 'Tile rendering params for a completed clip job.',
  scope: 'clip:read',
  sideEffect: 'read',
  input: TileInfoInput,
  response: 'object',
  handler: async (input, ctx) => ({ kind: 'object', body: await ctx.services.tiles.tileInfo(ctx.principal, input, ctx.request) }),
});
