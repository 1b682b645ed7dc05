/**
 * Sessions for the CLI: a client for the resolved credential, OAuth access tokens refreshed before they
 * expire (30 s leeway) and once after a 401, and revocation on logout. The endpoints are geopera's
 * OpenID Connect subset under `/realms/public/protocol/openid-connect/`.
 */
import { GeoperaClient, GeoperaError, type RetryNotice } from '../client/index.js';
import { saveProfile, loadProfile, tokenOf, type AuthContext, type AuthEntry, type Env } from './client.credentials.js';
import { LocalError } from './client.flags.js';

const OidcBase = '/realms/public/protocol/openid-connect';
/** The client id the official CLI identifies as. */
export const CliClientId = 'geopera-cli';
const RefreshLeewayS = 30;

function needsRefresh(auth: AuthEntry, nowS: number): boolean {
  return auth.type === 'oauth' && typeof auth.expires_at === 'number' && nowS >= auth.expires_at - RefreshLeewayS;
}

/** Exchange the stored refresh token for a new pair and store it (the server rotates refresh tokens). */
export async function refreshSession(ctx: AuthContext, env: Env): Promise<AuthContext> {
  const auth = ctx.auth;
  if (auth.type !== 'oauth' || !auth.refresh_token) throw new LocalError(`Session expired and no refresh token is stored (profile '${ctx.profile}'). Run 'geopera login --api-key KEY'.`);
  const res = await fetch(`${ctx.apiUrl}${OidcBase}/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: auth.refresh_token, client_id: CliClientId }),
  });
  if (res.status !== 200) throw new LocalError(`Token refresh failed (the session may have been revoked). Run 'geopera login --api-key KEY' to sign in again.`);
  const pair = (await res.json()) as { access_token: string; refresh_token?: string; expires_in?: number; scope?: string };
  const next: AuthEntry = {
    type: 'oauth',
    access_token: pair.access_token,
    refresh_token: pair.refresh_token ?? auth.refresh_token,
    expires_at: pair.expires_in ? Math.floor(Date.now() / 1000) + pair.expires_in : null,
    scope: pair.scope ?? auth.scope,
    issuer: ctx.apiUrl,
  };
  if (!ctx.fromEnv) {
    const entry = await loadProfile(env, ctx.profile);
    await saveProfile(env, ctx.profile, { ...entry, api_url: entry.api_url ?? ctx.apiUrl, auth: next });
  }
  return { ...ctx, auth: next };
}

/** Options for the clients the CLI makes. */
export interface ClientHooks {
  onRetry?: (notice: RetryNotice) => void;
}

export function clientFor(ctx: AuthContext, hooks: ClientHooks = {}): GeoperaClient {
  const { token, scheme } = tokenOf(ctx.auth);
  return new GeoperaClient({ token, baseUrl: ctx.apiUrl, auth: scheme, onRetry: hooks.onRetry, headers: { 'User-Agent': `geopera-cli-ts/0.1.0 node/${process.versions.node}` } });
}

/**
 * Run `fn` with a client for the context: refresh an OAuth token near expiry first, and once more
 * after a 401 (as the official CLI does); API keys are never retried on 401.
 */
export async function withClient<T>(ctx: AuthContext, env: Env, hooks: ClientHooks, fn: (client: GeoperaClient, ctx: AuthContext) => Promise<T>): Promise<T> {
  let current = ctx;
  if (needsRefresh(current.auth, Date.now() / 1000)) current = await refreshSession(current, env);
  try {
    return await fn(clientFor(current, hooks), current);
  } catch (err) {
    const refreshable = err instanceof GeoperaError && err.status === 401 && current.auth.type === 'oauth' && !!current.auth.refresh_token;
    if (!refreshable) throw err;
    current = await refreshSession(current, env);
    return fn(clientFor(current, hooks), current);
  }
}

/** Revoke tokens of an OAuth session (best effort: a dead server must not block logout). */
export async function revokeSession(apiUrl: string, auth: AuthEntry): Promise<void> {
  if (auth.type !== 'oauth') return;
  for (const token of [auth.refresh_token, auth.access_token]) {
    if (!token) continue;
    await fetch(`${apiUrl}${OidcBase}/revoke`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token, client_id: CliClientId }),
      signal: AbortSignal.timeout(10_000),
    }).catch(() => undefined);
  }
}
