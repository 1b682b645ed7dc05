#!/usr/bin/env node
// `npm test`: every test/**/*.test.ts through node's test runner with tsx (Node 20 has no --test globs), on
// SQLite with the files on local disk. Then the second pass, on the engines several nodes run on: the tests
// whose outcome depends on the database (those starting a server or a storage: importing the test harness,
// the backend or a child server) or on the file store (file store, catalog, jobs and downloads, tiles over
// HTTP, admin migrate), and test/cluster (several nodes on one database and one bucket), again with every table in PostgreSQL (a
// throwaway server from scripts/postgres.mjs) and the files on a real S3 server (a single-node Ceph RGW
// from scripts/rgw.sh, started while the first pass runs). The same tests, not copies. An engine that is not
// installed is left out of the second pass with a message (the pass runs with what there is).
//   node scripts/run-tests.mjs [files or dirs]
//   GEOPERA_TEST_POSTGRES=0 / GEOPERA_TEST_RGW=0 leave PostgreSQL / S3 out on purpose;
//   GEOPERA_TEST_DATABASE_URL=postgres://… uses that server instead of starting one.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { postgresBin, startPostgres } from './postgres.mjs';

/**
 * Tests that run on SQLite and local disk only: the operation-sequence properties (they restart a server on
 * its own data directory); the clients' tests (CLI, console in Chromium), whose subject is the client: the
 * operations they call are tested on both engines by the API's own tests; and the national grids' clips,
 * whose subject is the coordinate systems (the engine reads every file through the same Source, wherever
 * its bytes are: `jobs.flow` and the file-store tests run on S3).
 */
const FirstPassOnly = ['test/props', 'test/cli/client.commands.test.ts', 'test/cli/client.login.test.ts', 'test/web/console.browser.test.ts', 'test/jobs/crs.grids.test.ts'];
/** Tests whose subject reads or writes the data directory's files. */
const FileSensitive = ['test/files', 'test/catalog', 'test/jobs', 'test/tiles/tile.http.test.ts', 'test/tiles/tile.replace.test.ts', 'test/cli/admin.migrate.test.ts', 'test/cluster'];

function find(dir) {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return name === 'fixtures' ? [] : find(file);
    return name.endsWith('.test.ts') ? [file] : [];
  });
}

const isCluster = (f) => f.split(path.sep).includes('cluster');
/** Files whose outcome depends on the database engine. */
const usesStorage = (file) => isCluster(file) || /support\/(harness|backend|child\.server)\.js|client\.world\.js/.test(readFileSync(file, 'utf8'));
const usesFiles = (file) => FileSensitive.some((p) => file === p || file.startsWith(`${p}/`));

function run(cmd, args, opts = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: 'inherit', ...opts });
    if (opts.onLine) readLines(child.stdout, opts.onLine);
    child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

/** Calls `onLine` with each line of a stream, and copies the stream to our stdout. */
function readLines(stream, onLine) {
  let rest = '';
  stream.on('data', (chunk) => {
    process.stdout.write(chunk);
    const lines = (rest + chunk.toString('utf8')).split('\n');
    rest = lines.pop() ?? '';
    lines.forEach(onLine);
  });
  stream.on('end', () => rest && onLine(rest));
}

/**
 * The failed tests of a TAP stream, each with the names of the suites around it and the first lines of its
 * YAML block (location, error): the end of a long CI log is often all of it anyone sees, so the run ends
 * with this list. Suites failed only because a test in them failed are left out.
 */
function tapFailures() {
  const failures = [];
  const open = []; // names of the subtests being reported, by depth
  let current = null;
  const onLine = (line) => {
    const sub = /^( *)# Subtest: (.*)$/.exec(line);
    if (sub) {
      open.length = sub[1].length / 4;
      open.push(sub[2]);
      return;
    }
    const notOk = /^( *)not ok \d+ - (.*)$/.exec(line);
    if (notOk) {
      const depth = notOk[1].length / 4;
      current = { path: [...open.slice(0, depth), notOk[2]], details: [], indent: notOk[1].length + 2 };
      failures.push(current);
      return;
    }
    if (!current) return;
    const body = line.slice(current.indent);
    if (body === '...' || /^ *(ok|not ok) \d+/.test(line) || /^ *# Subtest:/.test(line)) current = null;
    else if (body !== '---' && !body.startsWith('duration_ms:') && current.details.length < 12) current.details.push(body);
  };
  const report = () =>
    failures
      .filter((f) => !f.details.some((d) => /failureType: 'subtestsFailed'/.test(d)))
      .map((f) => `#   ${f.path.join(' > ')}\n${f.details.map((d) => `#       ${d}`).join('\n')}`);
  return { onLine, report };
}

const failed = []; // [pass, report lines]
async function runTests(list, env = {}, pass = 'first pass') {
  if (list.length === 0) return 0;
  const tap = tapFailures();
  const code = await run(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', '--test-concurrency=2', ...list], {
    env: { ...process.env, ...env },
    stdio: ['inherit', 'pipe', 'inherit'],
    onLine: tap.onLine,
  });
  const report = tap.report();
  if (code !== 0 || report.length > 0) failed.push([pass, code, report]);
  return code;
}

const only = process.argv.slice(2);
const files = (only.length > 0 ? only.flatMap((p) => (statSync(p).isDirectory() ? find(p) : [p])) : find('test')).sort();
const second = files.filter((f) => (usesStorage(f) || usesFiles(f)) && !FirstPassOnly.some((p) => f === p || f.startsWith(`${p}/`)));

const externalDb = process.env.GEOPERA_TEST_DATABASE_URL;
const wantPg = second.length > 0 && process.env.GEOPERA_TEST_POSTGRES !== '0';
const havePg = wantPg && Boolean(externalDb || postgresBin());
const wantS3 = second.some(usesFiles) && process.env.GEOPERA_TEST_RGW !== '0' && process.env.GEOPERA_TEST_FILES !== 's3';

// The Ceph cluster comes up (about 15 s, little CPU) while the first pass runs.
const rgwDir = wantS3 ? mkdtempSync(path.join(os.tmpdir(), 'geopera-rgw-')) : '';
const rgwLog = path.join(rgwDir, 'start.log');
const rgwStarted = wantS3 ? run('bash', ['scripts/rgw.sh', 'start', path.join(rgwDir, 'cluster')], { stdio: ['ignore', openSync(rgwLog, 'w'), openSync(rgwLog, 'a')] }) : Promise.resolve(-1);
const stopRgw = async () => {
  if (!wantS3) return;
  await run('bash', ['scripts/rgw.sh', 'stop', path.join(rgwDir, 'cluster')], { stdio: 'ignore' });
  rmSync(rgwDir, { recursive: true, force: true });
};
// Interrupted (Ctrl-C, a CI timeout): stop the cluster's daemons rather than leave them running.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (wantS3) spawnSync('bash', ['scripts/rgw.sh', 'stop', path.join(rgwDir, 'cluster')], { stdio: 'ignore' });
    process.exit(130);
  });
}

// First pass: SQLite and local disk (cluster tests need PostgreSQL: they wait for the second pass when there is one).
let status = await runTests(havePg ? files.filter((f) => !isCluster(f)) : files, { GEOPERA_TEST_DATABASE_URL: '' });

if (second.length > 0) {
  const env = {};
  let pg;
  let list = second;
  if (!wantPg) {
    list = list.filter((f) => !isCluster(f));
  } else if (!havePg) {
    process.stdout.write('# PostgreSQL is not installed (apt-get install postgresql): the second pass runs without it\n');
    list = list.filter((f) => !isCluster(f));
  } else {
    pg = externalDb ? { url: externalDb, stop() {} } : await startPostgres();
    env.GEOPERA_TEST_DATABASE_URL = pg.url;
  }
  const rgw = await rgwStarted;
  if (rgw === 3) {
    process.stdout.write('# Ceph is not installed (apt-get install --no-install-recommends radosgw ceph-mon ceph-osd): the second pass keeps the files on local disk\n');
  } else if (rgw > 0) {
    process.stdout.write(`# scripts/rgw.sh could not start the Ceph RGW (exit ${rgw}):\n${readFileSync(rgwLog, 'utf8')}`);
    status = status || 1;
  } else if (rgw === 0) {
    env.GEOPERA_TEST_FILES = 's3';
    for (const line of readFileSync(path.join(rgwDir, 'cluster', 'env'), 'utf8').split('\n')) {
      const m = /^(\w+)=(.*)$/.exec(line);
      if (m) env[m[1]] = m[2];
    }
  }
  if (env.GEOPERA_TEST_DATABASE_URL || env.GEOPERA_TEST_FILES) {
    // Only the files whose engine changed; the file store changes only for the tests whose subject is the files
    // (the others manage their data directory themselves).
    const { GEOPERA_TEST_DATABASE_URL: db, ...filesEnv } = env;
    const dbEnv = db ? { GEOPERA_TEST_DATABASE_URL: db } : {};
    const onFiles = env.GEOPERA_TEST_FILES ? list.filter(usesFiles) : [];
    const onDb = db ? list.filter((f) => usesStorage(f) && !onFiles.includes(f)) : [];
    const engines = [db ? `PostgreSQL (${externalDb ? 'GEOPERA_TEST_DATABASE_URL' : 'a throwaway server'})` : 'SQLite', env.GEOPERA_TEST_FILES ? `Ceph RGW (${env.AWS_ENDPOINT_URL_S3})` : 'local disk'];
    process.stdout.write(`# Second pass: ${onFiles.length + onDb.length} test files again on ${engines.join(' and ')} (the files on S3 for ${onFiles.length} of them)\n`);
    try {
      status = (await runTests(onFiles, { ...dbEnv, ...filesEnv }, `second pass on ${engines.join(' and ')}`)) || status;
      status = (await runTests(onDb, dbEnv, `second pass on ${engines[0]}`)) || status;
    } finally {
      pg?.stop();
    }
  }
  await stopRgw();
}
for (const [pass, code, report] of failed) {
  process.stdout.write(`# FAILED in the ${pass} (exit ${code}): ${report.length} test(s)\n${report.join('\n')}\n`);
}
process.exit(status);
