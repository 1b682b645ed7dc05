import { defineOperation } from '../op.types.js';
import { DownloadInput } from '../op.schemas.js';

/** `clip.job.download`: the file's bytes (Range-capable), or with `Accept: application/json` a signed-link descriptor. */
export const JobDownload = defineOperation({
  id: 'clip.job.download',
  summary: 'Stream a clip file from GCS (egress-enforced).',
  scope: 'clip:read',
  sideEffect: 'read',
  input: DownloadInput,
  response: 'file',
  handler: async (input, ctx) => {
    if (ctx.request.wantsJson) return { kind: 'object', body: await ctx.services.downloads.descriptor(ctx.principal, input.job_id, input.mosaic_type, ctx.request) };
    return { kind: 'file', file: await ctx.services.downloads.open(ctx.principal, input, ctx.request) };
  },
});
