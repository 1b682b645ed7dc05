#!/usr/bin/env node
// `npm test`: every test/**/*.test.ts through node's test runner with tsx (Node 20 has no --test globs).
// Then the file-sensitive tests (file store, catalog, jobs and downloads, tiles over HTTP) run a second
// time with their files on a real S3 server: a single-node Ceph RGW started by scripts/rgw.sh (while the
// first pass runs) and stopped after. Without Ceph installed that pass is skipped with a message;
// GEOPERA_TEST_RGW=0 skips it on purpose.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Tests whose subject reads or writes the data directory's files: run on local disk, then on S3. */
const FileSensitive = ['test/files', 'test/catalog', 'test/jobs', 'test/tiles/tile.http.test.ts', 'test/tiles/tile.replace.test.ts'];

function find(dir) {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return name === 'fixtures' ? [] : find(file);
    return name.endsWith('.test.ts') ? [file] : [];
  });
}

function run(cmd, args, opts = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: 'inherit', ...opts });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const only = process.argv.slice(2);
const files = (only.length > 0 ? only.flatMap((p) => (statSync(p).isDirectory() ? find(p) : [p])) : find('test')).sort();
const testArgs = (list) => ['--import', 'tsx', '--test', '--test-concurrency=2', ...list];
const s3Files = files.filter((f) => FileSensitive.some((p) => f === p || f.startsWith(`${p}/`)));
const wantS3 = s3Files.length > 0 && process.env.GEOPERA_TEST_RGW !== '0' && process.env.GEOPERA_TEST_FILES !== 's3';

// The cluster comes up (about 15 s, little CPU) while the first pass runs.
const rgwDir = wantS3 ? mkdtempSync(path.join(os.tmpdir(), 'geopera-rgw-')) : '';
const rgwLog = path.join(rgwDir, 'start.log');
const rgwStarted = wantS3 ? run('bash', ['scripts/rgw.sh', 'start', path.join(rgwDir, 'cluster')], { stdio: ['ignore', openSync(rgwLog, 'w'), openSync(rgwLog, 'a')] }) : Promise.resolve(0);
const stopRgw = async () => {
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

let status = await run(process.execPath, testArgs(files));
if (wantS3) {
  const rgw = await rgwStarted;
  if (rgw === 3) {
    console.log('# S3 pass skipped: Ceph is not installed (apt-get install --no-install-recommends radosgw ceph-mon ceph-osd)');
  } else if (rgw !== 0) {
    console.log(`# S3 pass failed: scripts/rgw.sh could not start the Ceph RGW (exit ${rgw}):\n${readFileSync(rgwLog, 'utf8')}`);
    status = status || 1;
  } else {
    const env = { ...process.env, GEOPERA_TEST_FILES: 's3' };
    for (const line of readFileSync(path.join(rgwDir, 'cluster', 'env'), 'utf8').split('\n')) {
      const m = /^(\w+)=(.*)$/.exec(line);
      if (m) env[m[1]] = m[2];
    }
    console.log(`# S3 pass: ${s3Files.length} test files again with their files on Ceph RGW (${env.AWS_ENDPOINT_URL_S3})`);
    const s3Status = await run(process.execPath, testArgs(s3Files), { env });
    status = status || s3Status;
  }
  await stopRgw();
}
process.exit(status);
