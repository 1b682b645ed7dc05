import type { Scope } from './scopes.js';

/** Who is calling: an org, through a key (directly or via a session token), with scopes. */
export interface Principal {
  orgId: string;
  /** The API key id behind the credential (never the key) */
  keyId: string;
  scopes: ReadonlySet<Scope>;
  /** How the caller authenticated */
  via: 'api_key' | 'session';
}

/**
 * How a GET that browsers and map clients make without headers proves access: a signed `?token=` (tiles,
 * STAC links), or else a principal from the request's headers, resolved only if the route needs it.
 */
export type LinkAccess = { token: string } | { principal: () => Promise<Principal> };
