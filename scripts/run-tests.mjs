#!/usr/bin/env node
// `npm test`: every test/**/*.test.ts through node's test runner with tsx (Node 20 has no --test globs),
// on SQLite; then, when PostgreSQL is installed, a second pass on PostgreSQL (a throwaway server from
// scripts/postgres.mjs) of the files that run a server or a storage (those importing the test harness,
// the backend or a child server) and of test/cluster (several nodes on one database).
//   node scripts/run-tests.mjs [files or dirs]   GEOPERA_TEST_POSTGRES=0 skips the second pass;
//   GEOPERA_TEST_DATABASE_URL=postgres://… uses that server instead of starting one.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { postgresBin, startPostgres } from './postgres.mjs';

function find(dir) {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return name === 'fixtures' ? [] : find(file);
    return name.endsWith('.test.ts') ? [file] : [];
  });
}

/** Files whose outcome depends on the database engine. */
const usesStorage = (file) => file.split(path.sep).includes('cluster') || /support\/(harness|backend|child\.server)\.js|client\.world\.js/.test(readFileSync(file, 'utf8'));

function run(files, env = {}) {
  if (files.length === 0) return 0;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], { stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status ?? 1;
}

const only = process.argv.slice(2);
const files = (only.length > 0 ? only.flatMap((p) => (statSync(p).isDirectory() ? find(p) : [p])) : find('test')).sort();
const second = files.filter(usesStorage);
const external = process.env.GEOPERA_TEST_DATABASE_URL;
const wanted = process.env.GEOPERA_TEST_POSTGRES !== '0' && second.length > 0;
const canStart = wanted && (external || postgresBin());
const isCluster = (f) => f.split(path.sep).includes('cluster');

// First pass: SQLite (cluster tests, which need PostgreSQL, wait for the second pass when there is one).
let status = run(canStart ? files.filter((f) => !isCluster(f)) : files, { GEOPERA_TEST_DATABASE_URL: '' });

if (wanted && !canStart) {
  process.stdout.write('# PostgreSQL is not installed (apt-get install postgresql): the PostgreSQL pass is skipped\n');
} else if (canStart) {
  const pg = external ? { url: external, stop() {} } : await startPostgres();
  try {
    process.stdout.write(`# PostgreSQL pass: ${second.length} files on ${external ? 'GEOPERA_TEST_DATABASE_URL' : 'a throwaway server'}\n`);
    status = run(second, { GEOPERA_TEST_DATABASE_URL: pg.url }) || status;
  } finally {
    pg.stop();
  }
}
process.exit(status);
