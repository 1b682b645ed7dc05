/**
 * Clips on a warm server run as operators run it (from dist/: build first), one JSON line out: a 1000 m clip
 * of another place first (untimed), then each AOI given, BENCH_REPEAT (3) times in turn, create → completed
 * (clip.job.get polled every 20 ms); the medians per AOI, and the server's peak RSS (VmHWM) over it all.
 *   node --import tsx scripts/bench/server.clip.bench.ts MOSAIC.tif WARM_AOI AOI...
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateApiKey } from '../../src/auth/api.key.js';
import { clipPolled, linkBenchArea, median, startChildServer, stopChildServer } from './bench.child.js';

const [mosaic, warmAoi, ...aoiFiles] = process.argv.slice(2);
if (!mosaic || !warmAoi || aoiFiles.length === 0) throw new Error('usage: server.clip.bench.ts MOSAIC.tif WARM_AOI AOI...');
const repeat = Number(process.env.BENCH_REPEAT ?? 3);


const dataDir = mkdtempSync(path.join(os.tmpdir(), 'geopera-bench-sclip-'));
linkBenchArea(dataDir, 'bench', mosaic);
const key = generateApiKey();
const { url, child } = await startChildServer(dataDir, key, false);
try {
  const read = (f: string): unknown => JSON.parse(readFileSync(f, 'utf8'));
  await clipPolled(url, key, read(warmAoi));
  const times = aoiFiles.map(() => [] as number[]);
  for (let i = 0; i < repeat; i++) for (const [j, f] of aoiFiles.entries()) times[j]!.push((await clipPolled(url, key, read(f))).ms);
  const hwm = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
  process.stdout.write(`${JSON.stringify({ create_to_completed_s: times.map((t) => median(t) / 1000), runs_s: times.map((t) => t.map((x) => x / 1000)), peak_rss_mb: hwm ? Number(hwm[1]) / 1024 : NaN })}\n`);
} finally {
  await stopChildServer(child);
  rmSync(dataDir, { recursive: true, force: true });
}
