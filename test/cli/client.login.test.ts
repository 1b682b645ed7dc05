/**
 * `geopera login --api-key`, `whoami`, `logout` as the official CLI: the key is checked against
 * `userinfo`, stored in `credentials.json` (directory 0700, file 0600, profiles side by side), used by
 * later commands without any environment, overridden by `GEOPERA_API_TOKEN`; an OAuth profile whose
 * access token expired is refreshed with its refresh token and rewritten.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../support/harness.js';
import { runCli } from './client.cli.js';

describe('geopera login / whoami / logout', () => {
  let t: TestServer;
  let home: string;
  let configDir: string;
  let env: Record<string, string | undefined>;
  const credentials = () => path.join(configDir, 'credentials.json');
  const store = async () => JSON.parse(await readFile(credentials(), 'utf8')) as Record<string, { api_url: string; auth?: Record<string, unknown> }>;

  before(async () => {
    t = await startTestServer({ linkSampleData: false });
    home = await mkdtemp(path.join(os.tmpdir(), 'geopera-login-'));
    configDir = path.join(home, 'config', 'geopera');
    env = { GEOPERA_CONFIG_DIR: configDir, GEOPERA_API_URL: undefined, GEOPERA_API_TOKEN: undefined, GEOPERA_PROFILE: undefined, HOME: home };
  });
  after(async () => {
    await t?.close();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('refuses a bad key and stores nothing', async () => {
    const r = await runCli(['login', '--api-key', 'gpra_notarealkey000000000000000000000000000', '--api-url', t.url], { env });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^Error: API key validation failed: \[401\]/);
    await assert.rejects(stat(credentials()));
  });

  it('checks a key, stores it with mode 0600 and says who it is', async () => {
    const r = await runCli(['login', '--api-key', t.key, '--api-url', t.url], { env });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^Logged in as \S+ \(API key, profile 'default'\)\.\n$/);
    assert.equal((await stat(credentials())).mode & 0o777, 0o600);
    assert.equal((await stat(configDir)).mode & 0o777, 0o700);
    assert.deepEqual(await store(), { default: { api_url: t.url, auth: { type: 'api_key', api_key: t.key } } });
  });

  it('whoami prints the principal from the stored credential; --json the raw userinfo', async () => {
    const r = await runCli(['whoami'], { env });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^sub: {13}\S+\nprincipal_type: {2}api_key\norg_id: {10}acme\nscope: {11}.*clip:read.*\napi_url: {9}http:\/\/127\.0\.0\.1:\d+\nprofile: {9}default\n$/);
    const raw = JSON.parse((await runCli(['whoami', '--json'], { env })).stdout) as Record<string, string>;
    assert.equal(raw.geopera_org_id, 'acme');
  });

  it('later commands use the stored credential and URL', async () => {
    const r = await runCli(['clip', 'areas', 'list', '--format', 'json'], { env });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { items: [] });
  });

  it('reads the key from stdin, into another profile; GEOPERA_API_TOKEN overrides the store', async () => {
    const other = await t.makeKey('globex', ['clip:read']);
    const r = await runCli(['login', '--api-key', '-', '--profile', 'globex', '--api-url', t.url], { env, input: `${other}\n` });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(Object.keys(await store()).sort(), ['default', 'globex']);
    const who = await runCli(['whoami', '--json'], { env: { ...env, GEOPERA_PROFILE: 'globex' } });
    assert.equal((JSON.parse(who.stdout) as Record<string, string>).geopera_org_id, 'globex');
    const viaEnv = await runCli(['whoami', '--json'], { env: { ...env, GEOPERA_API_TOKEN: other } });
    assert.equal((JSON.parse(viaEnv.stdout) as Record<string, string>).geopera_org_id, 'globex');
  });

  it('refreshes an expired OAuth session and stores the rotated tokens', async () => {
    const tok = await fetch(`${t.url}/realms/public/protocol/openid-connect/token`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'geopera', client_secret: t.key }),
    });
    const pair = (await tok.json()) as { access_token: string; refresh_token: string };
    const all = await store();
    const expiredAt = Math.floor(Date.now() / 1000) - 10;
    all.session = { api_url: t.url, auth: { type: 'oauth', access_token: 'expired-token', refresh_token: pair.refresh_token, expires_at: expiredAt, scope: 'clip:read' } };
    await writeFile(credentials(), JSON.stringify(all), { mode: 0o600 });
    const r = await runCli(['whoami', '--json', '--profile', 'session'], { env });
    assert.equal(r.status, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as Record<string, string>).geopera_org_id, 'acme');
    const auth = (await store()).session!.auth!;
    assert.notEqual(auth.access_token, 'expired-token');
    assert.notEqual(auth.refresh_token, pair.refresh_token, 'the refresh token rotated');
    assert.ok((auth.expires_at as number) > expiredAt + 10, 'the new access token expires later than the old one');
    assert.equal((await stat(credentials())).mode & 0o777, 0o600);
  });

  it('logout forgets the credential; then commands ask to log in (exit 1)', async () => {
    const r = await runCli(['logout'], { env });
    assert.equal(r.status, 0);
    assert.equal(r.stdout, "Logged out (profile 'default').\n");
    assert.deepEqual((await store()).default, { api_url: t.url });
    const who = await runCli(['whoami'], { env });
    assert.equal(who.status, 1);
    assert.match(who.stderr, /^Error: Not logged in \(profile 'default'\)\. Run 'geopera login --api-key KEY'/);
    assert.equal((await runCli(['logout'], { env })).stdout, "No stored credentials for profile 'default'.\n");
  });

  it('login without --api-key explains that geopera has no device flow', async () => {
    const r = await runCli(['login'], { env });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /--api-key/);
  });
});
