/**
 * `GET /v1/events`: the caller's org's job events as Server-Sent Events (Bearer or `X-API-Key`, `clip:read`),
 * resumable with `Last-Event-ID` (or `?last_event_id=`, for clients that cannot set headers); `?job_id=`
 * follows one job. See src/events/event.stream.ts for what a stream holds and when it is closed.
 */
import { Router } from '@koa/router';
import { authenticate, credentialOf, requireScope } from '../auth/authenticate.js';
import { AppError } from '../errors/app.error.js';
import type { EventStreams } from '../events/event.stream.js';
import type { Services } from '../services.js';
import { authenticateRequest } from './op.routes.js';

function cursorOf(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  if (!/^\d{1,15}$/.test(text)) throw new AppError('invalid_input', 'Last-Event-ID must be the id of an event this stream sent (a whole number)', { issues: [{ loc: ['header', 'last-event-id'], msg: 'Not an event id', type: 'value_error' }] });
  return Number(text);
}

export function eventRouter(streams: EventStreams) {
  return (services: Services): Router => {
    const router = new Router();
    router.get('/v1/events', async (ctx) => {
      const principal = await authenticateRequest(ctx, services);
      ctx.state.principal = principal;
      requireScope(principal, 'clip:read');
      const after = cursorOf(ctx.get('last-event-id') || (typeof ctx.query.last_event_id === 'string' ? ctx.query.last_event_id : undefined));
      const jobId = typeof ctx.query.job_id === 'string' && ctx.query.job_id ? ctx.query.job_id : undefined;
      streams.admit(principal.orgId);
      const credential = credentialOf({ authorization: ctx.get('authorization') || undefined, 'x-api-key': ctx.get('x-api-key') || undefined });
      ctx.req.socket.setTimeout(0);
      // The stream writes to the socket itself: once its head is sent, Koa answers nothing more (a failure
      // before that is answered as a problem). The status is for the access log and metrics.
      ctx.status = 200;
      try {
        await streams.serve({
          orgId: principal.orgId, after, ...(jobId ? { jobId } : {}),
          stillValid: async () => (await authenticate(services.storage, credential).then((p) => p.orgId === principal.orgId, () => false)),
        }, ctx.res);
      } finally {
        if (ctx.res.headersSent) ctx.respond = false;
      }
    });
    return router;
  };
}
