/**
 * One clip through the whole API, as a user sees it: start geopera over a temp data dir whose area
 * holds the mosaic, create the job, poll until completed, download the COG. Prints JSON timings.
 * With GEOPERA_STORAGE_URL (and AWS_*) set, the area lives in that bucket: the mosaic is uploaded first
 * (untimed), the clip reads it by range requests and uploads its output, the download streams from S3.
 *   node --import tsx scripts/bench/api.clip.bench.ts MOSAIC.tif AOI.geojson
 */
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createApiKey } from '../../src/auth/key.service.js';
import { Scopes } from '../../src/auth/scopes.js';
import { loadConfig } from '../../src/config.js';
import { createApp } from '../../src/http/app.js';
import { createLogger } from '../../src/log.js';
import { listen } from '../../src/server/http.server.js';
import { createRuntime } from '../../src/server/services.create.js';
import { copyIntoStore } from './bench.util.js';

const [mosaic, aoiFile] = process.argv.slice(2);
if (!mosaic || !aoiFile) throw new Error('usage: api.clip.bench.ts MOSAIC.tif AOI.geojson');
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'geopera-bench-'));
const config = loadConfig({ ...process.env, GEOPERA_DATA_DIR: dataDir, GEOPERA_PORT: '0', GEOPERA_LOG_LEVEL: 'warn' });
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
const { server, url } = await listen(createApp(runtime.services, runtime.routers), '127.0.0.1', 0);
await runtime.runner.start();
// A user's server is already running: its clip thread is up (loading it is not part of a clip).
await runtime.services.poolHealthy();
const call = async (op: string, body: unknown, accept = 'application/json'): Promise<Response> =>
  fetch(`${url}/v1/op/${op}`, { method: 'POST', headers: { 'x-api-key': key, 'content-type': 'application/json', accept }, body: JSON.stringify(body) });

const t0 = performance.now();
const created = (await (await call('clip.create_from_area', { area: 'bench', mosaic_types: ['visual'], aoi_geometry: JSON.parse(readFileSync(aoiFile, 'utf8')) as unknown, organization_id: 'bench' })).json()) as { job: { id: string } };
let status = 'queued';
while (status !== 'completed') {
  await new Promise((r) => setTimeout(r, 20));
  const job = (await (await call('clip.job.get', { job_id: created.job.id })).json()) as { status: string; error?: unknown };
  status = job.status;
  if (status === 'failed') throw new Error(JSON.stringify(job));
}
const t1 = performance.now();
const bytes = (await (await call('clip.job.download', { job_id: created.job.id, mosaic_type: 'visual' }, '*/*')).arrayBuffer()).byteLength;
const t2 = performance.now();
process.stdout.write(`${JSON.stringify({ create_to_completed_s: (t1 - t0) / 1000, download_s: (t2 - t1) / 1000, total_s: (t2 - t0) / 1000, bytes })}\n`);
server.closeAllConnections();
server.close();
if (config.files.kind === 's3') await runtime.files.deletePrefix('');
await runtime.close(1000);
await rm(dataDir, { recursive: true, force: true });
