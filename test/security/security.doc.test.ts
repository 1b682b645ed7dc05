/**
 * SECURITY.md names a test for every rule: each named file exists and holds a test with that name
 * (a renamed or deleted test fails here until the document follows).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../support/gdal.js';

const doc = readFileSync(path.join(repoRoot, 'SECURITY.md'), 'utf8');
const rows = doc.split('\n').filter((l) => /^\| \d+ \|/.test(l));

describe('SECURITY.md', () => {
  it('has a threat model (who can reach the server, what an org may see, what an operator controls) and numbered rules', () => {
    for (const part of ['**Who can reach the server.**', '**What an organisation may see.**', '**What the operator controls']) assert.ok(doc.includes(part), part);
    assert.ok(rows.length >= 20, `${rows.length} rules`);
    assert.deepEqual(rows.map((r) => Number(/^\| (\d+) \|/.exec(r)![1])), rows.map((_, i) => i + 1));
  });

  for (const row of rows) {
    const n = /^\| (\d+) \|/.exec(row)![1];
    it(`rule ${n} names tests that exist`, () => {
      const cell = row.split('|').at(-2)!;
      const files = [...cell.matchAll(/`(test\/[^`]+\.ts)`((?: › "[^"]+"(?: and)?)+)/g)];
      assert.ok(files.length > 0, `rule ${n} names no test: ${cell}`);
      for (const [, file, names] of files) {
        assert.ok(existsSync(path.join(repoRoot, file!)), `${file} exists`);
        const source = readFileSync(path.join(repoRoot, file!), 'utf8').replaceAll("\\'", "'");
        for (const [, name] of names!.matchAll(/› "([^"]+)"/g)) assert.ok(source.includes(name!), `${file} has a test "${name}"`);
      }
    });
  }
});
