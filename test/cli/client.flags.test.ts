/** Flags generated from the input schemas, the argv parser, and the command tree (pure). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyFlags, fieldFlags, flagSpecs, LocalError, parseArgv, parseJsonText } from '../../src/cli/client.flags.js';
import { buildCommands, commandPath, lookupCommand } from '../../src/cli/client.tree.js';
import { CreateFromAreaInput, JobsListInput } from '../../src/operations/op.schemas.js';
import { OperationList } from '../../src/operations/registry.js';

describe('field flags from input schemas', () => {
  it('makes scalar fields flags, arrays repeatable, objects none', () => {
    assert.deepEqual(fieldFlags(CreateFromAreaInput), [
      { field: 'area', flag: 'area', kind: 'string', multiple: false, required: true },
      { field: 'mosaic_types', flag: 'mosaic-types', kind: 'string', multiple: true, required: true },
      { field: 'aoi_name', flag: 'aoi-name', kind: 'string', multiple: false, required: false },
      { field: 'project_id', flag: 'project-id', kind: 'string', multiple: false, required: false },
      { field: 'organization_id', flag: 'organization-id', kind: 'string', multiple: false, required: true },
    ]);
  });

  it('reads the input side of defaults and transforms (limit and offset optional integers)', () => {
    const flags = fieldFlags(JobsListInput);
    assert.deepEqual(flags.find((f) => f.field === 'limit'), { field: 'limit', flag: 'limit', kind: 'integer', multiple: false, required: false });
    assert.equal(flags.find((f) => f.field === 'status')?.required, false);
  });

  it('puts flag values into the body over --json keys, converting numbers', () => {
    const flags = fieldFlags(JobsListInput);
    const { values } = parseArgv(['--limit', '5', '--organization-id=acme'], flagSpecs(flags));
    assert.deepEqual(applyFlags({ organization_id: 'x', offset: 2 }, flags, values), { organization_id: 'acme', offset: 2, limit: 5 });
    assert.throws(() => applyFlags({}, flags, { limit: '2.5' }), /--limit must be an integer, got "2.5"/);
  });
});

describe('argv parser', () => {
  const specs = [
    { name: 'area', type: 'string' as const },
    { name: 'mosaic-types', type: 'string' as const, multiple: true },
    { name: 'wait', type: 'boolean' as const },
    { name: 'output', type: 'string' as const, short: 'o' },
  ];

  it('takes --a b, --a=b, repeated flags, booleans, --no-x, short aliases and --', () => {
    const r = parseArgv(['--area', 'x', '--mosaic-types=v', '--mosaic-types', 'a', '--wait', '-o', 'f.tif', 'pos', '--', '--area'], specs);
    assert.deepEqual(r.values, { area: 'x', 'mosaic-types': ['v', 'a'], wait: true, output: 'f.tif' });
    assert.deepEqual(r.positionals, ['pos', '--area']);
    assert.equal(parseArgv(['--no-wait'], specs).values.wait, false);
    assert.equal(parseArgv(['--area', '-'], specs).values.area, '-', 'a dash is a value (stdin)');
  });

  it('refuses unknown options and missing values', () => {
    assert.throws(() => parseArgv(['--nope'], specs), LocalError);
    assert.throws(() => parseArgv(['-x'], specs), /Unknown option -x/);
    assert.throws(() => parseArgv(['--area'], specs), /--area needs a value/);
    assert.throws(() => parseArgv(['--wait=yes'], specs), /takes no value/);
  });

  it('reports bad JSON with where it came from; empty text is {}', () => {
    assert.deepEqual(parseJsonText('  ', 'x'), {});
    assert.throws(() => parseJsonText('{', 'body.json'), /Invalid JSON in body.json/);
  });
});

describe('command tree', () => {
  const commands = buildCommands();

  it('has one command per operation: dots are groups, underscores dashes', () => {
    assert.deepEqual(commands.map((c) => c.op.id), OperationList.map((o) => o.id));
    assert.deepEqual(commandPath('clip.job.tile_info'), ['clip', 'job', 'tile-info']);
    assert.deepEqual(commandPath('clip.create_from_area'), ['clip', 'create-from-area']);
  });

  it('gives the free-form create_from_item its documented fields as flags, and --aoi where aoi_geometry is', () => {
    const item = commands.find((c) => c.op.id === 'clip.create_from_item')!;
    assert.ok(item.flags.some((f) => f.flag === 'source-item-id'));
    assert.ok(item.flags.some((f) => f.flag === 'asset-keys' && f.multiple));
    assert.deepEqual(commands.filter((c) => c.takesAoi).map((c) => c.op.id), ['clip.create_from_area', 'clip.create_from_item', 'clip.quote_from_area']);
  });

  it('finds commands and groups from leading words', () => {
    const found = lookupCommand(['clip', 'job', 'tile-info', '--job-id', 'j'], commands);
    assert.equal(found.kind, 'command');
    assert.equal(found.kind === 'command' && found.command.op.id, 'clip.job.tile_info');
    assert.deepEqual(found.kind === 'command' && found.rest, ['--job-id', 'j']);
    const group = lookupCommand(['clip', 'job'], commands);
    assert.equal(group.kind, 'group');
    assert.equal(group.kind === 'group' && group.commands.length, 5);
    assert.equal(lookupCommand(['nope'], commands).kind, 'none');
  });
});
