/** `GET /v1/files/<job>/<output>?token=…`: signed, egress-enforced, Range-capable download links. */
import { Router } from '@koa/router';
import type { FileDownloads } from '../downloads/download.service.js';
import type { Services } from '../services.js';
import { requestFacts } from './request.facts.js';
import { sendFile } from './respond.js';

export function fileRouter(downloads: FileDownloads) {
  return (services: Services): Router => {
    const router = new Router();
    router.get('/v1/files/:job/:output', async (ctx) => {
      const facts = requestFacts(ctx, services.config, ctx.state.requestId as string);
      const token = typeof ctx.query.token === 'string' ? ctx.query.token : undefined;
      await sendFile(ctx, await downloads.openSigned(token, ctx.params.job ?? '', ctx.params.output ?? '', facts));
    });
    return router;
  };
}
