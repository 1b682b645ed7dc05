/** Help texts of the client commands, generated from the command tree (so every operation is listed). */
import { DEFAULT_BASE_URL } from '../client/index.js';
import type { FieldFlag } from './client.flags.js';
import type { OpCommand } from './client.tree.js';

const Environment = `Environment:
  GEOPERA_API_URL      server base URL (default ${DEFAULT_BASE_URL}; --api-url overrides it)
  GEOPERA_API_TOKEN    credential for this run: a gpra_ API key (sent as X-API-Key) or an access token (Bearer)
  GEOPERA_PROFILE      stored profile to use (default "default"; --profile overrides it)
  GEOPERA_CONFIG_DIR   where credentials.json lives (default ~/.config/geopera, shared with the official CLI)`;

function pad(text: string, width: number): string {
  return text.length >= width ? `${text}  ` : text.padEnd(width);
}

/** The list of generated commands: words, operation id, summary. */
export function commandList(commands: readonly OpCommand[], indent = '  '): string {
  const width = Math.max(...commands.map((c) => c.path.join(' ').length)) + 2;
  const idWidth = Math.max(...commands.map((c) => c.op.id.length)) + 2;
  return commands.map((c) => `${indent}geopera ${pad(c.path.join(' '), width)}${pad(c.op.id, idWidth)}${c.op.summary}`).join('\n');
}

/** The client part of `geopera --help`. */
export function clientUsage(commands: readonly OpCommand[]): string {
  return `Operations (one command each; geopera <command> --help shows its flags):
${commandList(commands)}

Client commands:
  geopera op <operation_id> [JSON|-]   invoke any operation with a JSON body (--file F; --list lists the ids)
  geopera login --api-key KEY|-        check an API key against the server and store it (file mode 0600)
  geopera whoami [--json]              the principal, organization and scopes of the credential
  geopera logout                       forget the stored credential of the profile
  geopera keygen                       print a new well-formed gpra_ key for GEOPERA_BOOTSTRAP_KEY (offline)

Every client command takes --api-url URL and --profile NAME. Output is indented JSON on stdout; list
commands stream records (NDJSON, or a table on a terminal; --format json for one document). Errors:
"Error: [status] detail" on stderr with exit code 2; local failures (usage, files) exit 1.

${Environment}`;
}

/** Help of a command group (`geopera clip job --help`). */
export function groupHelp(path: readonly string[], commands: readonly OpCommand[]): string {
  return `geopera ${path.join(' ')} — commands:\n\n${commandList(commands)}\n`;
}

function flagLine(f: FieldFlag, orgDefault: boolean): string {
  const arg = f.kind === 'boolean' ? '' : f.kind === 'string' ? ' TEXT' : f.kind === 'integer' ? ' INT' : ' NUMBER';
  const notes = [
    f.multiple ? 'repeatable' : '',
    f.required ? '[required]' : '',
    orgDefault && f.field === 'organization_id' ? '(default: the organization of your credential)' : '',
  ].filter(Boolean).join(' ');
  return `  ${pad(`--${f.flag}${arg}`, 30)}${notes}`.trimEnd();
}

/** Help of one generated command. */
export function commandHelp(c: OpCommand): string {
  const { op } = c;
  const orgDefault = c.flags.some((f) => f.field === 'organization_id' && f.required);
  const lines = [
    `geopera ${c.path.join(' ')} — ${op.summary}`,
    '',
    `Operation ${op.id}: scope ${op.scope}, ${op.sideEffect}; POST /v1/op/${op.id}`,
    '',
    'Flags (body fields):',
    ...c.flags.map((f) => flagLine(f, orgDefault)),
  ];
  if (c.takesAoi) lines.push(`  ${pad('--aoi FILE|-', 30)}GeoJSON (geometry, Feature or FeatureCollection) for aoi_geometry`);
  lines.push(`  ${pad('--json JSON|@FILE|-', 30)}the whole body as JSON; flags override its keys`);
  lines.push('', 'Options:');
  if (op.sideEffect === 'spend') {
    lines.push(`  ${pad('--wait', 30)}wait until the job is completed, failed or canceled (progress on stderr)`);
    lines.push(`  ${pad('--idempotency-key KEY', 30)}Idempotency-Key to send (default: a new one, reused by retries)`);
  }
  if (op.response === 'list') lines.push(`  ${pad('--format ndjson|table|json', 30)}records as NDJSON (default off a terminal), a table (default on one), or one JSON document`);
  if (op.response === 'file') {
    lines.push(`  ${pad('--output, -o FILE|-', 30)}write the file (progress on stderr, resumes a partial FILE, checks SHA-256); - for stdout`);
    lines.push(`  ${pad('--no-resume', 30)}start FILE over instead of resuming it`);
    lines.push(`  ${''.padEnd(32)}without --output: the JSON descriptor with a signed link`);
  }
  lines.push(`  ${pad('--api-url URL', 30)}server base URL (env GEOPERA_API_URL)`);
  lines.push(`  ${pad('--profile NAME', 30)}stored credential profile (env GEOPERA_PROFILE)`);
  return `${lines.join('\n')}\n`;
}
