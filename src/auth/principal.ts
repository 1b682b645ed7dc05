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
