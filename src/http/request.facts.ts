/** Facts about a request that operations may use: client address, base URL, negotiation. */
import type { Context } from 'koa';
import type { Config } from '../config.js';
import type { RequestFacts } from '../operations/op.types.js';

/**
 * The client address: the socket's, or, when configured to trust a proxy, the address that proxy saw
 * (the last `X-Forwarded-For` entry: it appends it; the entries before it are whatever the client sent).
 */
export function clientIp(ctx: Context, config: Config): string {
  if (config.trustProxy) {
    const hop = ctx.get('x-forwarded-for').split(',').at(-1)?.trim();
    if (hop) return hop;
  }
  return ctx.req.socket.remoteAddress ?? 'unknown';
}

/** Base URL for absolute links: GEOPERA_PUBLIC_URL, else the request's own scheme and host. */
export function baseUrlOf(ctx: Context, config: Config): string {
  if (config.publicUrl) return config.publicUrl;
  const proto = config.trustProxy && ctx.get('x-forwarded-proto') ? ctx.get('x-forwarded-proto') : 'http';
  const host = (config.trustProxy && ctx.get('x-forwarded-host')) || ctx.get('host') || `${config.host}:${config.port}`;
  return `${proto}://${host}`;
}

/** True when `Accept` asks for the media type explicitly (not via wildcards). */
export function accepts(ctx: Context, mediaType: string): boolean {
  return (ctx.get('accept') || '').toLowerCase().split(',').some((part) => part.trim().split(';')[0] === mediaType);
}

export function requestFacts(ctx: Context, config: Config, requestId: string): RequestFacts {
  return {
    ip: clientIp(ctx, config),
    userAgent: ctx.get('user-agent') || undefined,
    baseUrl: baseUrlOf(ctx, config),
    requestId,
    range: ctx.get('range') || undefined,
    ifRange: ctx.get('if-range') || undefined,
    wantsJson: accepts(ctx, 'application/json'),
  };
}
