/**
 * What a fuzz target is, and the property every target holds: any input ends in a result or an
 * `AppError` with a stable code (never `internal_error`, which is a bug's 500); anything else thrown is
 * a finding. Targets add their own checks on results (a range inside the file, a ring closed...) by
 * throwing `PropertyViolation`.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../../src/errors/app.error.js';
import { isErrorCode, type ErrorCode } from '../../src/errors/error.codes.js';

/** Where the committed corpora live: `test/fuzz/corpus/<target>/`. */
export const CorpusRoot = path.join(path.dirname(fileURLToPath(import.meta.url)), 'corpus');

export interface FuzzTarget {
  /** Short name, also the corpus folder */
  name: string;
  /** What it feeds, for the report */
  about: string;
  /** Source files (path fragments) whose coverage the report shows */
  covers: readonly string[];
  /** Dictionary file (AFL/libFuzzer format) next to the corpora, if any */
  dictionary?: string;
  /** Longest input the fuzzer makes, bytes */
  maxLength: number;
  /** Largest single typed-array or Buffer allocation one input may cause, bytes (the guards' limits) */
  maxAllocBytes: number;
  /** Feed one input; resolves with a short outcome label (for stats) or throws a finding */
  run(data: Uint8Array): Promise<string>;
}

/** A result that breaks the target's own property. */
export class PropertyViolation extends Error {
  override name = 'PropertyViolation';
}

/** The outcome label of an accepted error, or rethrow anything that is not an AppError with a stable code. */
export function expectedError(err: unknown): string {
  if (err instanceof AppError && isErrorCode(err.code) && err.code !== 'internal_error') return `error:${err.code}`;
  throw err;
}

/** Run `fn`; a result is `ok`, an accepted AppError is `error:<code>`, anything else is rethrown (a finding). */
export async function settle(fn: () => unknown): Promise<string> {
  try {
    await fn();
    return 'ok';
  } catch (err) {
    return expectedError(err);
  }
}

/** Throw a `PropertyViolation` unless `cond`. */
export function check(cond: boolean, message: string): asserts cond {
  if (!cond) throw new PropertyViolation(message);
}

/** The error code of an accepted error label, for tests. */
export function codeOf(label: string): ErrorCode | null {
  return label.startsWith('error:') ? (label.slice(6) as ErrorCode) : null;
}
