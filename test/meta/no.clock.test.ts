/**
 * Tests never read the clock to pass or fail: on a shared 2-core CI machine every timed assertion is a
 * coin toss. Count work instead (segment pairs, edge visits, reads, calls), fake the timers, or bound a
 * hang by a number of polls; timings belong in `npm run bench*` scripts (and `*.bench.ts` files).
 * This test scans the test sources for the ways of measuring elapsed time.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../support/gdal.js';

/** Ways a test can time itself, each with the reason it is refused. */
const CLOCK_READS: [RegExp, string][] = [
  [/\bperformance\s*\.\s*now\s*\(/, 'performance.now()'],
  [/\bprocess\s*\.\s*hrtime\b/, 'process.hrtime'],
  [/\bprocess\s*\.\s*cpuUsage\s*\(/, 'process.cpuUsage()'],
  [/\bconsole\s*\.\s*time(End|Log)?\s*\(/, 'console.time'],
  [/\bDate\s*\.\s*now\s*\(\s*\)\s*-(?!-)/, 'elapsed time: Date.now() - …'],
  [/[\w)\]]\s*-\s*Date\s*\.\s*now\s*\(\s*\)/, 'elapsed time: … - Date.now()'],
  [/\bDate\s*\.\s*now\s*\(\s*\)\s*[<>]/, 'a deadline: Date.now() < / > …'],
  [/[<>]=?\s*Date\s*\.\s*now\s*\(/, 'a deadline: … < / > Date.now()'],
  [/\bnew\s+Date\s*\(\s*\)\s*\.\s*getTime\s*\(\s*\)\s*-/, 'elapsed time: new Date().getTime() - …'],
];

/** The clock reads of a source text, as `line: what`, ignoring `//` and block comments. */
export function clockReads(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' ')).replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  const found: string[] = [];
  code.split('\n').forEach((line, i) => {
    for (const [pattern, what] of CLOCK_READS) if (pattern.test(line)) found.push(`${i + 1}: ${what}`);
  });
  return found;
}

function testSources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return name === 'fixtures' ? [] : testSources(file);
    return /\.(ts|mts|js|mjs)$/.test(name) && !name.includes('.bench.') ? [file] : [];
  });
}

describe('no test reads the clock to pass or fail', () => {
  it('finds every way of timing that it looks for', () => {
    const samples = [
      'const t0 = performance.now();',
      'const t = process.hrtime.bigint();',
      'const c = process.cpuUsage(c0);',
      "console.time('x');",
      'assert.ok(Date.now() - started < 1000);',
      'const left = until - Date.now();',
      'if (Date.now() > until) throw new Error();',
      'assert.ok(Date.parse(d.expires_at) > Date.now());',
      'const ms = new Date().getTime() - t0;',
    ];
    for (const sample of samples) assert.equal(clockReads(sample).length, 1, sample);
    // Making tokens that expire, and comments, are not timing.
    const fine = ['const exp = Math.floor(Date.now() / 1000) + 600;', '// performance.now() belongs in a bench', '/* Date.now() - t0 */', "const url = 'http://x//y';"];
    for (const sample of fine) assert.deepEqual(clockReads(sample), [], sample);
  });

  it('finds none in test/ (bench files excepted)', () => {
    const offenders = testSources(path.join(repoRoot, 'test'))
      .filter((file) => !file.endsWith(path.join('meta', 'no.clock.test.ts')))
      .flatMap((file) => clockReads(readFileSync(file, 'utf8')).map((hit) => `${path.relative(repoRoot, file)}:${hit}`));
    assert.deepEqual(offenders, []);
  });
});
