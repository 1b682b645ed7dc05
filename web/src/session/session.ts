/**
 * The signed-in session: the API key is exchanged once for an access token (kept in memory only, never
 * stored, never put in a URL), refreshed 30 s before it expires and once after a 401; signing out
 * revokes both tokens. Every call goes through `call`, which hands it the current SDK client.
 */
import { exchangeApiKey, GeoperaClient, refreshTokens, revokeToken, type TokenPair, type UserInfo } from '../../../src/client/index.js';
import { isApiError } from '../state/problem.words.js';

const ClientId = 'geopera-console';
const RefreshLeadS = 30;

export interface Identity {
  org: string;
  scopes: string[];
  /** The key's id (`key_…`), not the key */
  keyId: string;
}

export class Session {
  #pair: TokenPair;
  #client: GeoperaClient;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #refreshing: Promise<void> | undefined;
  #ended = false;

  private constructor(readonly baseUrl: string, pair: TokenPair, readonly identity: Identity, private readonly onEnd: (reason: string) => void) {
    this.#pair = pair;
    this.#client = Session.clientFor(baseUrl, pair);
    this.schedule();
  }

  private static clientFor(baseUrl: string, pair: TokenPair): GeoperaClient {
    return new GeoperaClient({ token: pair.access_token, baseUrl, auth: 'bearer', retries: 2 });
  }

  /** Exchange the key and read who it is; the caller forgets the key afterwards. */
  static async signIn(baseUrl: string, apiKey: string, onEnd: (reason: string) => void): Promise<Session> {
    const pair = await exchangeApiKey(baseUrl, apiKey.trim(), { clientId: ClientId });
    const info: UserInfo = await Session.clientFor(baseUrl, pair).userinfo();
    const identity = { org: info.geopera_org_id, scopes: info.scope.split(/\s+/).filter(Boolean), keyId: info.sub };
    return new Session(baseUrl, pair, identity, onEnd);
  }

  get ended(): boolean {
    return this.#ended;
  }

  can(scope: string): boolean {
    return this.identity.scopes.includes(scope);
  }

  private schedule(): void {
    clearTimeout(this.#timer);
    const inS = Math.max(5, this.#pair.expires_in - RefreshLeadS);
    this.#timer = setTimeout(() => { void this.refresh().catch(() => undefined); }, inS * 1000);
  }

  /** A new token pair (one refresh at a time); ends the session when the server refuses. */
  refresh(): Promise<void> {
    this.#refreshing ??= (async () => {
      try {
        this.#pair = await refreshTokens(this.baseUrl, this.#pair.refresh_token, { clientId: ClientId });
        this.#client = Session.clientFor(this.baseUrl, this.#pair);
        this.schedule();
      } catch (err) {
        if (isApiError(err) && err.status < 500) this.end('Your session has ended. Sign in again with your API key.');
        throw err;
      } finally {
        this.#refreshing = undefined;
      }
    })();
    return this.#refreshing;
  }

  /** Run an SDK call with the current token; after a 401, refresh once and run it again. */
  async call<T>(fn: (client: GeoperaClient) => Promise<T>): Promise<T> {
    try {
      return await fn(this.#client);
    } catch (err) {
      if (!isApiError(err) || err.status !== 401 || this.#ended) throw err;
      await this.refresh();
      return fn(this.#client);
    }
  }

  private end(reason: string): void {
    if (this.#ended) return;
    this.#ended = true;
    clearTimeout(this.#timer);
    this.onEnd(reason);
  }

  /** Revoke both tokens (best effort) and end the session. */
  async signOut(): Promise<void> {
    const { refresh_token, access_token } = this.#pair;
    this.end('Signed out.');
    await Promise.allSettled([revokeToken(this.baseUrl, refresh_token, { clientId: ClientId }), revokeToken(this.baseUrl, access_token, { clientId: ClientId })]);
  }
}
