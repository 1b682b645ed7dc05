/**
 * The `geopera clip …` command tree, generated from the operations registry as the official CLI does
 * from its spec: dots become command groups, `_` becomes `-` (`clip.job.tile_info` →
 * `geopera clip job tile-info`), each operation a leaf with its field flags. Pure.
 */
import type { z } from 'zod';
import { CreateFromItemFields } from '../operations/op.schemas.js';
import type { OperationDef } from '../operations/op.types.js';
import { OperationList } from '../operations/registry.js';
import { fieldFlags, type FieldFlag } from './client.flags.js';

/** Free-form operations whose documented fields still deserve flags. */
const FlagSchemas: Record<string, z.ZodType> = { 'clip.create_from_item': CreateFromItemFields };

/** One generated command. */
export interface OpCommand {
  /** Words after `geopera` (`['clip', 'job', 'tile-info']`) */
  path: string[];
  op: OperationDef;
  flags: FieldFlag[];
  /** Takes `--aoi FILE|-` (the body has `aoi_geometry`) */
  takesAoi: boolean;
}

/** The command words of an operation id. */
export function commandPath(id: string): string[] {
  return id.split('.').map((part) => part.replaceAll('_', '-'));
}

export function buildCommands(ops: readonly OperationDef[] = OperationList): OpCommand[] {
  return ops.map((op) => {
    const flags = fieldFlags(FlagSchemas[op.id] ?? op.input);
    const takesAoi = 'aoi_geometry' in (shapeOf(FlagSchemas[op.id] ?? op.input));
    return { path: commandPath(op.id), op, flags, takesAoi };
  });
}

function shapeOf(schema: z.ZodType): Record<string, unknown> {
  const shape = (schema as unknown as { shape?: Record<string, unknown> }).shape;
  return shape ?? {};
}

export type Lookup =
  | { kind: 'command'; command: OpCommand; rest: string[] }
  | { kind: 'group'; path: string[]; commands: OpCommand[]; rest: string[] }
  | { kind: 'none' };

/** Match the leading words of argv to a command (or to a group, for help). */
export function lookupCommand(argv: readonly string[], commands: readonly OpCommand[]): Lookup {
  const words: string[] = [];
  for (const word of argv) {
    if (word.startsWith('-')) break;
    const candidate = [...words, word];
    const exact = commands.find((c) => c.path.length === candidate.length && c.path.every((p, i) => p === candidate[i]));
    if (exact) return { kind: 'command', command: exact, rest: argv.slice(candidate.length) };
    if (!commands.some((c) => candidate.every((p, i) => c.path[i] === p))) break;
    words.push(word);
  }
  if (words.length === 0) return { kind: 'none' };
  const below = commands.filter((c) => words.every((p, i) => c.path[i] === p));
  return { kind: 'group', path: words, commands: below, rest: argv.slice(words.length) };
}
