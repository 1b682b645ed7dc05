/**
 * The fuzzing loop, in a child process started by `fuzz.session.ts` with src/ instrumented
 * (coverage.register.mjs). It runs the target's corpus, then mutants of the inputs that reached new
 * coverage, until its budget (executions or seconds) is spent, and reports stats and findings to the
 * parent over IPC. Before each execution the input is written to `currentFile`, so the parent can save
 * it when the process hangs or dies.
 */
import { ftruncateSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { beginAllocations, endAllocations, installAllocGuard } from '../../test/fuzz/alloc.guard.js';
import { CoverageMap } from './fuzz.coverage.js';
import { mutate, parseDictionary, type MutationContext } from './fuzz.mutate.js';
import { Random } from './fuzz.random.js';
import type { ChildConfig, ChildMessage, Finding } from './fuzz.protocol.js';

installAllocGuard();
const cfg = JSON.parse(process.env.FUZZ_CHILD ?? '{}') as ChildConfig;
const { findTarget } = await import('../../test/fuzz/targets.js');
const { dictionaryText, readCorpusDir, targetCorpus } = await import('../../test/fuzz/fuzz.corpus.js');
const target = findTarget(cfg.target);
const random = new Random(cfg.seed);
const coverage = new CoverageMap();
const currentFd = openSync(cfg.currentFile, 'w');
const started = performance.now();
const send = (m: ChildMessage): boolean => process.send!(m);

/** Inputs that reached new coverage; mutants are made from them. */
const queue: Uint8Array[] = [];
const outcomes: Record<string, number> = {};
const signatures = new Set<string>();
let execs = 0;
let lastBeat = started;
let current: Uint8Array = new Uint8Array(0);


function signatureOf(kind: string, err: unknown): string {
  const e = err as { name?: string; message?: string; stack?: string };
  const frame = (e.stack ?? '').split('\n').find((l) => l.includes('/src/')) ?? '';
  return `${kind}:${e.name ?? typeof err}:${String(e.message ?? err).replace(/\d+/g, 'N').slice(0, 80)}@${frame.replace(/:\d+:\d+\)?$/, '').trim()}`;
}

function report(kind: Finding['kind'], err: unknown, input: Uint8Array): void {
  const signature = signatureOf(kind, err);
  if (signatures.has(signature)) return;
  signatures.add(signature);
  const e = err as { message?: string; stack?: string };
  send({ type: 'finding', finding: { kind, signature, message: String(e.message ?? err), stack: e.stack ?? '', input: Buffer.from(input).toString('base64') } });
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`no answer after ${ms} ms`), { name: 'Hang' })), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

/** Run one input; returns how many new coverage features it reached. */
async function exec(data: Uint8Array): Promise<number> {
  current = data;
  writeSync(currentFd, data, 0, data.length, 0);
  ftruncateSync(currentFd, data.length);
  beginAllocations(target.maxAllocBytes);
  const t0 = performance.now();
  let error: unknown;
  let label = 'finding';
  try {
    label = await withTimeout(target.run(data), cfg.asyncTimeoutMs);
  } catch (err) {
    error = err;
  }
  const ms = performance.now() - t0;
  const alloc = endAllocations();
  execs++;
  if (error !== undefined) report((error as Error).name === 'Hang' ? 'hang' : 'crash', error, data);
  else if (alloc.refused > 0) report('alloc', new Error(`allocated ${alloc.refused} bytes at once (budget ${target.maxAllocBytes})`), data);
  else if (cfg.slowMs !== null && ms > cfg.slowMs) report('slow', Object.assign(new Error(`took ${Math.round(ms)} ms (limit ${cfg.slowMs})`), { name: 'Slow' }), data);
  outcomes[label] = (outcomes[label] ?? 0) + 1;
  const fresh = coverage.collect();
  if (performance.now() - lastBeat > cfg.beatMs) beat();
  return fresh;
}

function beat(): void {
  lastBeat = performance.now();
  send({ type: 'stats', execs, queue: queue.length, features: coverage.features(), coverage: coverage.report(target.covers), outcomes });
}

function keep(data: Uint8Array): void {
  queue.push(data);
  if (cfg.workDir) {
    const dir = path.join(cfg.workDir, 'corpus', target.name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, createHash('sha1').update(data).digest('hex')), data);
  }
}

function spent(): boolean {
  if (cfg.runs !== null && execs >= cfg.runs) return true;
  return cfg.seconds !== null && performance.now() - started >= cfg.seconds * 1000;
}

// From here on, an error no input's promise catches is a finding of the input running then.
process.on('unhandledRejection', (err) => report('crash', err, current));
process.on('uncaughtException', (err) => report('crash', err, current));
coverage.reset();
beat();
// The empty input first (libFuzzer's habit): small mutants of it reach what trimming a big seed rarely does.
const seeds = [{ name: '', data: new Uint8Array(0) }, ...targetCorpus(target), ...(cfg.workDir ? readCorpusDir(path.join(cfg.workDir, 'corpus', target.name)) : [])];
for (const { data } of seeds) {
  if (spent()) break;
  if ((await exec(data)) > 0) queue.push(data);
}
if (queue.length === 0) queue.push(new Uint8Array(0));
const ctx: MutationContext = {
  random,
  dictionary: parseDictionary(dictionaryText(target)),
  other: () => random.pick(queue),
  maxLength: target.maxLength,
};
while (!spent()) {
  // Favour the newest inputs (they sit at the frontier of what is covered), but keep visiting old ones.
  const parent = random.oneIn(2) ? queue[queue.length - 1 - random.below(Math.min(queue.length, 16))]! : random.pick(queue);
  const child = mutate(parent, ctx);
  if ((await exec(child)) > 0) keep(child);
}
beat();
send({ type: 'done', execs });
process.exit(0);
