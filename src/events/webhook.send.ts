/**
 * One webhook POST: the body and its Standard Webhooks headers, to an http(s) URL, with the address policy
 * checked on the address actually connected to, one overall timeout, no redirect followed (a 3xx is a failed
 * try), and the answer's body never read past its status (a receiver cannot make us buffer anything).
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { isPrivateAddress } from './address.policy.js';
import type { Clock } from './clock.js';

/** What one try answered. */
export interface SendResult {
  /** HTTP status, or null when none came (refused, timed out, blocked address) */
  status: number | null;
  /** Why it failed, or null for a 2xx */
  error: string | null;
  /** Time the try took by `clock`, ms */
  durationMs: number;
}

export interface SendOptions {
  allowPrivate: boolean;
  timeoutMs: number;
  clock: Clock;
}

/** A DNS lookup that refuses private addresses (unless allowed). */
function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const list = (addresses as unknown as LookupAddress[]).filter((a) => allowPrivate || !isPrivateAddress(a.address));
      if (list.length === 0) return callback(Object.assign(new Error(`${hostname} resolves only to private addresses`), { code: 'EPRIVATE' }), '', 0);
      if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  };
}

/** POST `body` to `url` with `headers`; never throws. */
export function sendWebhook(url: string, headers: Record<string, string>, body: string, opts: SendOptions): Promise<SendResult> {
  const started = opts.clock.now();
  return new Promise((resolve) => {
    let done = false;
    const finish = (status: number | null, error: string | null): void => {
      if (done) return;
      done = true;
      opts.clock.clearTimeout(timer);
      resolve({ status, error, durationMs: opts.clock.now() - started });
    };
    let req: http.ClientRequest;
    try {
      const u = new URL(url);
      const mod = u.protocol === 'https:' ? https : u.protocol === 'http:' ? http : undefined;
      if (!mod) {
        finish(null, `unsupported scheme ${u.protocol}`);
        return;
      }
      req = mod.request(u, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'geopera-webhooks/1', ...headers },
        lookup: guardedLookup(opts.allowPrivate),
        agent: false,
      });
    } catch (err) {
      finish(null, (err as Error).message);
      return;
    }
    const timer = opts.clock.setTimeout(() => {
      finish(null, `timed out after ${opts.timeoutMs} ms`);
      req.destroy();
    }, opts.timeoutMs);
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      res.destroy();
      if (status >= 200 && status < 300) finish(status, null);
      else finish(status, status >= 300 && status < 400 ? `redirect (${status}) not followed` : `HTTP ${status}`);
    });
    req.on('error', (err: NodeJS.ErrnoException) => finish(null, err.code === 'EPRIVATE' ? err.message : `${err.code ?? 'error'}: ${err.message}`));
    if (!opts.allowPrivate) {
      // A literal IP skips the lookup: check it here.
      const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
      if (/^[\d.]+$|:/.test(host) && isPrivateAddress(host)) {
        finish(null, `${host} is a private address (GEOPERA_WEBHOOK_ALLOW_PRIVATE is off)`);
        req.destroy();
        return;
      }
    }
    req.end(body);
  });
}
