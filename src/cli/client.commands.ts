/**
 * The API client commands of `geopera`: the generated `geopera clip …` tree, `geopera op`, and
 * `login` / `whoami` / `logout`. Exit codes as the official CLI: 0 done, 2 the server answered an error
 * (or a waited-for job failed), 1 a local failure (usage, files, no credential, server unreachable).
 */
import { generateApiKey } from '../auth/api.key.js';
import { ChecksumError, GeoperaError, problemMessage, type GeoperaClient, type Job, type OperationId } from '../client/index.js';
import { OperationList } from '../operations/registry.js';
import { login, logout, whoami } from './client.auth.js';
import { loadContext } from './client.credentials.js';
import { applyFlags, flagSpecs, LocalError, parseArgv, parseJsonText, type OptionSpec, type OptionValues } from './client.flags.js';
import { commandHelp, groupHelp } from './client.help.js';
import { processIo, type CliIo } from './client.io.js';
import { jsonText } from './client.output.js';
import { JobFailed, runDownload, runList, waitAndPrint } from './client.results.js';
import { withClient, type ClientHooks } from './client.session.js';
import { buildCommands, lookupCommand, type OpCommand } from './client.tree.js';

/** The generated commands (one per operation). */
export const OpCommands: readonly OpCommand[] = buildCommands();

/** First words that belong to the client commands. */
export const ClientRoots: ReadonlySet<string> = new Set([...OpCommands.map((c) => c.path[0]!), 'op', 'login', 'logout', 'whoami', 'keygen']);

const Common: OptionSpec[] = [
  { name: 'api-url', type: 'string' },
  { name: 'profile', type: 'string' },
  { name: 'help', type: 'boolean', short: 'h' },
];

/** Run a client command; resolves the exit code. */
export async function runClient(argv: string[], io: CliIo = processIo()): Promise<number> {
  try {
    const [first, ...rest] = argv;
    if (first === 'login') return await login(rest, io);
    if (first === 'whoami') return await whoami(rest, io);
    if (first === 'logout') return await logout(rest, io);
    if (first === 'op') return await runOp(rest, io);
    if (first === 'keygen') {
      // Offline: a well-formed key for GEOPERA_BOOTSTRAP_KEY (docker, sandboxes); nothing is stored.
      if (rest.length > 0) throw new LocalError('geopera keygen takes no arguments');
      io.stdout.write(`${generateApiKey()}\n`);
      return 0;
    }
    const found = lookupCommand(argv, OpCommands);
    if (found.kind === 'command') return await runCommand(found.command, found.rest, io);
    if (found.kind === 'group') {
      const next = found.rest[0];
      if (next === undefined || next === '--help' || next === '-h' || next === 'help') {
        io.stdout.write(groupHelp(found.path, found.commands));
        return 0;
      }
      throw new LocalError(`Unknown command "geopera ${found.path.join(' ')} ${next}"\n\n${groupHelp(found.path, found.commands)}`);
    }
    throw new LocalError(`Unknown command "${first ?? ''}" (geopera --help lists them)`);
  } catch (err) {
    return reportError(err, io);
  }
}

function reportError(err: unknown, io: CliIo): number {
  if (err instanceof GeoperaError) {
    const ref = err.status >= 500 && err.requestId ? ` (request ${err.requestId})` : '';
    io.stderr.write(`Error: [${err.status}] ${problemMessage(err.problem, `HTTP ${err.status}`)}${ref}\n`);
    return 2;
  }
  io.stderr.write(`Error: ${(err as Error)?.message ?? String(err)}\n`);
  return err instanceof JobFailed || err instanceof ChecksumError ? 2 : 1;
}

function isNetworkError(err: unknown): boolean {
  return err instanceof TypeError && /fetch failed/i.test(err.message);
}

function retryNotices(io: CliIo): ClientHooks {
  return { onRetry: (n) => io.stderr.write(`geopera: ${n.operation}: ${n.reason}; retry ${n.retry} in ${(n.delayMs / 1000).toFixed(1)} s\n`) };
}

/** A JSON body from `--json` / a positional: inline text, `@file`, or `-` for stdin. */
async function readJsonArg(arg: string, io: CliIo, where: string): Promise<unknown> {
  if (arg === '-') return parseJsonText(await io.readStdin(), `${where} (stdin)`);
  if (arg.startsWith('@')) return parseJsonText(await readLocal(arg.slice(1)), arg.slice(1));
  return parseJsonText(arg, where);
}

async function readLocal(file: string): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new LocalError(`Cannot read ${file}: ${(err as Error).message}`);
  }
}

function asObject(value: unknown, what: string): Record<string, unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new LocalError(`${what} must be a JSON object`);
  return value as Record<string, unknown>;
}

/** Run `fn` with a client for the resolved credential; an unreachable server is a local failure. */
async function withApi<T>(values: OptionValues, io: CliIo, fn: (client: GeoperaClient) => Promise<T>): Promise<T> {
  const ctx = await loadContext({ profile: values.profile as string | undefined, apiUrl: values['api-url'] as string | undefined }, io.env);
  try {
    return await withClient(ctx, io.env, retryNotices(io), (client) => fn(client));
  } catch (err) {
    if (isNetworkError(err)) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new LocalError(`Cannot reach ${ctx.apiUrl}: ${cause?.code ?? cause?.message ?? (err as Error).message}`);
    }
    throw err;
  }
}

/** `geopera op <operation_id> [JSON|-] [--file F]`, `geopera op --list` */
async function runOp(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgv(args, [...Common, { name: 'list', type: 'boolean' }, { name: 'file', type: 'string', short: 'f' }]);
  if (values.help) {
    io.stdout.write('geopera op <operation_id> [JSON|-] [--file FILE]   POST /v1/op/<operation_id> with a JSON body (default {})\ngeopera op --list                                  the operation ids\n');
    return 0;
  }
  if (values.list) {
    for (const op of OperationList) io.stdout.write(`${op.id}\n`);
    io.stderr.write(`\n${OperationList.length} operations.\n`);
    return 0;
  }
  const [id, text, extra] = positionals;
  if (!id) throw new LocalError('OPERATION_ID is required (or use --list).');
  if (extra !== undefined) throw new LocalError(`Unexpected argument "${extra}"`);
  let body: unknown = {};
  if (values.file) body = parseJsonText(await readLocal(values.file as string), values.file as string);
  else if (text === '-') body = parseJsonText(await io.readStdin(), 'stdin');
  else if (text !== undefined) body = parseJsonText(text, 'the JSON body');
  const result = await withApi(values, io, (client) => client.invoke(id as OperationId, body as never));
  io.stdout.write(jsonText(result));
  return 0;
}

function specsFor(c: OpCommand): OptionSpec[] {
  const specs: OptionSpec[] = [...flagSpecs(c.flags), ...Common, { name: 'json', type: 'string' }];
  if (c.takesAoi) specs.push({ name: 'aoi', type: 'string' });
  if (c.op.sideEffect === 'spend') specs.push({ name: 'wait', type: 'boolean' }, { name: 'idempotency-key', type: 'string' });
  if (c.op.response === 'list') specs.push({ name: 'format', type: 'string' });
  if (c.op.response === 'file') specs.push({ name: 'output', type: 'string', short: 'o' }, { name: 'resume', type: 'boolean' });
  return specs;
}

/** One generated command: body from `--json`, flags and `--aoi`; then call, stream, download or wait. */
async function runCommand(c: OpCommand, args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgv(args, specsFor(c));
  if (values.help) {
    io.stdout.write(commandHelp(c));
    return 0;
  }
  if (positionals.length > 0) throw new LocalError(`Unexpected argument "${positionals[0]}" (flags are --name value; see --help)`);
  if (values.json === '-' && values.aoi === '-') throw new LocalError('--json and --aoi cannot both read stdin');
  const format = values.format as string | undefined;
  if (format !== undefined && !['ndjson', 'table', 'json'].includes(format)) throw new LocalError(`--format must be ndjson, table or json, got "${format}"`);

  let body = values.json === undefined ? {} : asObject(await readJsonArg(values.json as string, io, '--json'), '--json');
  body = applyFlags(body, c.flags, values);
  if (values.aoi !== undefined) {
    const aoiArg = values.aoi as string;
    body.aoi_geometry = asObject(aoiArg === '-' ? parseJsonText(await io.readStdin(), '--aoi (stdin)') : parseJsonText(await readLocal(aoiArg), aoiArg), '--aoi');
  }
  const needsOrg = c.flags.some((f) => f.field === 'organization_id' && f.required);
  const id = c.op.id as OperationId;

  return withApi(values, io, async (client) => {
    // The official CLI makes you pass the org; ours defaults it to the credential's own.
    if (needsOrg && body.organization_id === undefined) body.organization_id = (await client.userinfo()).geopera_org_id;
    if (c.op.response === 'list') return runList(client, id, body, format ?? (io.stdout.isTTY ? 'table' : 'ndjson'), io);
    if (c.op.response === 'file' && values.output !== undefined) return runDownload(client, id, body, values, io);
    const result = await client.invoke(id, body as never, { idempotencyKey: values['idempotency-key'] as string | undefined });
    if (values.wait) return waitAndPrint(client, result as { job: Job }, io);
    io.stdout.write(jsonText(result));
    return 0;
  });
}
