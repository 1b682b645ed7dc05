/**
 * One target's fuzzing session: a child process (src/ instrumented for coverage) runs the loop; this side
 * watches it. A child that sends nothing for `hangPolls` polls is stuck in one input (a synchronous hang):
 * it is killed, the input it was running is a `hang` finding, and a new child goes on with the rest of
 * the budget. A child that dies (out of memory, a native crash) gives a `died` finding the same way.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChildConfig, ChildMessage, Finding, Stats } from './fuzz.protocol.js';

/** Polls allowed before the child's first word. */
const STARTUP_POLLS = 240;
const here = path.dirname(fileURLToPath(import.meta.url));

export interface SessionOptions {
  target: string;
  seed: number;
  /** Budget: executions (count mode, reproducible) or seconds */
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
  onStats?: (s: Stats) => void;
}

export interface SessionReport {
  target: string;
  seed: number;
  stats: Stats | null;
  findings: Finding[];
  /** Child processes started (1 unless one hung or died) */
  children: number;
}

interface ChildRun {
  stats: Stats | null;
  findings: Finding[];
  done: boolean;
  input: Uint8Array | null;
  reason: string;
}

function runChild(cfg: ChildConfig, opts: SessionOptions): Promise<ChildRun> {
  const child = fork(path.join(here, 'fuzz.child.ts'), [], {
    execArgv: ['--import', 'tsx', '--import', path.join(here, 'coverage.register.mjs'), `--max-old-space-size=${opts.heapMb ?? 1024}`],
    env: { ...process.env, FUZZ_CHILD: JSON.stringify(cfg), GEOPERA_LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const run: ChildRun = { stats: null, findings: [], done: false, input: null, reason: '' };
  let silent = 0;
  let heard = false;
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      // Starting (tsx, instrumenting src/) takes seconds on a busy machine: allow 60 s worth of polls for it.
      if (++silent < (heard ? (opts.hangPolls ?? 8) : STARTUP_POLLS)) return;
      run.reason = `no word from the child for ${silent} polls of ${opts.pollMs ?? 250} ms`;
      child.kill('SIGKILL');
    }, opts.pollMs ?? 250);
    child.on('message', (m: ChildMessage) => {
      silent = 0;
      heard = true;
      if (m.type === 'stats') {
        run.stats = m;
        opts.onStats?.(m);
      } else if (m.type === 'finding') run.findings.push(m.finding);
      else run.done = true;
    });
    child.on('exit', (code, signal) => {
      clearInterval(timer);
      if (!run.done) {
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

/** Fuzz one target until its budget is spent; findings are returned (and saved under workDir by the caller). */
export async function fuzzSession(opts: SessionOptions): Promise<SessionReport> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'geopera-fuzz-'));
  const report: SessionReport = { target: opts.target, seed: opts.seed, stats: null, findings: [], children: 0 };
  let runsLeft = opts.runs ?? null;
  let done = 0;
  try {
    for (let attempt = 0; attempt < 6; attempt++) {
      const cfg: ChildConfig = {
        target: opts.target, seed: opts.seed + attempt, runs: runsLeft, seconds: opts.seconds ?? null, workDir: opts.workDir ?? null,
        currentFile: path.join(scratch, 'current'), asyncTimeoutMs: opts.asyncTimeoutMs ?? 10_000, slowMs: opts.slowMs ?? null, beatMs: Math.max(20, (opts.pollMs ?? 250) / 2),
      };
      report.children++;
      const run = await runChild(cfg, opts);
      report.findings.push(...run.findings.filter((f) => !report.findings.some((g) => g.signature === f.signature)));
      if (run.stats) report.stats = { ...run.stats, execs: done + run.stats.execs };
      if (run.done) break;
      if (!run.stats && run.findings.length === 0 && attempt === 0) throw new Error(`fuzz target ${opts.target}: the child failed before its first input (${run.reason})`);
      const kind = run.reason.startsWith('no word') ? 'hang' : 'died';
      report.findings.push({ kind, signature: `${kind}:${run.reason.replace(/\d+/g, 'N')}`, message: run.reason, stack: '', input: Buffer.from(run.input ?? new Uint8Array(0)).toString('base64') });
      done += run.stats?.execs ?? 0;
      if (runsLeft !== null) runsLeft = Math.max(0, runsLeft - (run.stats?.execs ?? 0) - 1);
      if (runsLeft === 0) break;
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return report;
}
