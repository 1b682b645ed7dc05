/**
 * The commands of the operation-sequence properties (fast-check model-based testing), each run against
 * the real server and checked against the model: creates with and without an Idempotency-Key (the same
 * key with the same or another body), deletes, downloads with random Range / If-Range and client
 * hang-ups, credit grants, restarts, and waiting for a job.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { aoiInside } from '../support/harness.js';
import { grantCredits, readJob, readOrg } from '../support/ledger.view.js';
import { saw, type Model } from './props.model.js';
import { Orgs, type OrgId, type World } from './props.world.js';

const DemoBbox: [number, number, number, number] = [172.1799827, -43.6733194, 172.1983802, -43.6600112];
/** AOIs of a few sizes (south's credits pay for the small ones only). */
const Aois = [0.04, 0.08, 0.25].map((f) => aoiInside(DemoBbox, f));
const TypeSets = [['visual'], ['analytic'], ['visual', 'analytic']];
const Keys = ['key-a', 'key-b', 'key-c'];
const Final = ['completed', 'failed', 'canceled'];

type Cmd = fc.AsyncCommand<Model, World>;

function pick<T>(items: readonly T[], n: number): T | undefined {
  return items.length === 0 ? undefined : items[n % items.length];
}

function createBody(org: OrgId, aoi: number, types: number): Record<string, unknown> {
  return { area: 'demo-valley', mosaic_types: TypeSets[types]!, aoi_geometry: Aois[aoi]!, organization_id: org };
}

class Create implements Cmd {
  constructor(readonly org: OrgId, readonly aoi: number, readonly types: number, readonly key: string | null) {}
  check(): boolean {
    return true;
  }
  async run(m: Model, w: World): Promise<void> {
    await sendCreate(m, w, this.org, JSON.stringify(createBody(this.org, this.aoi, this.types)), this.key);
  }
  toString(): string {
    return `Create(${this.org}, aoi ${this.aoi}, ${TypeSets[this.types]!.join('+')}, ${this.key ?? 'no key'})`;
  }
}

/** Send a key used before again: with its first body (a retry) or with another AOI. */
class Resend implements Cmd {
  constructor(readonly n: number, readonly sameBody: boolean) {}
  check(m: Model): boolean {
    return m.keys.size > 0;
  }
  async run(m: Model, w: World): Promise<void> {
    const [k, { body }] = pick([...m.keys], this.n)!;
    const [org, key] = k.split(' ') as [OrgId, string];
    const other = { ...(JSON.parse(body) as Record<string, unknown>), aoi_name: 'another body' };
    await sendCreate(m, w, org, this.sameBody ? body : JSON.stringify(other), key);
  }
  toString(): string {
    return `Resend(key #${this.n}, ${this.sameBody ? 'same body' : 'another body'})`;
  }
}

async function sendCreate(m: Model, w: World, org: OrgId, text: string, key: string | null): Promise<void> {
  const r = await w.op(org, 'clip.create_from_area', text, key ? { 'idempotency-key': key } : {});
  const prior = key ? m.keys.get(`${org} ${key}`) : undefined;
  if (prior && prior.body !== text) {
    assert.equal(r.status, 409, `a reused key with another body answers 409, got ${r.status} ${JSON.stringify(r.json)}`);
    assert.equal(r.json.code, 'idempotency_key_reused');
    saw(m, 'create: key reused with another body (409)');
    return;
  }
  if (prior) {
    assert.equal(r.status, 200, `a replay answers 200, got ${r.status} ${JSON.stringify(r.json)}`);
    assert.equal(r.headers.get('idempotent-replayed'), 'true');
    assert.equal(r.json.job.id, prior.jobId, 'a replay names the first job');
    saw(m, 'create: replayed');
    return;
  }
  if (r.status === 402) {
    assert.equal(r.json.code, 'insufficient_credits');
    saw(m, 'create: insufficient credits (402)');
    return;
  }
  assert.equal(r.status, 200, `create answers 200, got ${r.status} ${JSON.stringify(r.json)}`);
  const id = r.json.job.id as string;
  assert.ok(!m.jobs.has(id), `a new create makes a new job (${id} again)`);
  m.jobs.set(id, { org, types: (JSON.parse(text) as { mosaic_types: string[] }).mosaic_types, deleted: false });
  if (key) m.keys.set(`${org} ${key}`, { body: text, jobId: id });
  saw(m, key ? 'create: new job with a key' : 'create: new job');
}

class Delete implements Cmd {
  constructor(readonly n: number) {}
  check(m: Model): boolean {
    return m.jobs.size > 0;
  }
  async run(m: Model, w: World): Promise<void> {
    const id = pick([...m.jobs.keys()], this.n)!;
    const job = m.jobs.get(id)!;
    const r = await w.op(job.org, 'clip.job.delete', { job_id: id });
    if (job.deleted) {
      assert.equal(r.status, 404, `deleting twice answers 404, got ${r.status}`);
      saw(m, 'delete: again (404)');
      return;
    }
    assert.equal(r.status, 200, `delete answers 200, got ${r.status} ${JSON.stringify(r.json)}`);
    job.deleted = true;
    saw(m, `delete: ${r.json.status as string}`);
  }
  toString(): string {
    return `Delete(#${this.n})`;
  }
}

/** A Range header from a shape and two numbers, relative to sizes of a few hundred kB. */
function rangeHeader(shape: number, a: number, b: number): string | null {
  switch (shape) {
    case 0: return null;
    case 1: return `bytes=${a}-${a + b}`;
    case 2: return `bytes=-${b + 1}`;
    case 3: return `bytes=${a}-`;
    case 4: return `bytes=${a}-${b}`;
    default: return 'bytes=0-1,5-9';
  }
}

class Download implements Cmd {
  constructor(readonly n: number, readonly output: number, readonly shape: number, readonly a: number, readonly b: number, readonly ifRange: number, readonly cutAfter: number | null, readonly link: boolean, readonly settle: boolean) {}
  check(m: Model): boolean {
    return m.jobs.size > 0;
  }
  async run(m: Model, w: World): Promise<void> {
    const id = pick([...m.jobs.keys()], this.n)!;
    const job = m.jobs.get(id)!;
    const type = pick(job.types, this.output)!;
    if (this.settle) await waitFinal(w, [id]);
    const row = (await readJob(w.t.runtime.services.storage, id))!;
    const out = row.status === 'completed' ? (await readOrg(w.t.runtime.services.storage, job.org)).outputs.get(id)?.find((o) => o.output_key === type) : undefined;
    const range = rangeHeader(this.shape, this.a, this.b);
    const etag = out ? `"${out.sha256}"` : '"x"';
    const headers = [range ? `Range: ${range}` : '', this.ifRange === 1 ? `If-Range: ${etag}` : this.ifRange === 2 ? 'If-Range: "0000"' : ''].filter(Boolean);
    let request: string;
    let body = '';
    if (this.link && out && !job.deleted) {
      const d = await w.op(job.org, 'clip.job.download', { job_id: id, mosaic_type: type }, { accept: 'application/json' });
      assert.equal(d.status, 200);
      const url = new URL(d.json.url as string);
      request = [`GET ${url.pathname}${url.search} HTTP/1.1`, ...headers].join('\r\n');
    } else {
      body = JSON.stringify({ job_id: id, mosaic_type: type });
      request = [`POST /v1/op/clip.job.download HTTP/1.1`, `X-API-Key: ${w.keys[job.org]}`, 'Accept: */*', 'Content-Type: application/json', ...headers].join('\r\n');
    }
    const r = await w.download(request, body, this.cutAfter);
    saw(m, `download: ${r.status}${this.cutAfter !== null && r.serverBodyBytes > 0 && r.body.length < Number(r.headers['content-length'] ?? 0) ? ', client hung up' : ''}${this.link ? ', signed link' : ''}`);
    if (job.deleted) {
      assert.equal(r.status, 404, `a deleted job's file answers 404, got ${r.status}`);
      return;
    }
    if (!out) {
      // Not completed when looked at; it may have completed since (then the bytes are counted below).
      assert.ok([409, 200, 206, 416].includes(r.status), `an unfinished job's file answers 409, got ${r.status}`);
      if (r.status !== 200 && r.status !== 206) return;
    }
    if (r.status === 200 || r.status === 206) m.sent[job.org] += r.serverBodyBytes;
    if (!out) return;
    const file = await readFile(path.join(w.dataDir, out.rel_path));
    if (r.status === 416) {
      assert.equal(r.headers['content-range'], `bytes */${file.length}`);
      return;
    }
    const ranged = range !== null && (this.ifRange === 0 || this.ifRange === 1) && r.status === 206;
    const [start, end] = ranged ? r.headers['content-range']!.replace('bytes ', '').split('/')[0]!.split('-').map(Number) as [number, number] : [0, file.length - 1];
    if (range === null || this.ifRange === 2 || range.includes(',')) assert.equal(r.status, 200, `no usable Range gives the whole file, got ${r.status}`);
    assert.equal(Number(r.headers['content-length']), end - start + 1);
    const expected = file.subarray(start, end + 1);
    const got = r.body.subarray(0, expected.length);
    assert.ok(got.equals(expected.subarray(0, got.length)), 'the bytes sent are the file\'s bytes at the range');
    if (this.cutAfter === null) assert.equal(r.body.length, expected.length, 'a whole answer has every byte');
  }
  toString(): string {
    return `Download(#${this.n}, out ${this.output}, ${rangeHeader(this.shape, this.a, this.b) ?? 'no range'}, if-range ${['none', 'match', 'other'][this.ifRange]}, ${this.cutAfter === null ? 'whole' : `hang up after ${this.cutAfter} B`}${this.link ? ', signed link' : ''}${this.settle ? ', once finished' : ''})`;
  }
}

class Grant implements Cmd {
  constructor(readonly org: OrgId, readonly km2: number) {}
  check(): boolean {
    return true;
  }
  async run(m: Model, w: World): Promise<void> {
    saw(m, 'grant');
    await grantCredits(w.t.runtime.services.storage, this.org, this.km2);
  }
  toString(): string {
    return `Grant(${this.org}, ${this.km2} km²)`;
  }
}

class Restart implements Cmd {
  check(): boolean {
    return true;
  }
  async run(m: Model, w: World): Promise<void> {
    saw(m, 'restart');
    await w.restart();
  }
  toString(): string {
    return 'Restart';
  }
}

class Wait implements Cmd {
  constructor(readonly n: number) {}
  check(m: Model): boolean {
    return m.jobs.size > 0;
  }
  async run(m: Model, w: World): Promise<void> {
    await waitFinal(w, [pick([...m.jobs.keys()], this.n)!]);
  }
  toString(): string {
    return `Wait(#${this.n})`;
  }
}

/** Poll (every 20 ms, at most 3000 polls: a hang guard) until the jobs are completed, failed or canceled. */
export async function waitFinal(w: World, ids: string[]): Promise<void> {
  for (let poll = 0; ; poll++) {
    const rows = await Promise.all(ids.map((id) => readJob(w.t.runtime.services.storage, id)));
    const open = ids.filter((_id, i) => !Final.includes(rows[i]?.status ?? 'completed'));
    if (open.length === 0) return;
    if (poll >= 3000) throw new Error(`jobs still unfinished after ${poll} polls: ${open.join(', ')}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const org = fc.constantFrom(...Orgs);
const n = fc.nat({ max: 50 });

const download = fc
  .tuple(n, fc.nat({ max: 1 }), fc.nat({ max: 5 }), fc.nat({ max: 200_000 }), fc.nat({ max: 100_000 }), fc.nat({ max: 2 }), fc.option(fc.nat({ max: 20_000 }), { freq: 2 }), fc.boolean(), fc.nat({ max: 3 }))
  .map(([i, o, s, a, b, ir, cut, link, settle]) => new Download(i, o, s, a, b, ir, cut, link, settle > 0) as Cmd);
export const create = fc
  .tuple(org, fc.nat({ max: Aois.length - 1 }), fc.nat({ max: TypeSets.length - 1 }), fc.option(fc.constantFrom(...Keys), { freq: 3 }))
  .map(([o, a, t, k]) => new Create(o, a, t, k) as Cmd);

/** Every command; creates and downloads drawn most often. */
export const Commands = [
  create,
  create,
  fc.tuple(n, fc.boolean()).map(([i, same]) => new Resend(i, same) as Cmd),
  n.map((i) => new Delete(i) as Cmd),
  download,
  download,
  download,
  download,
  fc.tuple(org, fc.constantFrom(0.01, 0.05, 1)).map(([o, k]) => new Grant(o, k) as Cmd),
  fc.constant(new Restart() as Cmd),
  n.map((i) => new Wait(i) as Cmd),
];
