/**
 * The web console: `GET /` answers the page built by Vite (`web/` → `dist/web/`), `GET /assets/<file>`
 * its hashed assets (scripts, the MapLibre worker `.mjs`, styles, icons). Nothing else: there is no
 * fallback, so a mistyped asset or worker URL answers 404 problem+json, never the HTML page. The page
 * holds its state in the URL fragment, which never reaches the server.
 *
 * Every answer carries a Content-Security-Policy allowing only this server (plus the origin of
 * `GEOPERA_BASEMAP_URL` when an operator sets one) and `frame-ancestors 'none'`.
 */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Router } from '@koa/router';
import type { Context } from 'koa';
import { AppError } from '../errors/app.error.js';
import type { Services } from '../services.js';

/** Built page: `dist/web` beside `dist/src` (from the sources, the checkout's `dist/web`). */
export const ConsoleDir = fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? '../../dist/web/' : '../../web/', import.meta.url));

/** Media types of the files the build emits; anything else is not served. */
const MediaTypes: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/** An asset name as the build makes them: one path segment, no dot first, a known extension. */
const AssetName = /^[A-Za-z0-9_][\w.-]*\.(?:js|mjs|css|svg|png|woff2|json)$/;

/** The origin of the operator's basemap URL (an XYZ template or a style URL), for the CSP. */
export function basemapOrigin(url: string | undefined): string | undefined {
  if (!url) return undefined;
  return new URL(url.replace(/\{[\w-]+\}/g, '0')).origin;
}

/** The console's Content-Security-Policy: this server only (and the basemap's origin when set). */
export function consoleCsp(basemapUrl: string | undefined): string {
  const extra = basemapOrigin(basemapUrl);
  const fetchable = extra ? `'self' ${extra}` : `'self'`;
  return [
    `default-src 'self'`,
    `script-src 'self'`,
    `style-src 'self'`,
    // data: for the SVG icons inside MapLibre's stylesheet, blob: for decoded tile images.
    `img-src ${fetchable} data: blob:`,
    `font-src 'self'`,
    `connect-src ${fetchable}`,
    `worker-src 'self'`,
    `object-src 'none'`,
    `base-uri 'none'`,
    `form-action 'self'`,
    `frame-ancestors 'none'`,
  ].join('; ');
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The page with the operator's settings in its `<meta name="geopera-…">` tags. */
export function renderIndex(html: string, basemapUrl: string | undefined): string {
  return html.replace(/<meta name="geopera-basemap" content="[^"]*"\s*\/?>/, `<meta name="geopera-basemap" content="${escapeAttr(basemapUrl ?? '')}">`);
}

function secure(ctx: Context, csp: string): void {
  ctx.set('Content-Security-Policy', csp);
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.set('X-Frame-Options', 'DENY');
  ctx.set('Referrer-Policy', 'no-referrer');
  ctx.set('Cross-Origin-Opener-Policy', 'same-origin');
  ctx.set('Cross-Origin-Resource-Policy', 'same-origin');
}

export function consoleRouter(dir: string = ConsoleDir) {
  return (services: Services): Router => {
    const router = new Router();
    const csp = consoleCsp(services.config.basemapUrl);
    // Read again when the file changes (a rebuild while the server runs names new assets).
    let index: { mtimeMs: number; html: string } | undefined;
    const page = async (): Promise<string> => {
      const file = path.join(dir, 'index.html');
      const { mtimeMs } = await stat(file);
      if (index?.mtimeMs !== mtimeMs) index = { mtimeMs, html: renderIndex(await readFile(file, 'utf8'), services.config.basemapUrl) };
      return index.html;
    };

    router.get('/', async (ctx) => {
      const html = await page().catch(() => {
        throw new AppError('unavailable', 'The web console is not built: run `npm run build` (the API under /v1 works without it)');
      });
      secure(ctx, csp);
      ctx.set('Cache-Control', 'no-cache');
      ctx.type = 'text/html; charset=utf-8';
      ctx.body = html;
    });

    router.get('/assets/:file', async (ctx, next) => {
      const name = ctx.params.file ?? '';
      if (!AssetName.test(name)) { await next(); return; }
      const file = path.join(dir, 'assets', name);
      const gz = ctx.acceptsEncodings('gzip', 'identity') === 'gzip' ? await stat(`${file}.gz`).then(() => `${file}.gz`, () => undefined) : undefined;
      const found = await stat(gz ?? file).catch(() => undefined);
      if (!found?.isFile()) { await next(); return; }
      secure(ctx, csp);
      // Names carry a content hash: a changed file is a new name.
      ctx.set('Cache-Control', 'public, max-age=31536000, immutable');
      ctx.set('Vary', 'Accept-Encoding');
      if (gz) ctx.set('Content-Encoding', 'gzip');
      ctx.type = MediaTypes[path.extname(name)]!;
      ctx.length = found.size;
      ctx.body = createReadStream(gz ?? file);
    });
    return router;
  };
}
