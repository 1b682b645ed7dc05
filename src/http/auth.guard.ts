/**
 * The brute-force guard. Every 401 answered to a client address counts against it (`GEOPERA_RATE_ANON`
 * a minute, fixed one-minute windows); past that, every request from the address to a route that takes
 * a credential answers 429 `too_many_auth_failures` with `Retry-After` *before* its credential is looked
 * at, so a right guess cannot be told from a wrong one until the window ends. An expired token
 * (`token_expired`) is a real credential grown old, not a guess, and does not count (a map left open
 * overnight must not lock its owner out). Public routes (health, OpenAPI, the operation list, CORS
 * preflights, the console) are never refused.
 */
import type { Context, Middleware } from 'koa';
import type { RateLimiter } from '../auth/rate.limit.js';
import type { Config } from '../config.js';
import { AppError } from '../errors/app.error.js';
import { asAppError } from '../errors/as.app.error.js';
import { clientIp } from './request.facts.js';

/** Codes of answers that count as a failed credential. */
const FailureCodes: ReadonlySet<string> = new Set(['unauthorized', 'invalid_credentials', 'invalid_signature']);

/** Routes that take a credential: the API under /v1 and the session endpoints, but not the public documents; /metrics when it has a token. */
function takesCredential(ctx: Context, config: Config): boolean {
  if (ctx.method === 'OPTIONS') return false;
  if (ctx.path === '/metrics') return config.metricsToken !== undefined;
  if (ctx.method === 'GET' && (ctx.path === '/v1/op' || ctx.path === '/v1/openapi.json')) return false;
  return ctx.path.startsWith('/v1/') || ctx.path.startsWith('/realms/');
}

/** Koa middleware: refuse addresses past their failure budget, count the 401s answered to the others. */
export function authFailureGuard(config: Config, limiter: RateLimiter): Middleware {
  const limit = config.rateLimits.anonPerIp;
  return async (ctx, next) => {
    if (limit <= 0 || !takesCredential(ctx, config)) {
      await next();
      return;
    }
    const bucket = `authfail:${clientIp(ctx, config)}`;
    const wait = await limiter.wait(bucket, limit);
    if (wait > 0) {
      throw new AppError('too_many_auth_failures', `Too many failed credentials from this address; retry in ${wait} s`, { headers: { 'Retry-After': String(wait) } });
    }
    try {
      await next();
    } catch (err) {
      if (FailureCodes.has(asAppError(err).code)) await limiter.take(bucket, limit);
      throw err;
    }
  };
}
