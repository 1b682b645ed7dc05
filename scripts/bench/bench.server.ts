/**
 * A geopera server in the bench's own process over a temp data dir whose area `bench` holds a mosaic (a
 * link to it, or with GEOPERA_STORAGE_URL an upload to that bucket), an org `bench` and a key with every
 * scope. Shared by the API clip bench and the burst bench.
 */
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Piscina } from 'piscina';
import { createApiKey } from '../../src/auth/key.service.js';
import { Scopes } from '../../src/auth/scopes.js';
import { loadConfig } from '../../src/config.js';
import { createApp } from '../../src/http/app.js';
import { createLogger } from '../../src/log.js';
import type { StageTimes } from '../../src/raster/clip/stage.clock.js';
import { listen } from '../../src/server/http.server.js';
import { createRuntime, type Runtime } from '../../src/server/services.create.js';
import { copyIntoStore } from './bench.util.js';

export interface BenchServer {
  url: string;
  key: string;
  runtime: Runtime;
  /** What the clip thread answered for each task (its stage times), and how long its task took, ms. */
  tasks: { ms: number; stages?: StageTimes }[];
  /** POST an operation with the key. */
  call(op: string, body: unknown, accept?: string): Promise<Response>;
  close(): Promise<void>;
}

/** Start the server; unless `cold`, wait until its clip thread answers (a server that has been up a while). */
export async function startBenchServer(mosaic: string, opts: { cold?: boolean } = {}): Promise<BenchServer> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'geopera-bench-'));
  const config = loadConfig({ ...process.env, GEOPERA_DATA_DIR: dataDir, GEOPERA_PORT: '0', GEOPERA_LOG_LEVEL: 'warn', GEOPERA_RATE_ORG: '0', GEOPERA_RATE_SPEND: '0' });
  const runtime = await createRuntime(config, createLogger(config.logLevel));
  if (config.files.kind === 'local') {
    await mkdir(path.join(dataDir, 'areas/bench/mosaics'), { recursive: true });
    await symlink(path.resolve(mosaic), path.join(dataDir, 'areas/bench/mosaics/visual.tif'));
  } else {
    await copyIntoStore(runtime.files, path.resolve(mosaic), 'areas/bench/mosaics/visual.tif');
  }
  const storage = runtime.services.storage;
  await storage.orgs.create({ id: 'bench' });
  const key = (await createApiKey(storage, { orgId: 'bench', scopes: Scopes })).key;

  const tasks: BenchServer['tasks'] = [];
  const pool = runtime.pool as Piscina & { run: Piscina['run'] };
  const run = pool.run.bind(pool);
  pool.run = async (task, options) => {
    const t0 = performance.now();
    const answer = (await run(task, options)) as { stages?: StageTimes } | string;
    if (typeof answer === 'object' && 'stages' in answer) tasks.push({ ms: performance.now() - t0, ...(answer.stages ? { stages: answer.stages } : {}) });
    return answer;
  };

  const { server, url } = await listen(createApp(runtime.services, runtime.routers), '127.0.0.1', 0);
  await runtime.runner.start();
  if (!opts.cold) await runtime.services.poolHealthy();
  const call = async (op: string, body: unknown, accept = 'application/json'): Promise<Response> =>
    fetch(`${url}/v1/op/${op}`, { method: 'POST', headers: { 'x-api-key': key, 'content-type': 'application/json', accept }, body: JSON.stringify(body) });
  return {
    url, key, runtime, tasks, call,
    async close() {
      server.closeAllConnections();
      server.close();
      if (config.files.kind === 's3') await runtime.files.deletePrefix('');
      await runtime.close(1000);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
