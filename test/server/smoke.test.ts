/** Start the built server as a child process (as `npm start` does), wait for `listening on`, call it, stop it. */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { generateApiKey } from '../../src/auth/api.key.js';
import { startChildServer } from '../support/child.server.js';
import { repoRoot } from '../support/gdal.js';

const built = path.join(repoRoot, 'dist/src/cli/main.js');

describe('server smoke test', () => {
  it('starts, prints its URL, serves /healthz and an operation with the bootstrap key, stops on SIGTERM', { skip: existsSync(built) ? false : 'run `npm run build` first', timeout: 60_000 }, async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'geopera-smoke-'));
    await symlink(path.join(repoRoot, 'data/areas'), path.join(dataDir, 'areas'));
    const key = generateApiKey();
    const started = Date.now();
    const { url, child, exited } = await startChildServer({ GEOPERA_DATA_DIR: dataDir, GEOPERA_BOOTSTRAP_KEY: key, GEOPERA_WORKERS: '1' }, { built: true });
    try {
      assert.ok(Date.now() - started < 10_000, 'starts in seconds');
      assert.equal((await fetch(`${url}/healthz`)).status, 200);
      const res = await fetch(`${url}/v1/op/clip.areas.list`, { method: 'POST', headers: { 'x-api-key': key } });
      assert.equal(res.status, 200);
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
    } finally {
      child.kill('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
