/**
 * Clips through the whole API, as a user sees them: start geopera over a temp data dir whose area holds
 * the mosaic, create a job, learn that it completed, download the COG. Prints one JSON line per clip, the
 * last one the median of the measured runs (`total_s`, `create_to_completed_s`, …).
 * With GEOPERA_STORAGE_URL (and AWS_*) set, the area lives in that bucket: the mosaic is uploaded first
 * (untimed), the clip reads it by range requests and uploads its output, the download streams from S3.
 *
 *   node --import tsx scripts/bench/api.clip.bench.ts MOSAIC.tif AOI.geojson [options]
 *     --poll MS      poll clip.job.get every MS ms until completed (default 20)
 *     --sdk          wait with the SDK's clip.job.wait (its default intervals) instead
 *     --warm AOI2    clip AOI2 (another place) first, untimed: a server that has been up a while
 *     --cold         create the first job as soon as the server listens (its clip thread may still be starting)
 *     --repeat N     measured clips (default 1)
 *     --no-download  stop at completed
 *
 * Each clip line holds: `create_ms` (the create call), `queue_ms` (created → started, the job row's
 * timestamps), `run_ms` (started → finished), `worker_ms` (the clip thread's task, inside run_ms), `seen_ms`
 * (finished → the client knew: the poll latency), `polls`, and the clip thread's stage times (`stages`).
 */
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Piscina } from 'piscina';
import { createApiKey } from '../../src/auth/key.service.js';
import { Scopes } from '../../src/auth/scopes.js';
import { GeoperaClient } from '../../src/client/index.js';
import { loadConfig } from '../../src/config.js';
import { createApp } from '../../src/http/app.js';
import { createLogger } from '../../src/log.js';
import type { StageTimes } from '../../src/raster/clip/stage.clock.js';
import { listen } from '../../src/server/http.server.js';
import { createRuntime } from '../../src/server/services.create.js';
import { copyIntoStore } from './bench.util.js';

const { positionals, values: opt } = parseArgs({
  allowPositionals: true,
  options: { poll: { type: 'string', default: '20' }, sdk: { type: 'boolean', default: false }, warm: { type: 'string' }, cold: { type: 'boolean', default: false }, repeat: { type: 'string', default: '1' }, 'no-download': { type: 'boolean', default: false } },
});
const [mosaic, aoiFile] = positionals;
if (!mosaic || !aoiFile) throw new Error('usage: api.clip.bench.ts MOSAIC.tif AOI.geojson [--poll MS | --sdk] [--warm AOI2] [--cold] [--repeat N] [--no-download]');
const pollMs = Number(opt.poll);
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

// What the clip thread answered for each task (its stage times), and how long its task took.
const tasks: { ms: number; stages?: StageTimes }[] = [];
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
// A user's server is already running: its clip thread is up (loading it is not part of a clip), unless --cold.
if (!opt.cold) await runtime.services.poolHealthy();
const client = new GeoperaClient({ baseUrl: url, token: key });
const call = async (op: string, body: unknown, accept = 'application/json'): Promise<Response> =>
  fetch(`${url}/v1/op/${op}`, { method: 'POST', headers: { 'x-api-key': key, 'content-type': 'application/json', accept }, body: JSON.stringify(body) });

interface JobTimes { status: string; created_at: string; started_at: string | null; finished_at: string | null; error?: unknown }

async function clipOnce(aoi: string, download: boolean): Promise<Record<string, unknown>> {
  const t0 = performance.now();
  const created = (await (await call('clip.create_from_area', { area: 'bench', mosaic_types: ['visual'], aoi_geometry: JSON.parse(readFileSync(aoi, 'utf8')) as unknown, organization_id: 'bench' })).json()) as { job: { id: string } };
  const tc = performance.now();
  let polls = 0;
  let job: JobTimes;
  if (opt.sdk) {
    job = (await client.clip.job.wait(created.job.id, { onProgress: () => void polls++ })) as unknown as JobTimes;
  } else {
    for (;;) {
      await new Promise((r) => setTimeout(r, pollMs));
      polls++;
      job = (await (await call('clip.job.get', { job_id: created.job.id })).json()) as JobTimes;
      if (job.status === 'completed' || job.status === 'failed') break;
    }
  }
  const seenAt = performance.timeOrigin + performance.now();
  const t1 = performance.now();
  if (job.status !== 'completed') throw new Error(JSON.stringify(job));
  let bytes = 0;
  if (download) bytes = (await (await call('clip.job.download', { job_id: created.job.id, mosaic_type: 'visual' }, '*/*')).arrayBuffer()).byteLength;
  const t2 = performance.now();
  const at = (iso: string | null): number => Date.parse(iso ?? '');
  const task = tasks.at(-1);
  return {
    create_to_completed_s: (t1 - t0) / 1000, download_s: (t2 - t1) / 1000, total_s: (t2 - t0) / 1000, bytes,
    create_ms: Math.round(tc - t0), queue_ms: at(job.started_at) - at(job.created_at), run_ms: at(job.finished_at) - at(job.started_at),
    worker_ms: Math.round(task?.ms ?? NaN), seen_ms: Math.round(seenAt - at(job.finished_at)), polls,
    stages: Object.fromEntries(Object.entries(task?.stages ?? {}).map(([k, v]) => [k, Math.round(v.ms)])),
  };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
if (opt.warm) await clipOnce(opt.warm, false);
const runs: Record<string, unknown>[] = [];
for (let i = 0; i < Number(opt.repeat); i++) {
  const r = await clipOnce(aoiFile, !opt['no-download']);
  runs.push(r);
  process.stdout.write(`${JSON.stringify(r)}\n`);
}
const med = (k: string): number => median(runs.map((r) => r[k] as number));
process.stdout.write(`${JSON.stringify({ runs: runs.length, poll: opt.sdk ? 'sdk' : `${pollMs} ms`, create_to_completed_s: med('create_to_completed_s'), download_s: med('download_s'), total_s: med('total_s'), queue_ms: med('queue_ms'), run_ms: med('run_ms'), worker_ms: med('worker_ms'), seen_ms: med('seen_ms') })}\n`);
server.closeAllConnections();
server.close();
if (config.files.kind === 's3') await runtime.files.deletePrefix('');
await runtime.close(1000);
await rm(dataDir, { recursive: true, force: true });
