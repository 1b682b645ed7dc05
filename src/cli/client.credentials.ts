/**
 * The credential store, shared with the official CLI: `~/.config/geopera/credentials.json` (directory
 * 0700, file 0600, written atomically), one entry per profile:
 * `{"default": {"api_url": "...", "auth": {"type": "api_key", "api_key": "gpra_..."}}}` or an `oauth`
 * entry (`access_token`, `refresh_token`, `expires_at` in epoch seconds). `GEOPERA_CONFIG_DIR` moves
 * the directory (tests, several servers). Resolution as the official CLI: `--api-url` → `GEOPERA_API_URL`
 * → the profile's `api_url` → the default; `GEOPERA_API_TOKEN` overrides the stored credential.
 */
import { chmod, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_BASE_URL } from '../client/index.js';
import { LocalError } from './client.flags.js';

export type AuthEntry =
  | { type: 'api_key'; api_key: string }
  | { type: 'oauth'; access_token: string; refresh_token?: string | null; expires_at?: number | null; scope?: string; issuer?: string };

export interface ProfileEntry {
  api_url?: string;
  auth?: AuthEntry;
  [extra: string]: unknown;
}

export type Env = Record<string, string | undefined>;

/** Where the store lives. */
export function credentialsPath(env: Env): string {
  const dir = env.GEOPERA_CONFIG_DIR || path.join(env.HOME || os.homedir(), '.config', 'geopera');
  return path.join(dir, 'credentials.json');
}

export function profileName(flag: string | undefined, env: Env): string {
  return flag || env.GEOPERA_PROFILE || 'default';
}

export function resolveApiUrl(flag: string | undefined, env: Env, stored: string | undefined): string {
  return (flag || env.GEOPERA_API_URL || stored || DEFAULT_BASE_URL).replace(/\/+$/, '');
}

async function readStore(file: string): Promise<Record<string, ProfileEntry>> {
  try {
    const data = JSON.parse(await readFile(file, 'utf8')) as unknown;
    return data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, ProfileEntry>) : {};
  } catch {
    return {};
  }
}

/** Write the whole store: created 0600 before the secret goes in, then renamed over the old file. */
async function writeStore(file: string, store: Record<string, ProfileEntry>): Promise<void> {
  const dir = path.dirname(file);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700).catch(() => undefined);
  const tmp = `${file}.tmp`;
  const fh = await open(tmp, 'w', 0o600);
  try {
    await fh.writeFile(`${JSON.stringify(store, null, 2)}\n`);
  } finally {
    await fh.close();
  }
  await chmod(tmp, 0o600);
  await rename(tmp, file).catch(async (err: unknown) => {
    await rm(tmp, { force: true });
    throw err;
  });
  await chmod(file, 0o600);
}

export async function loadProfile(env: Env, profile: string): Promise<ProfileEntry> {
  return (await readStore(credentialsPath(env)))[profile] ?? {};
}

/** Store a profile entry, leaving other profiles as they are. */
export async function saveProfile(env: Env, profile: string, entry: ProfileEntry): Promise<void> {
  const file = credentialsPath(env);
  const store = await readStore(file);
  store[profile] = entry;
  await writeStore(file, store);
}

/** Remove a profile's credential (its `api_url` stays). True when there was one. */
export async function clearProfile(env: Env, profile: string): Promise<boolean> {
  const file = credentialsPath(env);
  const store = await readStore(file);
  const entry = store[profile];
  if (!entry?.auth) return false;
  delete entry.auth;
  await writeStore(file, store);
  return true;
}

/** The credential a command runs with. */
export interface AuthContext {
  profile: string;
  apiUrl: string;
  auth: AuthEntry;
  /** From `GEOPERA_API_TOKEN` (never written back) */
  fromEnv: boolean;
}

/** Resolve the credential for a command, or a `LocalError` telling how to log in. */
export async function loadContext(flags: { profile?: string; apiUrl?: string }, env: Env): Promise<AuthContext> {
  const profile = profileName(flags.profile, env);
  const entry = await loadProfile(env, profile);
  const apiUrl = resolveApiUrl(flags.apiUrl, env, entry.api_url);
  const envToken = env.GEOPERA_API_TOKEN;
  if (envToken) {
    // As the official CLI: a `gpra_` value is an API key; anything else a bearer token.
    const auth: AuthEntry = envToken.startsWith('gpra_') ? { type: 'api_key', api_key: envToken } : { type: 'oauth', access_token: envToken, expires_at: null };
    return { profile, apiUrl, auth, fromEnv: true };
  }
  if (!entry.auth) throw new LocalError(`Not logged in (profile '${profile}'). Run 'geopera login --api-key KEY' or set GEOPERA_API_TOKEN.`);
  return { profile, apiUrl, auth: entry.auth, fromEnv: false };
}

/** The token and how to send it. */
export function tokenOf(auth: AuthEntry): { token: string; scheme: 'api-key' | 'bearer' } {
  return auth.type === 'api_key' ? { token: auth.api_key, scheme: 'api-key' } : { token: auth.access_token, scheme: 'bearer' };
}
