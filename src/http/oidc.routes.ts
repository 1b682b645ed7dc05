/**
 * The OpenID Connect subset the official CLI uses, under /realms/public/protocol/openid-connect/:
 * `token` (client_credentials with an API key as client secret; refresh_token), `userinfo`, `revoke`.
 */
import { Router } from '@koa/router';
import { exchangeApiKey, refreshSession, revokeToken } from '../auth/session.service.js';
import { AppError } from '../errors/app.error.js';
import type { Services } from '../services.js';
import { readFormBody } from './body.read.js';
import { authenticateRequest } from './op.routes.js';
import { sendJson } from './respond.js';

const Base = '/realms/public/protocol/openid-connect';

export function oidcRouter(services: Services): Router {
  const router = new Router();
  const ttl = { accessS: services.config.accessTokenTtlS, refreshS: services.config.refreshTokenTtlS };

  router.post(`${Base}/token`, async (ctx) => {
    const form = await readFormBody(ctx.req, services.config.maxBodyBytes);
    ctx.set('Cache-Control', 'no-store');
    if (form.grant_type === 'client_credentials') {
      // client_id is conventionally "geopera"; the secret (an API key) is what authenticates.
      let secret = form.client_secret;
      const basic = /^Basic\s+(\S+)$/i.exec(ctx.get('authorization'));
      if (!secret && basic) secret = Buffer.from(basic[1]!, 'base64').toString('utf8').split(':').slice(1).join(':');
      if (!secret) throw new AppError('unauthorized', 'client_secret (a gpra_ API key) is required');
      sendJson(ctx, 200, await exchangeApiKey(services.storage, secret, form.scope, ttl));
      return;
    }
    if (form.grant_type === 'refresh_token') {
      if (!form.refresh_token) throw new AppError('invalid_input', 'refresh_token is required', { issues: [{ loc: ['body', 'refresh_token'], msg: 'Field required', type: 'missing' }] });
      sendJson(ctx, 200, await refreshSession(services.storage, form.refresh_token, ttl));
      return;
    }
    throw new AppError('invalid_input', `Unsupported grant_type "${form.grant_type ?? ''}"; use client_credentials or refresh_token`, {
      issues: [{ loc: ['body', 'grant_type'], msg: 'Unsupported grant_type', type: 'value_error' }],
    });
  });

  router.get(`${Base}/userinfo`, async (ctx) => {
    const p = await authenticateRequest(ctx, services);
    sendJson(ctx, 200, { sub: p.keyId, geopera_principal_id: p.keyId, geopera_principal_type: 'api_key', geopera_org_id: p.orgId, scope: [...p.scopes].join(' ') });
  });

  router.post(`${Base}/revoke`, async (ctx) => {
    const form = await readFormBody(ctx.req, services.config.maxBodyBytes);
    if (form.token) await revokeToken(services.storage, form.token);
    ctx.status = 200;
    ctx.body = '';
  });
  return router;
}
