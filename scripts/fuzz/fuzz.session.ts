/**
 * A fuzzing session over one or more targets: a child process (src/ instrumented for coverage once)
 * runs the loop of each target in turn; this side watches it. A child that sends nothing for
 * `hangPolls` polls is stuck in one input (a synchronous hang): it is killed, the input it was running
 * is a `hang` finding of the target it was fuzzing, and a new child goes on with the rest of the budget.
 * A child that dies (out of memory, a native crash) gives a `died` finding the same way.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChildConfig, ChildMessage, Finding, Stats } from './fuzz.protocol.js';

/** Polls allowed before the child's first word (starting tsx and instrumenting src/ takes seconds on a busy machine). */
const STARTUP_POLLS = 240;
const here = path.dirname(fileURLToPath(import.meta.url));

export interface SessionOptions {
  targets: string[];
  seed: number;
  /** Budget of each target: executions (count mode, reproducible) or seconds */
  runs?: number;
  seconds?: number;
  workDir?: string;
  /** Watchdog poll interval, ms, and how many silent polls make a hang */
  pollMs?: number;
  hangPolls?: number;
  /** An input slower than this is a finding (off when absent) */
  slowMs?: number;
  /** An input whose promise never settles is a hang after this long, ms */
  asyncTimeoutMs?: number;
  /** V8 heap of the child, MiB (a heap blow-up kills it: a `died` finding) */
  heapMb?: number;
  /** Called when a target's run ends */
  onTarget?: (r: TargetReport) => void;
}

export interface TargetReport {
  target: string;
  stats: Stats | null;
  findings: Finding[];
}

interface ChildRun {
  /** Target name → report, in the order they ran */
  reports: Map<string, TargetReport>;
  /** The target running when the child stopped, and its executions */
  current: string | null;
  exited: boolean;
  input: Uint8Array | null;
  reason: string;
}

function runChild(cfg: ChildConfig, opts: SessionOptions): Promise<ChildRun> {
  const child = fork(path.join(here, 'fuzz.child.ts'), [], {
    execArgv: ['--import', 'tsx', '--import', path.join(here, 'coverage.register.mjs'), `--max-old-space-size=${opts.heapMb ?? 1024}`],
    env: { ...process.env, FUZZ_CHILD: JSON.stringify(cfg), GEOPERA_LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const run: ChildRun = { reports: new Map(), current: null, exited: false, input: null, reason: '' };
  const reportOf = (target: string): TargetReport => {
    let r = run.reports.get(target);
    if (!r) run.reports.set(target, (r = { target, stats: null, findings: [] }));
    return r;
  };
  let silent = 0;
  let heard = false;
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      if (++silent < (heard ? (opts.hangPolls ?? 8) : STARTUP_POLLS)) return;
      run.reason = `no word from the child for ${silent} polls of ${opts.pollMs ?? 250} ms`;
      child.kill('SIGKILL');
    }, opts.pollMs ?? 250);
    child.on('message', (m: ChildMessage) => {
      silent = 0;
      heard = true;
      if (m.type === 'exit') run.exited = true;
      else if (m.type === 'stats') {
        run.current = m.target;
        reportOf(m.target).stats = m;
      } else if (m.type === 'finding') reportOf(m.target).findings.push(m.finding);
      else {
        run.current = null;
        opts.onTarget?.(reportOf(m.target));
      }
    });
    child.on('exit', (code, signal) => {
      clearInterval(timer);
      if (!run.exited) {
        run.reason ||= `the child exited with ${signal ?? code}`;
        try {
          run.input = new Uint8Array(readFileSync(cfg.currentFile));
        } catch {
          run.input = new Uint8Array(0);
        }
      }
      resolve(run);
    });
  });
}

/** Fuzz the targets until their budgets are spent; one report per target, findings included. */
export async function fuzzSession(opts: SessionOptions): Promise<TargetReport[]> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'geopera-fuzz-'));
  const reports = new Map<string, TargetReport>();
  let todo = [...opts.targets];
  let firstRuns: number | null = null;
  try {
    for (let attempt = 0; todo.length > 0 && attempt < 6; attempt++) {
      const cfg: ChildConfig = {
        targets: todo, seed: opts.seed + attempt, runs: opts.runs ?? null, firstRuns, seconds: opts.seconds ?? null, workDir: opts.workDir ?? null,
        currentFile: path.join(scratch, 'current'), asyncTimeoutMs: opts.asyncTimeoutMs ?? 10_000, slowMs: opts.slowMs ?? null, beatMs: Math.max(20, (opts.pollMs ?? 250) / 2),
      };
      const run = await runChild(cfg, opts);
      for (const r of run.reports.values()) {
        const had = reports.get(r.target);
        if (!had) reports.set(r.target, r);
        else {
          if (r.stats) had.stats = { ...r.stats, execs: (had.stats?.execs ?? 0) + r.stats.execs };
          had.findings.push(...r.findings.filter((f) => !had.findings.some((g) => g.signature === f.signature)));
        }
      }
      if (run.exited) break;
      if (run.current === null) throw new Error(`fuzz session of ${todo.join(', ')}: the child failed outside any input (${run.reason})`);
      const kind = run.reason.startsWith('no word') ? 'hang' : 'died';
      const current = reports.get(run.current)!;
      current.findings.push({ kind, signature: `${kind}:${run.reason.replace(/\d+/g, 'N')}`, message: run.reason, stack: '', input: Buffer.from(run.input ?? new Uint8Array(0)).toString('base64') });
      todo = todo.slice(todo.indexOf(run.current));
      const done = run.reports.get(run.current)?.stats?.execs ?? 0;
      firstRuns = opts.runs === undefined ? null : Math.max(0, (firstRuns ?? opts.runs) - done - 1);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return opts.targets.map((t) => reports.get(t) ?? { target: t, stats: null, findings: [] });
}
