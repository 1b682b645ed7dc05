/**
 * `npm run bench:s3` (and the last part of `npm run bench`): the same clips and map tiles with the files on
 * local disk and in an S3 bucket, in the same run, as ratios. The S3 server is a single-node Ceph RGW on
 * this machine (scripts/rgw.sh; skipped with a message when Ceph is not installed), so the figures show
 * what the S3 path costs in requests and copies, not a network's latency.
 *
 * Clips: the engine alone in this process (the mosaic opened through each store; with the S3 store's
 * range requests and bytes fetched counted), and api.clip.bench.ts (create → completed → downloaded), on
 * the bench mosaic (make_mosaic.py 16384 JPEG) for the 1000 m and 3000 m AOIs, best of BENCH_REPEAT (3)
 * runs each, local and S3 interleaved.
 * Tiles: tiles.bench.ts over the sample area (BENCH_PER_ZOOM tiles a zoom, default 150): the area's own
 * mosaic in a fresh process, then the clip's output with cold and with warm caches.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import type { FileStore } from '../../src/files/file.store.js';
import { LocalFileStore } from '../../src/files/local.store.js';
import { createS3Client } from '../../src/files/s3.client.js';
import { S3FileStore } from '../../src/files/s3.store.js';
import { clipSourceToCog } from '../../src/raster/clip/clip.run.js';
import { benchDir, benchInputs, copyIntoStore, fmtRow, repoRoot, startRgw } from './bench.util.js';

const repeat = Number(process.env.BENCH_REPEAT ?? 3);
const perZoom = process.env.BENCH_PER_ZOOM ?? '150';
const bucket = 'geopera-bench';

function node(script: string, args: string[], env: NodeJS.ProcessEnv): string {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(repoRoot, script), ...args], { encoding: 'utf8', env, maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${script} failed (${r.status}): ${r.stderr.slice(-3000)}`);
  return r.stdout;
}

/** `total_s` of api.clip.bench.ts (its last line of output). */
const apiTotal = (out: string): number => (JSON.parse(out.trim().split('\n').at(-1)!) as { total_s: number }).total_s;

const rgw = startRgw();
if (!rgw) {
  process.stdout.write('S3 rows skipped: Ceph is not installed (apt-get install --no-install-recommends radosgw ceph-mon ceph-osd)\n');
  process.exit(0);
}
let run = 0;
/** The environment of a geopera whose files are under a fresh prefix of the bench bucket. */
const s3Env = (): NodeJS.ProcessEnv => ({ ...process.env, ...rgw.env, GEOPERA_STORAGE_URL: `s3://${bucket}/run-${run++}` });
const localEnv: NodeJS.ProcessEnv = { ...process.env, GEOPERA_STORAGE_URL: '' };
try {
  const client = createS3Client({ endpoint: rgw.env.AWS_ENDPOINT_URL_S3, region: rgw.env.AWS_REGION ?? 'us-east-1', credentials: { accessKeyId: rgw.env.AWS_ACCESS_KEY_ID!, secretAccessKey: rgw.env.AWS_SECRET_ACCESS_KEY! } });
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  client.destroy();

  const { mosaic, aois } = benchInputs(Number(process.env.BENCH_SIZE ?? 16384), 'JPEG', [1000, 3000]);

  // The engine alone, in this process: the clip reads the mosaic through a local store and through an S3 store.
  const env = rgw.env;
  const s3Store = new S3FileStore({
    kind: 's3', bucket, prefix: 'engine/', endpoint: env.AWS_ENDPOINT_URL_S3, region: env.AWS_REGION ?? 'us-east-1',
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID!, secretAccessKey: env.AWS_SECRET_ACCESS_KEY! }, cacheBytes: 32 * 1024 * 1024, stagingDir: path.join(benchDir, 'staging'),
  });
  await copyIntoStore(s3Store, mosaic, 'mosaic.tif');
  const diskStore = new LocalFileStore(path.dirname(mosaic));
  const clipOnce = async (store: FileStore, key: string, aoi: string): Promise<number> => {
    const source = await store.openSource(key);
    const t0 = performance.now();
    await clipSourceToCog(source, JSON.parse(readFileSync(aoi, 'utf8')) as unknown, path.join(benchDir, 's3bench_out.tif'));
    await source.close();
    return (performance.now() - t0) / 1000;
  };
  process.stdout.write(`\nthe clip engine alone (in process), mosaic read from local disk vs from S3 (single-node Ceph RGW on this machine), best of ${repeat}\n`);
  const ew = [10, 16, 16, 14, 40];
  process.stdout.write(`${fmtRow(['AOI', 'local disk s', 'S3 (RGW) s', 'S3 ÷ local', 'S3 range requests (bytes fetched) a clip'], ew)}\n`);
  for (const [radius, aoi] of aois) {
    const best = { local: Infinity, s3: Infinity };
    let gets = 0;
    let bytes = 0;
    for (let i = 0; i < repeat; i++) {
      best.local = Math.min(best.local, await clipOnce(diskStore, path.basename(mosaic), aoi));
      s3Store.cache.clear();
      const [g0, b0] = [s3Store.calls.GetObjectCommand ?? 0, s3Store.cache.stats.bytesFetched];
      best.s3 = Math.min(best.s3, await clipOnce(s3Store, 'mosaic.tif', aoi));
      [gets, bytes] = [(s3Store.calls.GetObjectCommand ?? 0) - g0, s3Store.cache.stats.bytesFetched - b0];
    }
    process.stdout.write(`${fmtRow([`${radius} m`, best.local.toFixed(2), best.s3.toFixed(2), `${(best.s3 / best.local).toFixed(2)}x`, `${gets} (${(bytes / 1e6).toFixed(1)} MB of ${(readFileSync(mosaic).length / 1e6).toFixed(0)} MB)`], ew)}\n`);
  }
  rmSync(path.join(benchDir, 's3bench_out.tif'), { force: true });
  await s3Store.deletePrefix('');
  s3Store.client.destroy();

  process.stdout.write(`\nfiles on local disk vs in S3 (single-node Ceph RGW on this machine), same run; clip = API create → completed → downloaded, best of ${repeat}\n`);
  const widths = [10, 16, 16, 14];
  process.stdout.write(`${fmtRow(['AOI', 'local disk s', 'S3 (RGW) s', 'S3 ÷ local'], widths)}\n`);
  for (const [radius, aoi] of aois) {
    const best = { local: Infinity, s3: Infinity };
    for (let i = 0; i < repeat; i++) {
      best.local = Math.min(best.local, apiTotal(node('scripts/bench/api.clip.bench.ts', [mosaic, aoi], localEnv)));
      best.s3 = Math.min(best.s3, apiTotal(node('scripts/bench/api.clip.bench.ts', [mosaic, aoi], s3Env())));
    }
    process.stdout.write(`${fmtRow([`${radius} m`, best.local.toFixed(2), best.s3.toFixed(2), `${(best.s3 / best.local).toFixed(2)}x`], widths)}\n`);
  }

  const tileEnv = { BENCH_PER_ZOOM: perZoom, BENCH_CONCURRENCY: process.env.BENCH_CONCURRENCY ?? '32' };
  const parse = (out: string): Map<string, number> => {
    const rows = new Map<string, number>();
    const clip = /completed in ([\d.]+) s/.exec(out);
    if (clip) rows.set('clip of 80 % of the sample area, s', Number(clip[1]));
    for (const m of out.matchAll(/^(area tiles \(fresh process\)|geopera tiles \(cold caches\)|geopera tiles \(warm caches\))\s+(\d+) tiles\/s/gm)) rows.set(`${m[1]}, tiles/s`, Number(m[2]));
    return rows;
  };
  const onDisk = parse(node('scripts/bench/tiles.bench.ts', [], { ...localEnv, ...tileEnv }));
  const onS3 = parse(node('scripts/bench/tiles.bench.ts', [], { ...s3Env(), ...tileEnv }));
  process.stdout.write(`\nmap tiles (tiles.bench.ts, sample area, ${perZoom} tiles a zoom at most, PNG)\n`);
  const tw = [40, 12, 12, 12];
  process.stdout.write(`${fmtRow(['', 'local disk', 'S3 (RGW)', 'S3 ÷ local'], tw)}\n`);
  for (const [label, v] of onDisk) {
    const w = onS3.get(label);
    process.stdout.write(`${fmtRow([label, v, w ?? '-', w === undefined ? '' : `${(w / v).toFixed(2)}x`], tw)}\n`);
  }
} finally {
  rgw.stop();
}
