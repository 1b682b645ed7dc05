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
import { parseArgs } from 'node:util';
import { GeoperaClient } from '../../src/client/index.js';
import { startBenchServer } from './bench.server.js';

const { positionals, values: opt } = parseArgs({
  allowPositionals: true,
  options: { poll: { type: 'string', default: '20' }, sdk: { type: 'boolean', default: false }, warm: { type: 'string' }, cold: { type: 'boolean', default: false }, repeat: { type: 'string', default: '1' }, 'no-download': { type: 'boolean', default: false } },
});
const [mosaic, aoiFile] = positionals;
if (!mosaic || !aoiFile) throw new Error('usage: api.clip.bench.ts MOSAIC.tif AOI.geojson [--poll MS | --sdk] [--warm AOI2] [--cold] [--repeat N] [--no-download]');
const pollMs = Number(opt.poll);
// A user's server is already running: its clip thread is up (loading it is not part of a clip), unless --cold.
const bench = await startBenchServer(mosaic, { cold: opt.cold });
const { tasks } = bench;
const call = (op: string, body: unknown, accept?: string): Promise<Response> => bench.call(op, body, accept);
const client = new GeoperaClient({ baseUrl: bench.url, token: bench.key });

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
await bench.close();
