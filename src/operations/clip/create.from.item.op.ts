import { defineOperation } from '../op.types.js';
import { CreateFromItemFields, CreateFromItemInput } from '../op.schemas.js';
import { parseInput } from '../input.parse.js';

/** `clip.create_from_item`: create and queue a clip job over a STAC Item's COG assets. */
export const CreateFromItem = defineOperation({
  id: 'clip.create_from_item',
  summary: 'Invoke Clip Create From Item',
  scope: 'processing:process',
  sideEffect: 'spend',
  input: CreateFromItemInput,
  response: 'job',
  handler: async (body, ctx) => {
    const input = parseInput(CreateFromItemFields, body);
    return { kind: 'object', body: await ctx.services.jobs.createFromItem(ctx.principal, input, ctx.idempotency) };
  },
});
