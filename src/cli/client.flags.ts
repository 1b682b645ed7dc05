/**
 * Command-line flags, generated from an operation's input schema the way the official CLI does it:
 * scalar fields become `--flags` (`_` → `-`), arrays of scalars become repeatable flags, anything else
 * travels in `--json`. Plus a small strict argv parser (`--a=b`, `--a b`, `--no-a`, `-o b`, `--`).
 * Pure: no I/O.
 */
import { z } from 'zod';

/** Thrown for mistakes on the command line or in local files (exit 1). */
export class LocalError extends Error {}

export type FlagKind = 'string' | 'integer' | 'number' | 'boolean';

/** A body field reachable as a flag. */
export interface FieldFlag {
  /** Body field name (`job_id`) */
  field: string;
  /** Flag name without dashes (`job-id`) */
  flag: string;
  kind: FlagKind;
  /** Repeatable (an array of scalars) */
  multiple: boolean;
  required: boolean;
}

interface JsonSchemaNode {
  type?: string | string[];
  items?: JsonSchemaNode;
  anyOf?: JsonSchemaNode[];
  properties?: Record<string, JsonSchemaNode>;
  required?: string[];
}

/** The non-null JSON type of a schema node (`['string','null']` → `string`; `anyOf [x, null]` → x's). */
function baseType(node: JsonSchemaNode): { type: string | undefined; node: JsonSchemaNode } {
  if (node.anyOf) {
    const real = node.anyOf.find((b) => b.type !== 'null');
    return real ? baseType(real) : { type: undefined, node };
  }
  const t = Array.isArray(node.type) ? node.type.find((x) => x !== 'null') : node.type;
  return { type: t, node };
}

const ScalarKinds: Record<string, FlagKind> = { string: 'string', integer: 'integer', number: 'number', boolean: 'boolean' };

/** The flags of an input schema (its input side: defaults optional). Fields that are objects get none. */
export function fieldFlags(schema: z.ZodType): FieldFlag[] {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchemaNode;
  const required = new Set(json.required ?? []);
  return Object.entries(json.properties ?? {}).flatMap(([field, prop]): FieldFlag[] => {
    const { type, node } = baseType(prop);
    const base = { field, flag: field.replaceAll('_', '-'), required: required.has(field) };
    if (type && ScalarKinds[type]) return [{ ...base, kind: ScalarKinds[type], multiple: false }];
    if (type === 'array' && node.items) {
      const item = baseType(node.items).type;
      if (item && item !== 'boolean' && ScalarKinds[item]) return [{ ...base, kind: ScalarKinds[item], multiple: true }];
    }
    return [];
  });
}

/** One option the parser accepts. */
export interface OptionSpec {
  /** Long name without dashes */
  name: string;
  type: 'string' | 'boolean';
  multiple?: boolean;
  /** One-letter alias (`o` for `-o`) */
  short?: string;
}

export type OptionValues = Record<string, string | string[] | boolean | undefined>;

/** Parse argv against the specs; unknown options and missing values are a `LocalError`. */
export function parseArgv(argv: readonly string[], specs: readonly OptionSpec[]): { values: OptionValues; positionals: string[] } {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short!, s]));
  const values: OptionValues = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    let spec: OptionSpec | undefined;
    let inline: string | undefined;
    let negated = false;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
      inline = eq >= 0 ? arg.slice(eq + 1) : undefined;
      spec = byName.get(name);
      if (!spec && name.startsWith('no-') && byName.get(name.slice(3))?.type === 'boolean') {
        spec = byName.get(name.slice(3));
        negated = true;
      }
      if (!spec) throw new LocalError(`Unknown option --${name} (see --help)`);
    } else if (/^-[A-Za-z]$/.test(arg)) {
      spec = byShort.get(arg.slice(1));
      if (!spec) throw new LocalError(`Unknown option ${arg} (see --help)`);
    } else {
      positionals.push(arg);
      continue;
    }
    if (spec.type === 'boolean') {
      if (inline !== undefined && !/^(true|false)$/.test(inline)) throw new LocalError(`--${spec.name} takes no value (or =true / =false)`);
      values[spec.name] = negated ? false : inline !== 'false';
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new LocalError(`--${spec.name} needs a value`);
    if (spec.multiple) values[spec.name] = [...((values[spec.name] as string[] | undefined) ?? []), value];
    else values[spec.name] = value;
  }
  return { values, positionals };
}

/** The parser specs for field flags (booleans get `--no-x`). */
export function flagSpecs(flags: readonly FieldFlag[]): OptionSpec[] {
  return flags.map((f) => ({ name: f.flag, type: f.kind === 'boolean' ? 'boolean' : 'string', multiple: f.multiple }));
}

function convert(flag: FieldFlag, text: string): unknown {
  if (flag.kind === 'string') return text;
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || (flag.kind === 'integer' && !Number.isInteger(n))) {
    throw new LocalError(`--${flag.flag} must be ${flag.kind === 'integer' ? 'an integer' : 'a number'}, got "${text}"`);
  }
  return n;
}

/** Put flag values into a body (flags override keys from `--json`). */
export function applyFlags(body: Record<string, unknown>, flags: readonly FieldFlag[], values: OptionValues): Record<string, unknown> {
  const out = { ...body };
  for (const f of flags) {
    const v = values[f.flag];
    if (v === undefined) continue;
    if (f.kind === 'boolean') out[f.field] = v;
    else if (f.multiple) out[f.field] = (v as string[]).map((x) => convert(f, x));
    else out[f.field] = convert(f, v as string);
  }
  return out;
}

/** Parse a JSON text given on the command line or read from a file / stdin; `where` names it in errors. */
export function parseJsonText(text: string, where: string): unknown {
  const trimmed = text.trim();
  if (!trimmed) return {};
  try {
    return JSON.parse(trimmed) as unknown;
  } catch (err) {
    throw new LocalError(`Invalid JSON in ${where}: ${(err as Error).message}`);
  }
}
