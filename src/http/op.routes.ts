/**
 * Routes derived from the registry: `POST /v1/op/<id>` and `POST /v1/<id with dots as slashes>` for
 * every operation, then authenticate → rate-limit → scope → parse → (idempotency) → handle → respond.
 */
import { Router } from '@koa/router';
import type { Context } from 'koa';
import { authenticate, credentialOf, requireScope } from '../auth/authenticate.js';
import type { LinkAccess, Principal } from '../auth/principal.js';
import type { RateLimiter } from '../auth/rate.limit.js';
import { AppError } from '../errors/app.error.js';
import { parseInput } from '../operations/input.parse.js';
import type { IdempotentAnswer, OpContext, OperationDef } from '../operations/op.types.js';
import { IdempotencyLost } from '../storage/idempotency.store.js';
import { findOperation, OperationList, resourcePath } from '../operations/registry.js';
import type { Services } from '../services.js';
import { readJsonBody } from './body.read.js';
import { beginIdempotent, inFlight } from './idempotency.js';
import { requestFacts } from './request.facts.js';
import { sendJson, sendResult } from './respond.js';

/** Authenticate a request (failed credentials are counted per address by the brute-force guard, auth.guard.ts). */
export function authenticateRequest(ctx: Context, services: Services): Promise<Principal> {
  const credential = credentialOf({ authorization: ctx.get('authorization') || undefined, 'x-api-key': ctx.get('x-api-key') || undefined });
  return authenticate(services.storage, credential);
}

/** A link's access: its `?token=` when it carries one, else the caller's headers (read lazily; the principal is kept on `ctx.state`). */
export function linkAccess(ctx: Context, services: Services): LinkAccess {
  const token = ctx.query.token;
  if (typeof token === 'string' && token !== '') return { token };
  return { principal: async () => (ctx.state.principal = await authenticateRequest(ctx, services)) };
}

async function rateLimit(principal: Principal, op: OperationDef, services: Services, limiter: RateLimiter): Promise<void> {
  const { rateLimits } = services.config;
  const checks: [string, number][] = [[`org:${principal.orgId}`, rateLimits.perOrg]];
  if (op.sideEffect === 'spend') checks.push([`spend:${principal.orgId}`, rateLimits.spendPerOrg]);
  for (const [bucket, limit] of checks) {
    const wait = await limiter.take(bucket, limit);
    if (wait > 0) throw new AppError('rate_limited', `Rate limit of ${limit} calls a minute reached; retry in ${wait} s`, { headers: { 'Retry-After': String(wait) } });
  }
}

/** Run one operation for a request. */
export async function runOperation(ctx: Context, op: OperationDef, services: Services, limiter: RateLimiter): Promise<void> {
  const requestId = ctx.state.requestId as string;
  ctx.state.operation = op.id;
  const principal = await authenticateRequest(ctx, services);
  ctx.state.principal = principal;
  await rateLimit(principal, op, services, limiter);
  requireScope(principal, op.scope);
  const body = await readJsonBody(ctx.req, services.config.maxBodyBytes);
  const input = parseInput(op.input, body);
  const opCtx: OpContext = { principal, services, request: requestFacts(ctx, services.config, requestId), log: ctx.state.log as OpContext['log'] };

  const idemKey = op.sideEffect === 'spend' ? ctx.get('idempotency-key') : '';
  if (!idemKey) {
    await sendResult(ctx, await op.handler(input, opCtx), requestId);
    return;
  }
  const idem = await beginIdempotent(services.storage, principal.orgId, idemKey, op.id, body);
  if (idem.kind === 'replay') {
    replay(ctx, idem);
    return;
  }
  const answer: IdempotentAnswer = { reservation: idem.reservation, stored: false };
  opCtx.idempotency = answer;
  try {
    const result = await op.handler(input, opCtx);
    const text = await sendResult(ctx, result, requestId);
    if (!answer.stored) await services.storage.idempotency.complete(idem.reservation, 200, 'application/json', Buffer.from(text ?? ''));
  } catch (err) {
    if (!answer.stored) await services.storage.idempotency.release(idem.reservation);
    // Another request with this key made the job first (a takeover, or a create on another node).
    if (err instanceof IdempotencyLost) throw inFlight();
    throw err;
  }
}

function replay(ctx: Context, r: { status: number; contentType: string; body: Buffer }): void {
  ctx.set('Idempotent-Replayed', 'true');
  ctx.status = r.status;
  ctx.type = r.contentType;
  ctx.body = r.body;
}

/** The router for every operation (both paths) and the operation list. */
export function operationRouter(services: Services, limiter: RateLimiter): Router {
  const router = new Router();
  router.get('/v1/op', (ctx) => {
    sendJson(ctx, 200, { operations: OperationList.map((op) => ({ id: op.id, summary: op.summary, scope: op.scope, side_effect: op.sideEffect, response: op.response, paths: [`/v1/op/${op.id}`, resourcePath(op.id)] })) });
  });
  router.post('/v1/op/:id', async (ctx) => {
    const op = findOperation(ctx.params.id ?? '');
    if (!op) throw new AppError('unknown_operation', `Unknown operation "${ctx.params.id}"; GET /v1/op lists them`);
    await runOperation(ctx, op, services, limiter);
  });
  for (const op of OperationList) {
    router.post(resourcePath(op.id), async (ctx) => runOperation(ctx, op, services, limiter));
  }
  return router;
}
