/**
 * Tile GET routes (map clients fetch tiles with GET and, through the signed `token`, no headers):
 *
 * - `GET /v1/tiles/jobs/{job_id}/{mosaic_type}/{z}/{x}/{y}[@2x].{png|webp|jpg}` — a completed clip's output;
 * - `GET /v1/tiles/areas/{area}/{mosaic_type}/{z}/{x}/{y}[@2x].{png|webp|jpg}` — an area mosaic;
 * - `GET /v1/tiles/areas/{area}/{mosaic_type}/tilejson.json` — TileJSON of an area mosaic whose
 *   templates carry a signed token (Bearer `clip:read`; the way to mint an area tile token).
 *
 * Auth: `?token=` (from tile_info or the area TileJSON), else `Authorization: Bearer` / `X-API-Key`
 * with `clip:read` (CORS preflights for those headers are answered). Query overrides: `bidx`,
 * `rescale`, `resampling`. Tile GETs are not rate limited (only failed credentials count, per address: src/http/auth.guard.ts).
 */
import { Router } from '@koa/router';
import type { Context } from 'koa';
import { authenticateRequest, linkAccess } from '../http/op.routes.js';
import { baseUrlOf } from '../http/request.facts.js';
import { sendJson } from '../http/respond.js';
import type { Services } from '../services.js';
import type { TileAnswer, TileRenderer } from './tile.service.js';
import { parseOverrides, parseTileAddress, type TileRequest } from './tile.request.js';

const JobTilePath = '/v1/tiles/jobs/:job/:mosaic/:z/:x/:tile';
const AreaTileJsonPath = '/v1/tiles/areas/:area/:mosaic/tilejson.json';
const AreaTilePath = '/v1/tiles/areas/:area/:mosaic/:z/:x/:tile';

function tileRequest(ctx: Context): TileRequest {
  const p = ctx.params as Record<string, string>;
  return { ...parseTileAddress(p.z ?? '', p.x ?? '', p.tile ?? ''), overrides: parseOverrides(ctx.query) };
}

function send(ctx: Context, a: TileAnswer): void {
  ctx.set('Cache-Control', a.cacheControl);
  if (a.etag) ctx.set('ETag', a.etag);
  if (a.timing) ctx.set('Server-Timing', a.timing);
  ctx.status = a.status;
  if (a.status === 200 && a.body) {
    ctx.type = a.mediaType ?? 'application/octet-stream';
    ctx.body = a.body;
  } else {
    ctx.body = null;
  }
}

export function tileRouter(tiles: TileRenderer) {
  return (services: Services): Router => {
    const router = new Router();
    const access = (ctx: Context) => linkAccess(ctx, services);
    // Browsers' map libraries fetch tiles cross-origin; the token (never a cookie) is the credential.
    router.use('/v1/tiles', async (ctx, next) => {
      ctx.set('Access-Control-Allow-Origin', '*');
      ctx.set('Access-Control-Expose-Headers', 'ETag, X-Request-Id, Server-Timing');
      // Lets a map page's Resource Timing entries carry the Server-Timing stages (browsers' devtools show them).
      ctx.set('Timing-Allow-Origin', '*');
      await next();
    });
    // A map library sending Bearer or X-API-Key (instead of the token) from another origin asks first.
    router.options([JobTilePath, AreaTileJsonPath, AreaTilePath], (ctx) => {
      ctx.set('Access-Control-Allow-Methods', 'GET, HEAD, OPTIONS');
      ctx.set('Access-Control-Allow-Headers', 'Authorization, X-API-Key, If-None-Match');
      ctx.set('Access-Control-Max-Age', '86400');
      ctx.status = 204;
    });
    router.get(JobTilePath, async (ctx) => {
      const p = ctx.params as Record<string, string>;
      const req = tileRequest(ctx);
      send(ctx, await tiles.jobTile(access(ctx), p.job ?? '', p.mosaic ?? '', req, ctx.get('if-none-match') || undefined));
    });
    router.get(AreaTileJsonPath, async (ctx) => {
      const p = ctx.params as Record<string, string>;
      const principal = await authenticateRequest(ctx, services);
      ctx.state.principal = principal;
      sendJson(ctx, 200, await tiles.areaTileJson(principal, p.area ?? '', p.mosaic ?? '', baseUrlOf(ctx, services.config)));
    });
    router.get(AreaTilePath, async (ctx) => {
      const p = ctx.params as Record<string, string>;
      const req = tileRequest(ctx);
      send(ctx, await tiles.areaTile(access(ctx), p.area ?? '', p.mosaic ?? '', req, ctx.get('if-none-match') || undefined));
    });
    return router;
  };
}
