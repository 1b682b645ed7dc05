/**
 * STAC routes (`application/geo+json`):
 * - `GET /v1/stac/jobs/{job_id}`: a completed job's Item (Bearer `clip:read`, or `?token=` from the job's `stac_url`);
 * - `GET /v1/stac/jobs/{job_id}/{output}/thumbnail.png`: an output's thumbnail (the same access);
 * - `GET /v1/stac/jobs?limit=&offset=&ids=`: the org's completed jobs as an ItemCollection (Bearer `clip:read`).
 */
import { Router } from '@koa/router';
import type { Context } from 'koa';
import type { Services } from '../services.js';
import type { StacService } from '../stac/stac.service.js';
import { GeoJsonType } from '../stac/stac.item.js';
import { authenticateRequest, linkAccess } from './op.routes.js';
import { baseUrlOf } from './request.facts.js';

function intOf(text: unknown, fallback: number): number {
  const n = typeof text === 'string' && /^\d{1,9}$/.test(text) ? Number(text) : NaN;
  return Number.isInteger(n) ? n : fallback;
}

export function stacRouter(stac: StacService) {
  return (services: Services): Router => {
    const router = new Router();
    const access = (ctx: Context) => linkAccess(ctx, services);
    const geojson = (ctx: Context, body: unknown): void => {
      ctx.status = 200;
      ctx.type = GeoJsonType;
      ctx.set('Cache-Control', 'private, no-store');
      ctx.body = JSON.stringify(body);
    };
    router.get('/v1/stac/jobs', async (ctx) => {
      const principal = await authenticateRequest(ctx, services);
      ctx.state.principal = principal;
      const ids = typeof ctx.query.ids === 'string' && ctx.query.ids ? ctx.query.ids.split(',').filter(Boolean) : undefined;
      geojson(ctx, await stac.collection(principal, { limit: intOf(ctx.query.limit, 50), offset: intOf(ctx.query.offset, 0), ...(ids ? { ids } : {}) }, baseUrlOf(ctx, services.config)));
    });
    router.get('/v1/stac/jobs/:job', async (ctx) => {
      geojson(ctx, await stac.item(access(ctx), ctx.params.job ?? '', baseUrlOf(ctx, services.config)));
    });
    router.get('/v1/stac/jobs/:job/:output/thumbnail.png', async (ctx) => {
      const png = await stac.thumbnail(access(ctx), ctx.params.job ?? '', ctx.params.output ?? '');
      ctx.status = 200;
      ctx.type = 'image/png';
      ctx.set('Cache-Control', 'private, max-age=3600');
      ctx.body = png;
    });
    return router;
  };
}
