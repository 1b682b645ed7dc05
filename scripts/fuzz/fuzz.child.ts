/**
 * The fuzzing loop, in a child process started by `fuzz.session.ts` with src/ instrumented
 * (coverage.register.mjs). For each of its targets in turn it runs the corpus, then mutants of the
 * inputs that reached new coverage, until the target's budget (executions or seconds) is spent, and
 * reports stats and findings to the parent over IPC. Before each execution the input is written to
 * `currentFile`, so the parent can save it when the process hangs or dies.
 */
import { ftruncateSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { beginAllocations, endAllocations, installAllocGuard } from '../../test/fuzz/alloc.guard.js';
import type { FuzzTarget } from '../../test/fuzz/fuzz.target.js';
import { CoverageMap } from './fuzz.coverage.js';
import { mutate, parseDictionary, type MutationContext } from './fuzz.mutate.js';
import { Random } from './fuzz.random.js';
import type { ChildConfig, ChildMessage, Finding } from './fuzz.protocol.js';

installAllocGuard();
const cfg = JSON.parse(process.env.FUZZ_CHILD ?? '{}') as ChildConfig;
const { findTarget } = await import('../../test/fuzz/targets.js');
const { dictionaryText, readCorpusDir, targetCorpus } = await import('../../test/fuzz/fuzz.corpus.js');
const currentFd = openSync(cfg.currentFile, 'w');
/** What ran while the modules loaded (every target is imported above), counted in every target's report. */
const loadTime = new CoverageMap();
loadTime.collect();
const send = (m: ChildMessage): boolean => process.send!(m);

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`no answer after ${ms} ms`), { name: 'Hang' })), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

/** One target's run: its coverage, queue and findings. */
class TargetRun {
  private readonly random = new Random(cfg.seed);
  private readonly coverage = new CoverageMap();
  /** Inputs that reached new coverage; mutants are made from them */
  private readonly queue: Uint8Array[] = [];
  private readonly outcomes: Record<string, number> = {};
  private readonly signatures = new Set<string>();
  private readonly started = performance.now();
  private lastBeat = 0;
  execs = 0;
  current: Uint8Array = new Uint8Array(0);

  constructor(
    readonly target: FuzzTarget,
    private readonly runs: number | null,
  ) {}

  private signatureOf(kind: string, err: unknown): string {
    const e = err as { name?: string; message?: string; stack?: string };
    const frame = (e.stack ?? '').split('\n').find((l) => l.includes('/src/')) ?? '';
    const message = String(e.message ?? err).replace(/"[^"]*"|'[^']*'/g, 'Q').replace(/\d+/g, 'N').slice(0, 80);
    return `${kind}:${e.name ?? typeof err}:${message}@${frame.replace(/:\d+:\d+\)?$/, '').trim()}`;
  }

  report(kind: Finding['kind'], err: unknown, input: Uint8Array): void {
    const signature = this.signatureOf(kind, err);
    if (this.signatures.has(signature)) return;
    this.signatures.add(signature);
    const e = err as { message?: string; stack?: string };
    send({ type: 'finding', target: this.target.name, finding: { kind, signature, message: String(e.message ?? err), stack: e.stack ?? '', input: Buffer.from(input).toString('base64') } });
  }

  /** Run one input; returns how many new coverage features it reached. */
  private async exec(data: Uint8Array): Promise<number> {
    this.current = data;
    writeSync(currentFd, data, 0, data.length, 0);
    ftruncateSync(currentFd, data.length);
    beginAllocations(this.target.maxAllocBytes);
    const t0 = performance.now();
    let error: unknown;
    let label = 'finding';
    try {
      label = await withTimeout(this.target.run(data), cfg.asyncTimeoutMs);
    } catch (err) {
      error = err;
    }
    const ms = performance.now() - t0;
    const alloc = endAllocations();
    this.execs++;
    if (error !== undefined) this.report((error as Error).name === 'Hang' ? 'hang' : 'crash', error, data);
    else if (alloc.refused > 0) this.report('alloc', Object.assign(new Error(`allocated ${alloc.refused} bytes at once (budget ${this.target.maxAllocBytes})`), { stack: alloc.at }), data);
    else if (cfg.slowMs !== null && ms > cfg.slowMs) this.report('slow', Object.assign(new Error(`took ${Math.round(ms)} ms (limit ${cfg.slowMs})`), { name: 'Slow' }), data);
    this.outcomes[label] = (this.outcomes[label] ?? 0) + 1;
    const fresh = this.coverage.collect();
    if (performance.now() - this.lastBeat > cfg.beatMs) this.beat();
    return fresh;
  }

  beat(): void {
    this.lastBeat = performance.now();
    const { coverage, queue, outcomes, execs } = this;
    send({ type: 'stats', target: this.target.name, execs, queue: queue.length, features: coverage.features(), coverage: coverage.report(this.target.covers, loadTime), outcomes });
  }

  private keep(data: Uint8Array): void {
    this.queue.push(data);
    if (cfg.workDir) {
      const dir = path.join(cfg.workDir, 'corpus', this.target.name);
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, createHash('sha1').update(data).digest('hex')), data);
    }
  }

  private spent(): boolean {
    if (this.runs !== null && this.execs >= this.runs) return true;
    return cfg.seconds !== null && performance.now() - this.started >= cfg.seconds * 1000;
  }

  async run(): Promise<void> {
    const { target, queue, random } = this;
    this.coverage.reset();
    this.beat();
    // The empty input first (libFuzzer's habit): small mutants of it reach what trimming a big seed rarely does.
    const seeds = [{ name: '', data: new Uint8Array(0) }, ...targetCorpus(target), ...(cfg.workDir ? readCorpusDir(path.join(cfg.workDir, 'corpus', target.name)) : [])];
    for (const { data } of seeds) {
      if (this.spent()) break;
      if ((await this.exec(data)) > 0) queue.push(data);
    }
    if (queue.length === 0) queue.push(new Uint8Array(0));
    const ctx: MutationContext = { random, dictionary: parseDictionary(dictionaryText(target)), other: () => random.pick(queue), maxLength: target.maxLength };
    while (!this.spent()) {
      // Favour the newest inputs (they sit at the frontier of what is covered), but keep visiting old ones.
      const parent = random.oneIn(2) ? queue[queue.length - 1 - random.below(Math.min(queue.length, 16))]! : random.pick(queue);
      const child = mutate(parent, ctx);
      if ((await this.exec(child)) > 0) this.keep(child);
    }
    this.beat();
    send({ type: 'done', target: target.name, execs: this.execs });
  }
}

let active: TargetRun | undefined;
// From here on, an error no input's promise catches is a finding of the input running then.
process.on('unhandledRejection', (err) => active?.report('crash', err, active.current));
process.on('uncaughtException', (err) => active?.report('crash', err, active.current));
for (const [i, name] of cfg.targets.entries()) {
  active = new TargetRun(findTarget(name), i === 0 && cfg.firstRuns !== null ? cfg.firstRuns : cfg.runs);
  await active.run();
}
send({ type: 'exit' });
process.exit(0);
