/**
 * `geopera login --api-key KEY|-`, `geopera whoami [--json]`, `geopera logout`, as the official CLI:
 * login checks the key against `userinfo` and stores it in the credential store; whoami prints the
 * principal; logout forgets the credential (and revokes an OAuth session).
 */
import { GeoperaClient, GeoperaError, problemMessage } from '../client/index.js';
import { clearProfile, loadContext, loadProfile, profileName, resolveApiUrl, saveProfile } from './client.credentials.js';
import { LocalError, parseArgv, type OptionSpec } from './client.flags.js';
import type { CliIo } from './client.io.js';
import { jsonText } from './client.output.js';
import { revokeSession, withClient } from './client.session.js';

const Common: OptionSpec[] = [{ name: 'api-url', type: 'string' }, { name: 'profile', type: 'string' }];

export async function login(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgv(args, [...Common, { name: 'api-key', type: 'string' }]);
  if (positionals.length > 0) throw new LocalError(`Unexpected argument "${positionals[0]}"`);
  if (values['api-key'] === undefined) {
    throw new LocalError('geopera has no browser sign-in (device flow); use geopera login --api-key KEY (or --api-key - to read it from stdin)');
  }
  const profile = profileName(values.profile as string | undefined, io.env);
  const stored = await loadProfile(io.env, profile);
  const apiUrl = resolveApiUrl(values['api-url'] as string | undefined, io.env, stored.api_url);
  let key = values['api-key'] as string;
  if (key === '-') key = (await io.readStdin()).split('\n')[0]!.trim();
  if (!key) throw new LocalError('No API key provided.');
  if (!key.startsWith('gpra_')) io.stderr.write(`Note: this key has no 'gpra_' prefix; geopera keys start with 'gpra_'.\n`);

  let who: string;
  try {
    const info = await new GeoperaClient({ token: key, baseUrl: apiUrl, auth: 'api-key', retries: 1 }).userinfo();
    who = info.geopera_principal_id || info.sub || 'api key';
  } catch (err) {
    const reason = err instanceof GeoperaError ? `[${err.status}] ${problemMessage(err.problem, 'rejected')}` : (err as Error).message;
    throw new LocalError(`API key validation failed: ${reason}`);
  }
  await saveProfile(io.env, profile, { ...stored, api_url: apiUrl, auth: { type: 'api_key', api_key: key } });
  io.stdout.write(`Logged in as ${who} (API key, profile '${profile}').\n`);
  return 0;
}

export async function whoami(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgv(args, [...Common, { name: 'json', type: 'boolean' }]);
  if (positionals.length > 0) throw new LocalError(`Unexpected argument "${positionals[0]}"`);
  const ctx = await loadContext({ profile: values.profile as string | undefined, apiUrl: values['api-url'] as string | undefined }, io.env);
  const info = await withClient(ctx, io.env, {}, (client) => client.userinfo());
  if (values.json) {
    io.stdout.write(jsonText(info));
    return 0;
  }
  io.stdout.write([
    `sub:             ${info.sub ?? '-'}`,
    `principal_type:  ${info.geopera_principal_type ?? '-'}`,
    `org_id:          ${info.geopera_org_id ?? '-'}`,
    `scope:           ${info.scope ?? '-'}`,
    `api_url:         ${ctx.apiUrl}`,
    `profile:         ${ctx.profile}`,
  ].join('\n') + '\n');
  return 0;
}

export async function logout(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgv(args, Common);
  if (positionals.length > 0) throw new LocalError(`Unexpected argument "${positionals[0]}"`);
  const profile = profileName(values.profile as string | undefined, io.env);
  const entry = await loadProfile(io.env, profile);
  if (entry.auth?.type === 'oauth') await revokeSession(resolveApiUrl(values['api-url'] as string | undefined, io.env, entry.api_url), entry.auth);
  if (await clearProfile(io.env, profile)) io.stdout.write(`Logged out (profile '${profile}').\n`);
  else io.stdout.write(`No stored credentials for profile '${profile}'.\n`);
  return 0;
}
