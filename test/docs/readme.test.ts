/** The README's derived facts match the code: the operations table, the configuration variables, the npm scripts. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { operationsTable } from '../../src/operations/operations.table.js';
import { repoRoot } from '../support/gdal.js';

const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');

describe('README', () => {
  it('holds the operations table as the registry makes it', () => {
    assert.ok(readme.includes(operationsTable()), 'regenerate with: node --import tsx -e "import {operationsTable} from \'./src/operations/operations.table.ts\'; console.log(operationsTable())"');
  });

  it('documents every environment variable the config reads', () => {
    const config = readFileSync(path.join(repoRoot, 'src/config.ts'), 'utf8');
    const vars = new Set([...config.matchAll(/env\.(GEOPERA_[A-Z0-9_]+)/g)].map((m) => m[1]!));
    assert.ok(vars.size >= 10);
    for (const v of vars) assert.ok(readme.includes(`\`${v}\``), `${v} missing from the README`);
  });

  it('names only npm scripts that exist, and the three a newcomer needs', () => {
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    for (const m of readme.matchAll(/npm run ([\w:-]+)/g)) assert.ok(pkg.scripts[m[1]!], `npm run ${m[1]} is not a script`);
    for (const c of ['npm install', 'npm start', 'npm test']) assert.ok(readme.includes(c));
  });
});
