/**
 * Sessions with geopera's OpenID Connect subset (`/realms/public/protocol/openid-connect/`): exchange an
 * API key for a short-lived access token (`client_credentials`), refresh it, revoke it. Plain `fetch`,
 * so it runs in Node and in a browser page alike; errors are `GeoperaError`s.
 */
import type { TokenPair } from '../auth/session.service.js';
import { toGeoperaError } from './http.transport.js';

/** Where the token endpoints live below the base URL. */
export const OidcBase = '/realms/public/protocol/openid-connect';

/** The token endpoint's answer (`access_token`, `expires_in` 300 s, `refresh_token`, `refresh_expires_in` 1800 s, `scope`). */
export type { TokenPair } from '../auth/session.service.js';

export interface OidcOptions {
  /** The client id to identify as (default `geopera`) */
  clientId?: string;
  fetch?: typeof fetch;
  signal?: AbortSignal;
}

async function postForm(baseUrl: string, endpoint: 'token' | 'revoke', form: Record<string, string>, opts: OidcOptions): Promise<Response> {
  const f = opts.fetch ?? globalThis.fetch;
  const res = await f(`${baseUrl.replace(/\/+$/, '')}${OidcBase}/${endpoint}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams({ ...form, client_id: opts.clientId ?? 'geopera' }).toString(),
    signal: opts.signal,
  });
  if (!res.ok) throw await toGeoperaError(res, endpoint);
  return res;
}

/** Exchange an API key (`gpra_…`) for an access and a refresh token. The key is sent once, in the body. */
export async function exchangeApiKey(baseUrl: string, apiKey: string, opts: OidcOptions = {}): Promise<TokenPair> {
  const res = await postForm(baseUrl, 'token', { grant_type: 'client_credentials', client_secret: apiKey }, opts);
  return (await res.json()) as TokenPair;
}

/** A new pair for a refresh token (the server rotates refresh tokens: use the new one next time). */
export async function refreshTokens(baseUrl: string, refreshToken: string, opts: OidcOptions = {}): Promise<TokenPair> {
  const res = await postForm(baseUrl, 'token', { grant_type: 'refresh_token', refresh_token: refreshToken }, opts);
  return (await res.json()) as TokenPair;
}

/** Revoke an access or refresh token (the server answers 200 whether or not it knew the token). */
export async function revokeToken(baseUrl: string, token: string, opts: OidcOptions = {}): Promise<void> {
  await postForm(baseUrl, 'revoke', { token }, opts);
}
