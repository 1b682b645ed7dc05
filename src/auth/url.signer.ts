/**
 * HMAC-signed URLs for GETs that cannot carry headers (download links, map tiles): the signature covers
 * a purpose, the org, the job (and output) and the expiry, so a key never lands in a URL.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppError } from '../errors/app.error.js';

export interface SignedClaims {
  /** What the link is for ('dl' download, 'tile' tiles, 'stac' a job's STAC Item and thumbnails) */
  purpose: 'dl' | 'tile' | 'stac';
  orgId: string;
  jobId: string;
  /** Output key for downloads; '' for tiles (any output of the job) */
  subject: string;
  /** Key id that minted the link (for the egress ledger) */
  keyId: string;
  /** Expiry, unix seconds */
  exp: number;
}

/** Verified tokens remembered (a map's every tile carries the same one): their MAC is not computed again. */
const Remembered = 1024;

export class UrlSigner {
  /** Tokens whose MAC matched, each with what it was verified for (insertion order: the oldest goes first). */
  private readonly verified = new Set<string>();

  constructor(private readonly secret: string) {}

  private mac(c: SignedClaims): string {
    return createHmac('sha256', this.secret).update([c.purpose, c.orgId, c.jobId, c.subject, c.keyId, c.exp].join('\n')).digest('base64url');
  }

  /** A token `<exp>.<keyId>.<org>.<mac>` for a query parameter. */
  sign(c: SignedClaims): string {
    return [c.exp, c.keyId, Buffer.from(c.orgId).toString('base64url'), this.mac(c)].join('.');
  }

  /** Verify a token for a purpose/job/subject; 401 `invalid_signature` or `token_expired`. */
  verify(token: string | undefined, expect: { purpose: SignedClaims['purpose']; jobId: string; subject: string }, nowS = Date.now() / 1000): SignedClaims {
    const parts = (token ?? '').split('.');
    if (parts.length !== 4) throw new AppError('invalid_signature', 'Missing or malformed signed token');
    const [expText, keyId, orgB64, mac] = parts as [string, string, string, string];
    // Fields are joined with newlines under the MAC: a field holding one could shift the others.
    if (!/^[\w-]+$/.test(keyId) || !/^[\w-]+$/.test(orgB64)) throw new AppError('invalid_signature', 'Missing or malformed signed token');
    const claims: SignedClaims = { ...expect, keyId, orgId: Buffer.from(orgB64, 'base64url').toString('utf8'), exp: Number(expText) };
    const memo = `${expect.purpose}\n${expect.jobId}\n${expect.subject}\n${token!}`;
    if (!this.verified.has(memo)) {
      const want = Buffer.from(this.mac(claims));
      const got = Buffer.from(mac);
      if (!Number.isInteger(claims.exp) || want.length !== got.length || !timingSafeEqual(want, got)) throw new AppError('invalid_signature', 'The signed token is not valid for this URL');
      if (this.verified.size >= Remembered) this.verified.delete(this.verified.keys().next().value!);
      this.verified.add(memo);
    }
    if (claims.exp <= nowS) throw new AppError('token_expired', 'The signed link has expired; ask for a new one');
    return claims;
  }
}
