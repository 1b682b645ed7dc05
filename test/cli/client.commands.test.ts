/**
 * `geopera clip …` against a live server, spawned as a process: help lists every operation, each
 * operation through its generated command (flags, `--json`, `--aoi`), lists streamed as NDJSON, a clip
 * created with `--wait`, downloaded with `--output` (SHA-256 checked, resumed), and the official CLI's
 * error convention (`Error: [status] detail`, exit 2; local failures exit 1).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { isWellFormedApiKey } from '../../src/auth/api.key.js';
import { OperationList } from '../../src/operations/registry.js';
import { startClientWorld, worldSkip, type ClientWorld } from '../client/client.world.js';
import { ndjson, runCli } from './client.cli.js';

/** A loopback port nothing listens on (taken, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const commandOf = (id: string): string => id.split('.').map((p) => p.replaceAll('_', '-')).join(' ');

describe('geopera CLI help', () => {
  it('lists all eleven operations (and geopera extensions) with their commands', async () => {
    const r = await runCli(['--help']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(OperationList.filter((o) => !o.extension).length, 11);
    for (const op of OperationList) {
      assert.ok(r.stdout.includes(op.id), `help names ${op.id}`);
      assert.ok(r.stdout.includes(`geopera ${commandOf(op.id)}`), `help shows geopera ${commandOf(op.id)}`);
    }
    assert.match(r.stdout, /geopera serve/);
    assert.match(r.stdout, /geopera admin org create/);
  });

  it('shows a group and a command with their flags', async () => {
    const group = await runCli(['clip', 'job', '--help']);
    assert.equal(group.status, 0);
    for (const leaf of ['get', 'delete', 'download', 'downloads', 'tile-info']) assert.match(group.stdout, new RegExp(`geopera clip job ${leaf} `));
    const cmd = await runCli(['clip', 'create-from-area', '--help']);
    assert.equal(cmd.status, 0);
    for (const flag of ['--area TEXT', '--mosaic-types TEXT', '--organization-id TEXT', '--aoi FILE|-', '--json JSON|@FILE|-', '--wait']) assert.ok(cmd.stdout.includes(flag), flag);
    assert.match(cmd.stdout, /--mosaic-types TEXT\s+repeatable \[required\]/);
  });

  it('op --list prints every operation id', async () => {
    const r = await runCli(['op', '--list']);
    assert.equal(r.status, 0);
    assert.deepEqual(r.stdout.trim().split('\n'), OperationList.map((o) => o.id));
    assert.match(r.stderr, new RegExp(`${OperationList.length} operations`));
  });

  it('keygen prints a new well-formed key offline (for GEOPERA_BOOTSTRAP_KEY)', async () => {
    const a = await runCli(['keygen']);
    const b = await runCli(['keygen']);
    assert.equal(a.status, 0);
    assert.ok(isWellFormedApiKey(a.stdout.trim()), a.stdout);
    assert.notEqual(a.stdout, b.stdout);
  });

  it('local mistakes exit 1 without calling a server', async () => {
    const env = { GEOPERA_API_URL: 'http://127.0.0.1:9', GEOPERA_API_TOKEN: 'gpra_x' };
    const unknown = await runCli(['clip', 'area', 'mosaics', '--nope', 'x'], { env });
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /^Error: Unknown option --nope/);
    const badJson = await runCli(['clip', 'area', 'mosaics', '--json', '{bad'], { env });
    assert.equal(badJson.status, 1);
    assert.match(badJson.stderr, /^Error: Invalid JSON in --json/);
    const noFile = await runCli(['clip', 'create-from-area', '--aoi', '/no/such/aoi.geojson'], { env });
    assert.equal(noFile.status, 1);
    assert.match(noFile.stderr, /^Error: Cannot read \/no\/such\/aoi.geojson/);
    const badInt = await runCli(['clip', 'jobs', 'list', '--limit', 'ten'], { env });
    assert.equal(badInt.status, 1);
    assert.match(badInt.stderr, /--limit must be an integer/);
  });

  it('an unreachable server is a local failure (exit 1), after the retries it announces', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const r = await runCli(['clip', 'areas', 'list'], { env: { GEOPERA_API_URL: url, GEOPERA_API_TOKEN: 'gpra_x' } });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /geopera: clip.areas.list: ECONNREFUSED; retry 1 in/);
    assert.ok(r.stderr.endsWith(`Error: Cannot reach ${url}: ECONNREFUSED\n`), r.stderr);
  });
});

describe('geopera CLI against a live server', { skip: worldSkip }, () => {
  let w: ClientWorld;
  let dir: string;
  let env: Record<string, string>;
  let jobId: string;
  let mosaic: string;
  const called = new Set<string>();

  before(async () => {
    w = await startClientWorld();
    dir = await mkdtemp(path.join(os.tmpdir(), 'geopera-cli-'));
    env = { GEOPERA_API_URL: w.t.url, GEOPERA_API_TOKEN: w.t.key, GEOPERA_CONFIG_DIR: dir };
    mosaic = w.mosaicTypes[0]!;
    await writeFile(path.join(dir, 'aoi.geojson'), JSON.stringify({ type: 'Feature', properties: { name: 'cli-aoi' }, geometry: w.aoi }));
  });
  after(async () => {
    await w?.t.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const cli = async (args: string[], opts: { input?: string; status?: number } = {}) => {
    const r = await runCli(args, { env, input: opts.input });
    assert.equal(r.status, opts.status ?? 0, `geopera ${args.join(' ')}\n${r.stderr}`);
    return r;
  };

  it('streams areas as NDJSON, or prints one indented JSON document with --format json', async () => {
    const lines = ndjson((await cli(['clip', 'areas', 'list'])).stdout);
    called.add('clip.areas.list');
    assert.ok(lines.some((a) => a.id === w.area));
    const doc = await cli(['clip', 'areas', 'list', '--format', 'json']);
    assert.match(doc.stdout, /^\{\n {2}"items": \[/);
    assert.deepEqual((JSON.parse(doc.stdout) as { items: unknown[] }).items, lines);
  });

  it('describes mosaics and capture dates of an area', async () => {
    const mosaics = ndjson((await cli(['clip', 'area', 'mosaics', '--area', w.area])).stdout);
    called.add('clip.area.mosaics');
    assert.deepEqual(mosaics.map((m) => m.mosaic_type).sort(), [...w.mosaicTypes].sort());
    const meta = JSON.parse((await cli(['clip', 'area', 'metadata', '--json', JSON.stringify({ area: w.area }), '--format', 'json'])).stdout) as { type: string; features: unknown[] };
    called.add('clip.area.metadata');
    assert.equal(meta.type, 'FeatureCollection');
    assert.ok(meta.features.length > 0);
  });

  it('reports server errors as "Error: [status] detail" with exit 2', async () => {
    const missing = await cli(['clip', 'area', 'mosaics', '--area', 'no-such-area'], { status: 2 });
    assert.equal(missing.stderr, 'Error: [404] Area "no-such-area" does not exist\n');
    assert.equal(missing.stdout, '');
    const invalid = await cli(['clip', 'area', 'mosaics'], { status: 2 });
    assert.match(invalid.stderr, /^Error: \[422\] area: /);
  });

  it('creates a clip from an area with --json @file, flags that override it, --aoi, and --wait', async () => {
    const bodyFile = path.join(dir, 'body.json');
    await writeFile(bodyFile, JSON.stringify({ area: 'overridden-by-flag', mosaic_types: [mosaic], aoi_name: 'from-json' }));
    const q = await cli(['clip', 'quote-from-area', '--area', w.area, '--mosaic-types', mosaic, '--aoi', path.join(dir, 'aoi.geojson')]);
    called.add('clip.quote_from_area');
    const quote = JSON.parse(q.stdout) as { cost_km2: number; organization_id: string };
    assert.equal(quote.organization_id, w.orgId);
    const r = await cli(['clip', 'create-from-area', '--json', `@${bodyFile}`, '--area', w.area, '--aoi', path.join(dir, 'aoi.geojson'), '--wait']);
    called.add('clip.create_from_area');
    const out = JSON.parse(r.stdout) as { job: { id: string; status: string; area: string; aoi_name: string; organization_id: string; cost_km2: number } };
    jobId = out.job.id;
    assert.equal(out.job.area, w.area);
    assert.equal(out.job.aoi_name, 'from-json');
    assert.equal(out.job.organization_id, w.orgId, 'organization_id defaults to the credential\'s org');
    assert.equal(out.job.status, 'completed');
    assert.equal(out.job.cost_km2, quote.cost_km2, 'quoted as created');
    assert.match(r.stderr, /\] 100% job_\S+ completed/);
  });

  it('gets a job and lists jobs (organization defaulted)', async () => {
    const job = JSON.parse((await cli(['clip', 'job', 'get', '--job-id', jobId])).stdout) as { id: string };
    called.add('clip.job.get');
    assert.equal(job.id, jobId);
    const jobs = ndjson((await cli(['clip', 'jobs', 'list', '--limit', '5', '--status', 'completed'])).stdout);
    called.add('clip.jobs.list');
    assert.equal(jobs[0]!.id, jobId);
  });

  it('lists download descriptors; download without --output answers the descriptor', async () => {
    const list = ndjson((await cli(['clip', 'job', 'downloads', '--job-id', jobId])).stdout);
    called.add('clip.job.downloads');
    assert.equal(list[0]!.mosaic_type, mosaic);
    const desc = JSON.parse((await cli(['clip', 'job', 'download', '--job-id', jobId, '--mosaic-type', mosaic])).stdout) as { sha256: string; url: string };
    called.add('clip.job.download');
    assert.equal(desc.sha256, list[0]!.sha256);
  });

  it('downloads with --output (progress on stderr, SHA-256 checked) and resumes a partial file', async () => {
    const file = path.join(dir, 'clip.tif');
    const r = await cli(['clip', 'job', 'download', '--job-id', jobId, '--mosaic-type', mosaic, '--output', file]);
    const result = JSON.parse(r.stdout) as { sha256: string; size_bytes: number; verified: boolean };
    const bytes = await readFile(file);
    assert.equal(createHash('sha256').update(bytes).digest('hex'), result.sha256);
    assert.equal(result.verified, true);
    assert.equal(bytes.length, result.size_bytes);
    assert.match(r.stderr, /100%/);

    const file2 = path.join(dir, 'resumed.tif');
    const third = Math.floor(bytes.length / 3);
    await writeFile(`${file2}.part`, bytes.subarray(0, third));
    await writeFile(`${file2}.part.json`, JSON.stringify({ etag: `"${result.sha256}"`, size: bytes.length }));
    const again = JSON.parse((await cli(['clip', 'job', 'download', '--job-id', jobId, '--mosaic-type', mosaic, '-o', file2])).stdout) as { resumed_from: number };
    assert.equal(again.resumed_from, third);
    assert.deepEqual(await readFile(file2), bytes);

    const piped = await runCli(['clip', 'job', 'download', '--job-id', jobId, '--mosaic-type', mosaic, '--output', '-'], { env });
    assert.equal(piped.status, 0, piped.stderr);
    assert.deepEqual(piped.bytes, bytes);
  });

  it('answers tile info', async () => {
    const info = await cli(['clip', 'job', 'tile-info', '--job-id', jobId]);
    called.add('clip.job.tile_info');
    assert.match(info.stdout, /\{z\}\/\{x\}\/\{y\}/);
  });

  it('creates a clip from a STAC Item with the AOI on stdin', async () => {
    const r = await cli(['clip', 'create-from-item', '--source-item-id', w.itemId, '--aoi', '-', '--output-name', 'cli-item'], { input: JSON.stringify(w.aoi) });
    called.add('clip.create_from_item');
    const out = JSON.parse(r.stdout) as { job: { id: string; source_item_id: string }; asset_keys: string[] };
    assert.equal(out.job.source_item_id, w.itemId);
    assert.ok(out.asset_keys.length > 0);
  });

  it('invokes any operation with geopera op, body inline or on stdin', async () => {
    const inline = JSON.parse((await cli(['op', 'clip.job.get', JSON.stringify({ job_id: jobId })])).stdout) as { id: string };
    assert.equal(inline.id, jobId);
    const piped = JSON.parse((await cli(['op', 'clip.job.get', '-'], { input: JSON.stringify({ job_id: jobId }) })).stdout) as { id: string };
    assert.equal(piped.id, jobId);
    const list = JSON.parse((await cli(['op', 'clip.areas.list'])).stdout) as { items: unknown[] };
    assert.ok(list.items.length > 0, 'op answers the JSON envelope of a list, as the official CLI');
    const unknown = await cli(['op', 'clip.nope', '{}'], { status: 2 });
    assert.match(unknown.stderr, /^Error: \[404\] Unknown operation "clip.nope"/);
  });

  it('deletes a job; a second delete is an error', async () => {
    const r = await cli(['clip', 'job', 'delete', '--job-id', jobId]);
    called.add('clip.job.delete');
    assert.ok(JSON.parse(r.stdout));
    const again = await cli(['clip', 'job', 'delete', '--job-id', jobId], { status: 2 });
    assert.match(again.stderr, /^Error: \[404\] /);
  });

  it('ran every operation', () => {
    assert.deepEqual([...called].sort(), OperationList.map((o) => o.id).sort());
  });
});
