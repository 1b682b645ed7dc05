/**
 * `npm run fuzz [-- --seconds N | --runs N] [--seed S] [target ...]`: coverage-guided fuzzing of every
 * parser of outside input (test/fuzz/targets.ts), one target after another, each for N seconds
 * (default `FUZZ_SECONDS` or 60). New coverage inputs go to `.fuzz/corpus/<target>/` (read back by the
 * next run), findings to `.fuzz/findings/<target>/<kind>-<hash>` with a `.txt` beside each; the figures
 * (executions, exec/s, coverage of the target's files, outcomes) are printed and written to
 * `.fuzz/report.json`. Exit code 1 when anything was found.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { FuzzTargets, findTarget } from '../../test/fuzz/targets.js';
import { fuzzSession, type TargetReport } from './fuzz.session.js';

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const positional = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && !(all[i - 1] ?? '').startsWith('--'));
const targets = positional.length > 0 ? positional.map(findTarget) : FuzzTargets;
const runs = flag('runs') ? Number(flag('runs')) : undefined;
const seconds = runs === undefined ? Number(flag('seconds') ?? process.env.FUZZ_SECONDS ?? 60) : undefined;
const seed = Number(flag('seed') ?? process.env.FUZZ_SEED ?? 1);
const workDir = path.resolve(flag('work-dir') ?? '.fuzz');

const pct = ([a, b]: [number, number]): string => `${a}/${b} (${b ? ((100 * a) / b).toFixed(1) : '0'} %)`;

function saveFindings(r: TargetReport): string[] {
  const dir = path.join(workDir, 'findings', r.target);
  mkdirSync(dir, { recursive: true });
  return r.findings.map((f) => {
    const input = Buffer.from(f.input, 'base64');
    const file = path.join(dir, `${f.kind}-${createHash('sha1').update(input).digest('hex').slice(0, 12)}`);
    writeFileSync(file, input);
    writeFileSync(`${file}.txt`, `${f.signature}\n\n${f.message}\n\n${f.stack}\n`);
    return file;
  });
}

const rows: Record<string, unknown>[] = [];
let found = 0;
console.log(`fuzzing ${targets.map((t) => t.name).join(', ')}: ${runs !== undefined ? `${runs} executions` : `${seconds} s`} each, seed ${seed}, work dir ${workDir}`);
let t0 = performance.now();
const onTarget = (r: TargetReport): void => {
  const s = (performance.now() - t0) / 1000;
  t0 = performance.now();
  const files = saveFindings(r);
  found += files.length;
  const st = r.stats!;
  const row = {
    target: r.target, execs: st.execs, seconds: Number(s.toFixed(1)), execs_per_s: Math.round(st.execs / s), corpus: st.queue, features: st.features,
    branches: pct(st.coverage.branches), statements: pct(st.coverage.statements), files: st.coverage.files, findings: files.length, outcomes: st.outcomes,
  };
  rows.push(row);
  console.log(`${r.target.padEnd(8)} ${String(st.execs).padStart(8)} execs ${String(row.execs_per_s).padStart(6)}/s  corpus ${String(st.queue).padStart(4)}  branches ${row.branches}  statements ${row.statements}  findings ${files.length}`);
  files.forEach((f, i) => console.log(`  ${path.relative(process.cwd(), f)}  (${r.findings[i]!.signature})`));
};
// One child process for all targets (src/ is instrumented once); a hang or a death restarts it where it stopped.
const reports = await fuzzSession({ targets: targets.map((t) => t.name), seed, runs, seconds, workDir, pollMs: 250, hangPolls: 8, slowMs: 1000, asyncTimeoutMs: 1000, onTarget });
for (const r of reports) if (!rows.some((row) => row.target === r.target)) onTarget(r);
mkdirSync(workDir, { recursive: true });
writeFileSync(path.join(workDir, 'report.json'), `${JSON.stringify({ seed, seconds, runs, targets: rows }, null, 2)}\n`);
process.exit(found > 0 ? 1 : 0);
