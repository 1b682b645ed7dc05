/**
 * `createApp(services)`: the whole HTTP stack as a Koa app (tests drive it through `app.callback()`).
 */
import { randomUUID } from 'node:crypto';
import Koa from 'koa';
import { Router } from '@koa/router';
import { RateLimiter } from '../auth/rate.limit.js';
import { AppError } from '../errors/app.error.js';
import { pathHider } from '../errors/path.hide.js';
import { buildOpenApi } from '../operations/openapi.build.js';
import type { Services } from '../services.js';
import { authFailureGuard } from './auth.guard.js';
import { discardBody } from './body.read.js';
import { metricsRouter, routeLabel } from './metrics.routes.js';
import { oidcRouter } from './oidc.routes.js';
import { operationRouter } from './op.routes.js';
import { toProblem } from './problem.js';
import { baseUrlOf } from './request.facts.js';
import { sendJson } from './respond.js';

/** Extra routers later layers mount (files, tiles). */
export type RouterFactory = (services: Services) => Router;

export function createApp(services: Services, extraRouters: RouterFactory[] = []): Koa {
  const app = new Koa();
  app.proxy = services.config.trustProxy;
  // Errors Koa sees after the answer started (a client hanging up mid-download) go to the structured log,
  // not to stderr as stack traces.
  app.silent = true;
  app.on('error', (err: NodeJS.ErrnoException) => {
    const hangUp = err.code === 'ECONNRESET' || err.code === 'EPIPE' || err.code === 'ERR_STREAM_PREMATURE_CLOSE';
    services.log[hangUp ? 'debug' : 'error']({ err: { code: err.code, message: err.message } }, hangUp ? 'Response:ClientGone' : 'Response:Failed');
  });
  const limiter = new RateLimiter(services.storage.rates);
  const hidePaths = pathHider(services.config.dataDir);

  // Request id + structured access log + errors as problem details.
  app.use(async (ctx, next) => {
    const incoming = ctx.get('x-request-id');
    const requestId = /^[\w.-]{1,64}$/.test(incoming) ? incoming : randomUUID();
    const log = services.log.child({ requestId });
    ctx.state.requestId = requestId;
    ctx.state.log = log;
    ctx.set('X-Request-Id', requestId);
    ctx.set('X-Content-Type-Options', 'nosniff');
    const started = performance.now();
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        const code = ctx.method === 'POST' && ctx.path.startsWith('/v1/') ? 'unknown_operation' : 'not_found';
        throw new AppError(code, code === 'unknown_operation' ? `No operation at ${ctx.path}; GET /v1/op lists them` : `Nothing at ${ctx.method} ${ctx.path}`);
      }
    } catch (err) {
      const { problem, headers } = toProblem(err, requestId, hidePaths);
      if (problem.status >= 500) log.error({ err, path: ctx.path }, 'Request:Failed');
      // A client that writes its whole body before reading (urllib, httpx) must be able to read this answer.
      if (!(await discardBody(ctx.req))) headers.Connection = 'close';
      ctx.set(headers);
      ctx.status = problem.status;
      ctx.type = 'application/problem+json';
      ctx.body = JSON.stringify(problem);
    }
    const principal = ctx.state.principal as { keyId?: string; orgId?: string } | undefined;
    const ms = performance.now() - started;
    services.metrics.request(routeLabel(ctx), ctx.method, ctx.status, ms / 1000);
    log.info({ method: ctx.method, path: ctx.path, status: ctx.status, durationMs: Math.round(ms), keyId: principal?.keyId, orgId: principal?.orgId }, 'Request:Done');
  });

  // An API call waits for its answer: clips keep fewer tiles in flight meanwhile. Map tiles are not counted
  // (their renders have their own threads, and a map that keeps asking would hold the clips back throughout).
  const interactive = services.interactive;
  if (interactive) app.use((ctx, next) => (ctx.path.startsWith('/v1/op') ? interactive.during(next) : next()));

  app.use(authFailureGuard(services.config, limiter));

  const meta = new Router();
  meta.get(['/openapi.json', '/v1/openapi.json'], (ctx) => sendJson(ctx, 200, buildOpenApi(baseUrlOf(ctx, services.config))));
  meta.get('/healthz', async (ctx) => {
    const [db, pool, files, disk] = await Promise.all([services.storage.ping().catch(() => false), services.poolHealthy().catch(() => false), services.filesHealthy(), services.disk.state()]);
    const ok = db && pool && files;
    const mb = (b: number | null): number | null => (b === null ? null : Math.floor(b / (1024 * 1024)));
    sendJson(ctx, ok ? 200 : 503, {
      status: ok ? (disk.low ? 'degraded' : 'ok') : 'unavailable', database: db, workers: pool, files,
      // Below the floor the node still serves reads; creates answer 507 until space is freed.
      disk: { free_mb: mb(disk.freeBytes), min_free_mb: mb(disk.minFreeBytes), low: disk.low },
    });
  });

  for (const router of [meta, metricsRouter(services), oidcRouter(services), operationRouter(services, limiter), ...extraRouters.map((f) => f(services))]) {
    app.use(router.routes());
    app.use(router.allowedMethods({ throw: true }));
  }
  return app;
}
