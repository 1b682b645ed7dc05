/**
 * `npm run bench:burst`: BENCH_JOBS (200) small clips submitted at once, twice, on one server (from dist/,
 * as operators run it; the npm script builds first) over the bench mosaic (16384² JPEG). Each job is a
 * 100 m AOI (make_aoi.py's, moved) at its own place on a grid across the mosaic. Prints per burst: jobs/s
 * (first create → last completed), created → finished p50 / p99 / max, how many jobs started before one
 * created earlier (out of order), and the server's RSS (/proc, every 50 ms) before, at its peak and after:
 * flat memory means the second burst peaks where the first did.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateApiKey } from '../../src/auth/api.key.js';
import { linkBenchArea, op, percentile, startChildServer, stopChildServer } from './bench.child.js';
import { benchInputs } from './bench.util.js';

const size = 16384;
const jobs = Number(process.env.BENCH_JOBS ?? 200);
const { mosaic, aois } = benchInputs(size, 'JPEG', [100]);
const base = JSON.parse(readFileSync(aois.get(100)!, 'utf8')) as { features: { geometry: { coordinates: number[][][] } }[] };
const ring = base.features[0]!.geometry.coordinates[0]!;

/** The 100 m AOI moved by (dx, dy) metres (EPSG:3857 metres near the mosaic's latitude). */
function moved(dx: number, dy: number): unknown {
  const lat = (ring[0]![1]! * Math.PI) / 180;
  const degPerM = 180 / (Math.PI * 6378137);
  return { type: 'Polygon', coordinates: [ring.map(([x, y]) => [x! + dx * degPerM, y! + dy * degPerM * Math.cos(lat)])] };
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'geopera-bench-burst-'));
linkBenchArea(dataDir, 'bench', mosaic);
const key = generateApiKey();
const { url, child } = await startChildServer(dataDir, key, false);
const side = Math.ceil(Math.sqrt(jobs));
const step = 6000 / side;
const places = Array.from({ length: jobs }, (_, i) => moved(-3000 + step * (i % side), -3000 + step * Math.floor(i / side)));
interface Row { id: string; status: string; created_at: string; started_at: string | null; finished_at: string | null }
try {
  // One clip first: the server's clip thread and code are warm, as on a server that has been up a while.
  await op(url, key, 'clip.create_from_area', { area: 'bench', mosaic_types: ['visual'], aoi_geometry: moved(3500, 3500), organization_id: 'default' });
  let done = 0;
  for (let burst = 1; burst <= 2; burst++) {
    while (burst === 1) {
      const page = await op(url, key, 'clip.jobs.list', { organization_id: 'default', status: 'completed', limit: 1 });
      if ((page.total as number) === 1) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    if (burst === 1) done++;
    await new Promise((r) => setTimeout(r, 1000));
    const rssBefore = rssMb(child.pid!);
    let rssPeak = rssBefore;
    const sampler = setInterval(() => { rssPeak = Math.max(rssPeak, rssMb(child.pid!)); }, 50);
    const t0 = performance.now();
    const ids = await Promise.all(places.map(async (g) => ((await op(url, key, 'clip.create_from_area', { area: 'bench', mosaic_types: ['visual'], aoi_geometry: g, organization_id: 'default' })).job as { id: string }).id));
    const createdS = (performance.now() - t0) / 1000;
    for (;;) {
      const page = await op(url, key, 'clip.jobs.list', { organization_id: 'default', status: 'completed', limit: 1 });
      const failed = await op(url, key, 'clip.jobs.list', { organization_id: 'default', status: 'failed', limit: 1 });
      if ((failed.total as number) > 0) throw new Error(`${String(failed.total)} jobs failed: ${JSON.stringify(failed.items)}`);
      if ((page.total as number) === done + jobs) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const wallS = (performance.now() - t0) / 1000;
    done += jobs;
    await new Promise((r) => setTimeout(r, 1000));
    clearInterval(sampler);
    const rssAfter = rssMb(child.pid!);
    const mine = new Set(ids);
    const all = ((await op(url, key, 'clip.jobs.list', { organization_id: 'default', limit: 1000 })).items as Row[]).filter((r) => mine.has(r.id));
    const at = (s: string | null): number => Date.parse(s ?? '');
    const lat = all.map((r) => at(r.finished_at) - at(r.created_at)).sort((a, b) => a - b);
    const byCreate = [...all].sort((a, b) => at(a.created_at) - at(b.created_at));
    let outOfOrder = 0;
    let latestStart = -Infinity;
    for (const r of byCreate) {
      if (at(r.started_at) < latestStart) outOfOrder++;
      latestStart = Math.max(latestStart, at(r.started_at));
    }
    process.stdout.write(`burst ${burst}: ${jobs} jobs of 100 m created in ${createdS.toFixed(2)} s, all completed in ${wallS.toFixed(2)} s: ${(jobs / wallS).toFixed(1)} jobs/s; created → finished p50 ${percentile(lat, 50)} ms, p99 ${percentile(lat, 99)} ms, max ${lat.at(-1)} ms; ${all.length} completed, ${outOfOrder} started before a job created earlier; server RSS ${rssBefore.toFixed(0)} MB before, peak ${rssPeak.toFixed(0)} MB, ${rssAfter.toFixed(0)} MB after\n`);
  }
} finally {
  await stopChildServer(child);
  rmSync(dataDir, { recursive: true, force: true });
}
