import { defineOperation } from '../op.types.js';
import { AreaInput } from '../op.schemas.js';

/** `clip.area.metadata`: capture-date footprints, one GeoJSON Feature per record, sorted by date. */
export const AreaMetadata = defineOperation({
  id: 'clip.area.metadata',
  summary: 'Capture-date metadata for a clip area.',
  scope: 'clip:read',
  sideEffect: 'read',
  input: AreaInput,
  response: 'list',
  handler: async ({ area }, ctx) => ({
    kind: 'list',
    items: await ctx.services.catalog.captureDates(area),
    envelope: (features) => ({ type: 'FeatureCollection', features }),
  }),
});
