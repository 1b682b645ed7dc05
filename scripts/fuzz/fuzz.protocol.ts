/** What the fuzz session (parent) and its child process tell each other. */
import type { CoverageReport } from './fuzz.coverage.js';

/** The child's settings, passed in the FUZZ_CHILD environment variable as JSON. */
export interface ChildConfig {
  /** Targets fuzzed one after another in this process (src/ is instrumented once) */
  targets: string[];
  seed: number;
  /** Executions to run for each target (null: until `seconds`) */
  runs: number | null;
  /** Executions for the first target when it resumes after a hang (null: `runs`) */
  firstRuns: number | null;
  /** Seconds to run (null: until `runs`) */
  seconds: number | null;
  /** Where new corpus inputs go (null: kept in memory only) */
  workDir: string | null;
  /** The file the current input is written to before each execution */
  currentFile: string;
  /** An input whose promise has not settled after this long is a hang, ms */
  asyncTimeoutMs: number;
  /** An input that takes longer than this is a finding, ms (null: not checked) */
  slowMs: number | null;
  /** Send stats at least this often while executing, ms */
  beatMs: number;
}

/** Something the property forbids, with the input that showed it. */
export interface Finding {
  /** crash: a thrown value that is not an accepted AppError; hang/slow: too long; alloc: over the budget; died: the process died */
  kind: 'crash' | 'hang' | 'slow' | 'alloc' | 'died';
  /** Kind, error and top source frame (numbers elided): findings with one signature are one bug */
  signature: string;
  message: string;
  stack: string;
  /** The input, base64 */
  input: string;
}

export interface Stats {
  execs: number;
  queue: number;
  features: number;
  coverage: CoverageReport;
  /** Outcome label → count (`ok`, `error:<code>`, ...) */
  outcomes: Record<string, number>;
}

export type ChildMessage =
  | ({ type: 'stats'; target: string } & Stats)
  | { type: 'finding'; target: string; finding: Finding }
  | { type: 'done'; target: string; execs: number }
  | { type: 'exit' };
