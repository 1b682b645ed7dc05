/**
 * SECURITY.md "Nothing secret in an answer or a log line" (OWASP API3, API8): a whole session of use —
 * token exchange, creates, downloads by op and by signed link, tiles by token, failures of every kind,
 * a revoked key — then every log line the server wrote (debug level, captured from pino) and every
 * answer are searched for every secret: API keys, their hashes, the URL-signing secret, access and
 * refresh tokens and their hashes, signed-link MACs. Answers may carry only what they hand out (the
 * token endpoint its tokens, links their own signature).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { hashSecret } from '../../src/auth/api.key.js';
import { repoRoot } from '../support/gdal.js';
import { sqlOf } from '../support/backend.js';
import { startTestServer, type TestServer } from '../support/harness.js';
import { completedJob, localPart } from './security.world.js';

interface Seen { what: string; text: string }

describe('nothing secret in an answer or a log line', { timeout: 120_000 }, () => {
  const logLines: string[] = [];
  const answers: Seen[] = [];
  const handedOut: Seen[] = [];
  let t: TestServer;
  let secrets: Map<string, string>;

  /** Fetch and remember the answer (status line, headers, body) for the search. */
  async function record(what: string, url: string, init: RequestInit = {}, mayCarry = false): Promise<string> {
    const res = await fetch(url, init);
    const body = Buffer.from(await res.arrayBuffer());
    const text = `${res.status}\n${[...res.headers].map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n${body.toString('latin1')}`;
    (mayCarry ? handedOut : answers).push({ what, text });
    return body.toString('utf8');
  }

  before(async () => {
    t = await startTestServer({ env: { GEOPERA_LOG_LEVEL: 'debug' }, logLines });
    const other = await t.makeKey('other-org');
    const revoked = await t.makeKey('acme');
    const op = (id: string, body: unknown, key: string | null = t.key, extra: Record<string, string> = {}) =>
      record(id, `${t.url}/v1/op/${id}`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}), ...extra }, body: JSON.stringify(body) }, id === 'clip.job.downloads' || id === 'clip.job.tile_info' || (id === 'clip.job.download' && extra.accept === 'application/json'));
    const form = (p: string, body: Record<string, string>) => record(p, `${t.url}/realms/public/protocol/openid-connect/${p}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(body) }, true);

    const tokens = JSON.parse(await form('token', { grant_type: 'client_credentials', client_id: 'geopera', client_secret: t.key })) as { access_token: string; refresh_token: string };
    const refreshed = JSON.parse(await form('token', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token })) as { access_token: string; refresh_token: string };
    await record('userinfo', `${t.url}/realms/public/protocol/openid-connect/userinfo`, { headers: { authorization: `Bearer ${refreshed.access_token}` } });
    const job = await completedJob(t, t.key, 'acme');
    await op('clip.job.get', { job_id: job }, refreshed.access_token);
    await op('clip.jobs.list', { organization_id: 'acme' }, t.key, { 'idempotency-key': 'k1' });
    const downloads = JSON.parse(await op('clip.job.downloads', { job_id: job })) as { items: { url: string }[] };
    const descriptor = JSON.parse(await op('clip.job.download', { job_id: job, mosaic_type: 'visual' }, t.key, { accept: 'application/json' })) as { url: string };
    await op('clip.job.download', { job_id: job, mosaic_type: 'visual' }, t.key, { accept: '*/*', range: 'bytes=0-99' });
    await record('file link', `${t.url}${localPart(downloads.items[0]!.url)}`, { headers: { range: 'bytes=0-1023' } });
    const info = JSON.parse(await op('clip.job.tile_info', { job_id: job })) as { tiles: string[] };
    await record('tile', `${t.url}${localPart(info.tiles[0]!.replace('{z}', '14').replace('{x}', '16215').replace('{y}', '10226'))}`);
    // Failures of every kind.
    await op('clip.job.get', { job_id: job }, other);
    await op('clip.job.get', { job_id: job }, `${t.key.slice(0, -1)}x`);
    await op('clip.areas.list', {}, null);
    await op('clip.job.get', '{"job_id": ' as unknown);
    await op('clip.create_from_area', { area: 'nope' });
    await record('bad link', `${t.url}/v1/files/${job}/visual?token=${new URL(descriptor.url).searchParams.get('token')!.replace(/.$/, 'A')}`);
    await t.runtime.services.storage.keys.revoke((await t.runtime.services.storage.keys.byHash(hashSecret(revoked)))!.id);
    await op('clip.areas.list', {}, revoked);
    await form('revoke', { token: refreshed.refresh_token });
    await op('clip.areas.list', {}, refreshed.access_token);

    const storage = t.runtime.services.storage;
    secrets = new Map<string, string>([
      ['url secret', (await storage.settings.get('url_secret'))!],
      ...[t.key, other, revoked].map((k, i) => [`api key ${i}`, k] as [string, string]),
      ...(await storage.keys.list()).map((k) => [`key hash ${k.id}`, k.hash] as [string, string]),
      ...(await sqlOf(storage).all<{ id: string; hash: string }>('SELECT id, hash FROM session_tokens')).map((r) => [`token hash ${r.id}`, r.hash] as [string, string]),
      ['access token', tokens.access_token], ['refresh token', tokens.refresh_token], ['access token 2', refreshed.access_token], ['refresh token 2', refreshed.refresh_token],
      ...[...downloads.items.map((d) => d.url), descriptor.url, info.tiles[0]!].map((u, i) => [`link signature ${i}`, new URL(u.replace(/[{}]/g, '')).searchParams.get('token')!.split('.').at(-1)!] as [string, string]),
    ]);
  });
  after(() => t.close());

  it('the session wrote log lines, each one JSON record, at least one per request', () => {
    assert.ok(logLines.length >= answers.length + handedOut.length, `${logLines.length} lines`);
    for (const line of logLines) assert.doesNotThrow(() => JSON.parse(line), line);
    assert.ok(logLines.filter((l) => l.includes('"Request:Done"')).length >= answers.length);
  });

  it('no log line carries a key, a hash, the URL secret, a session token or a link signature', () => {
    for (const [what, secret] of secrets) {
      const hit = logLines.find((l) => l.includes(secret));
      assert.equal(hit, undefined, `${what} in a log line: ${hit}`);
    }
  });

  it('no answer carries a key, a hash, the URL secret, a session token or a link signature', () => {
    for (const [what, secret] of secrets) {
      const hit = answers.find((a) => a.text.includes(secret));
      assert.equal(hit, undefined, `${what} in the answer to ${hit?.what}`);
    }
  });

  it('answers that hand out tokens or links carry no key, no hash and not the URL secret', () => {
    // The search sees what is there: the links handed out do carry their signatures.
    assert.ok(handedOut.some((a) => a.text.includes(secrets.get('link signature 0')!)));
    const never = [...secrets].filter(([what]) => /^(api key|key hash|token hash|url secret)/.test(what));
    for (const [what, secret] of never) {
      const hit = handedOut.find((a) => a.text.includes(secret));
      assert.equal(hit, undefined, `${what} in the answer to ${hit?.what}`);
    }
  });

  it('the admin CLI shows a key once at creation, then only its id and hint', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [path.join(repoRoot, 'bin/geopera.js'), 'admin', 'key', 'list'], { env: { ...process.env, GEOPERA_DATA_DIR: t.dataDir, ...(t.config.databaseUrl ? { GEOPERA_DATABASE_URL: t.config.databaseUrl } : {}) } });
    for (const [what, secret] of secrets) assert.equal(stdout.includes(secret), false, `${what} in admin key list`);
    assert.match(stdout, /"hint": "gpra_/);
  });
});
