/**
 * `GET /metrics`: this node's metrics in the Prometheus text format. Readable by anyone who can reach the
 * port, like `/healthz`, unless `GEOPERA_METRICS_TOKEN` is set: then only with `Authorization: Bearer
 * <token>` (what Prometheus sends with `authorization: {credentials: …}`); a wrong token is a failed
 * credential like any other (401, counted by the brute-force guard). The metrics hold counts and times,
 * never an org, key or path.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { Router } from '@koa/router';
import type { Context } from 'koa';
import { AppError } from '../errors/app.error.js';
import type { Services } from '../services.js';

export const MetricsPath = '/metrics';

/** Whether `Authorization` carries the metrics token (compared in constant time). */
function tokenMatches(header: string, token: string): boolean {
  const m = /^Bearer\s+(\S+)$/i.exec(header.trim());
  if (!m) return false;
  const digest = (s: string): Buffer => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(m[1]!), digest(token));
}

/** The route label of a request for metrics: its operation, else its route template, else `unmatched` (scanners' paths stay out). */
export function routeLabel(ctx: Context): string {
  const op = ctx.state.operation as string | undefined;
  if (op) return op;
  const matched = (ctx as Context & { _matchedRoute?: string | RegExp })._matchedRoute;
  return typeof matched === 'string' ? matched : 'unmatched';
}

export function metricsRouter(services: Services): Router {
  const router = new Router();
  router.get(MetricsPath, async (ctx) => {
    const token = services.config.metricsToken;
    if (token && !tokenMatches(ctx.get('authorization'), token)) {
      throw new AppError('unauthorized', 'GET /metrics needs Authorization: Bearer <GEOPERA_METRICS_TOKEN>');
    }
    const text = await services.metrics.scrape();
    ctx.set('Cache-Control', 'no-store');
    ctx.type = services.metrics.contentType;
    ctx.body = text;
  });
  return router;
}
