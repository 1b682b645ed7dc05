/**
 * Fuzz target: signed download links and tile tokens, and the tile URL around them. Input: NUL-separated
 * fields `token, job, output, z, x, {y}{@2x}.{ext}, query`. Checked: `UrlSigner.verify` for a download
 * and `verifyTileToken` (real SQLite key store) answer claims or 401 codes; the tile address and query
 * parse or answer 404/422; and a token signed from the fields' claims verifies to the same claims.
 */
import { createApiKey } from '../../../src/auth/key.service.js';
import { UrlSigner, type SignedClaims } from '../../../src/auth/url.signer.js';
import { openStorage, type Storage } from '../../../src/storage/storage.js';
import { verifyTileToken } from '../../../src/tiles/tile.token.js';
import { parseOverrides, parseTileAddress } from '../../../src/tiles/tile.request.js';
import { check, settle, type FuzzTarget } from '../fuzz.target.js';

const Secret = 'fuzz-url-secret-0123456789abcdef';
/** A fixed "now" (2026-01-01T00:00:00Z): tokens expire against it, not against the machine's clock. */
const NowS = 1_767_225_600;

let world: Promise<{ signer: UrlSigner; storage: Storage; keyId: string }> | undefined;

function setUp(): NonNullable<typeof world> {
  world ??= (async () => {
    const storage = await openStorage({ dataDir: ':memory:' });
    await storage.orgs.create({ id: 'acme' });
    const { view } = await createApiKey(storage, { orgId: 'acme', scopes: ['clip:read'] });
    return { signer: new UrlSigner(Secret), storage, keyId: view.id };
  })();
  return world;
}

function query(text: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(text)) {
    const had = out[k];
    out[k] = had === undefined ? v : Array.isArray(had) ? [...had, v] : [had, v];
  }
  return out;
}

export const TokenTarget: FuzzTarget = {
  name: 'token',
  about: 'token, job, output, tile path and query → UrlSigner.verify, verifyTileToken, parseTileAddress, parseOverrides; sign→verify round trip',
  covers: ['src/auth/url.signer.ts', 'src/tiles/tile.token.ts', 'src/tiles/tile.request.ts'],
  dictionary: 'token.dict',
  maxLength: 2048,
  maxAllocBytes: 1 << 20,
  run: async (data) => {
    const { signer, storage, keyId } = await setUp();
    const [token = '', job = '', output = '', z = '', x = '', last = '', q = ''] = Buffer.from(data).toString('latin1').split('\0');
    const dl = await settle(() => signer.verify(token, { purpose: 'dl', jobId: job, subject: output }, NowS));
    const tile = await settle(() => verifyTileToken(signer, storage, token, { kind: 'job', jobId: job }));
    const addr = await settle(() => parseTileAddress(z, x, last));
    const style = await settle(() => parseOverrides(query(q)));
    // Round trip: claims made of the fields (ids in the alphabets geopera mints) verify to themselves.
    const claims: SignedClaims = { purpose: 'dl', orgId: output || 'acme', jobId: job, subject: output, keyId: keyId, exp: NowS + 1 + (data.length % 1000) };
    const back = signer.verify(signer.sign(claims), { purpose: 'dl', jobId: job, subject: output }, NowS);
    check(back.orgId === claims.orgId && back.keyId === claims.keyId && back.exp === claims.exp, `sign→verify changed the claims of ${JSON.stringify(claims)}`);
    return [dl, tile, addr, style].join('/');
  },
};
