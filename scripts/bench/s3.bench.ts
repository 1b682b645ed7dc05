/**
 * `npm run bench:s3` (and the last part of `npm run bench`): the same clips, API calls and map tiles on the
 * single-node engines (SQLite, files on local disk) and on the engines several nodes share (PostgreSQL, files
 * in an S3 bucket), in the same run, as ratios. The S3 server is a single-node Ceph RGW and PostgreSQL a
 * throwaway server on this machine (scripts/rgw.sh, scripts/postgres.mjs; without PostgreSQL the second
 * column keeps SQLite, without Ceph the script stops with a message), so the figures show what those paths
 * cost in requests, round trips and copies, not a network's latency. Each run of a child gets a database of
 * its own.
 *
 * Clips: the engine alone in this process (the mosaic opened through each store; with the S3 store's
 * range requests and bytes fetched counted), and api.clip.bench.ts (create → completed → downloaded), on
 * the bench mosaic (make_mosaic.py 16384 JPEG) for the 1000 m and 3000 m AOIs, best of BENCH_REPEAT (3)
 * runs each, local and S3 interleaved.
 * Tiles: tiles.bench.ts over the sample area (BENCH_PER_ZOOM tiles a zoom, default 150): the area's own
 * mosaic in a fresh process, then the clip's output with cold and with warm caches.
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import pg_ from 'pg';
import type { FileStore } from '../../src/files/file.store.js';
import { LocalFileStore } from '../../src/files/local.store.js';
import { createS3Client } from '../../src/files/s3.client.js';
import { S3FileStore } from '../../src/files/s3.store.js';
import { clipSourceToCog } from '../../src/raster/clip/clip.run.js';
import { apiRates, closeAgent } from './api.rate.js';
import { apiTotal, benchDir, benchInputs, copyIntoStore, fmtRow, node, startRgw, tileRates } from './bench.util.js';
// @ts-expect-error: a plain .mjs script without types
import { postgresBin, startPostgres } from '../postgres.mjs';

const repeat = Number(process.env.BENCH_REPEAT ?? 3);
const perZoom = process.env.BENCH_PER_ZOOM ?? '150';
const bucket = 'geopera-bench';


const rgw = startRgw();
if (!rgw) {
  process.stdout.write('S3 rows skipped: Ceph is not installed (apt-get install --no-install-recommends radosgw ceph-mon ceph-osd)\n');
  process.exit(0);
}
const pg = postgresBin() ? ((await startPostgres()) as { url: string; stop(): void }) : undefined;
const remote = pg ? 'PostgreSQL + S3' : 'SQLite + S3';
let run = 0;
/** A fresh database on the bench's PostgreSQL (every child makes its own `bench` org). */
async function freshDatabase(): Promise<Record<string, string>> {
  if (!pg) return {};
  const name = `bench_${run}`;
  const client = new pg_.Client({ connectionString: pg.url });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(pg.url);
  url.pathname = `/${name}`;
  return { GEOPERA_DATABASE_URL: url.toString() };
}
/** The environment of a geopera on the shared engines: a fresh database, its files under a fresh prefix of the bench bucket. */
const remoteEnv = async (): Promise<NodeJS.ProcessEnv> => ({ ...process.env, ...rgw.env, ...(await freshDatabase()), GEOPERA_STORAGE_URL: `s3://${bucket}/run-${run++}` });
const localEnv: NodeJS.ProcessEnv = { ...process.env, GEOPERA_STORAGE_URL: '', GEOPERA_DATABASE_URL: '' };
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

  process.stdout.write(`\nSQLite + local disk vs ${remote} (RGW) on this machine, same run; clip = API create → completed → downloaded, best of ${repeat}\n`);
  const widths = [10, 16, 22, 14];
  process.stdout.write(`${fmtRow(['AOI', 'SQLite + disk s', `${remote} s`, 'ratio'], widths)}\n`);
  for (const [radius, aoi] of aois) {
    const best = { local: Infinity, s3: Infinity };
    for (let i = 0; i < repeat; i++) {
      best.local = Math.min(best.local, apiTotal(node('scripts/bench/api.clip.bench.ts', [mosaic, aoi], localEnv)));
      best.s3 = Math.min(best.s3, apiTotal(node('scripts/bench/api.clip.bench.ts', [mosaic, aoi], await remoteEnv())));
    }
    process.stdout.write(`${fmtRow([`${radius} m`, best.local.toFixed(2), best.s3.toFixed(2), `${(best.s3 / best.local).toFixed(2)}x`], widths)}\n`);
  }

  const n = Number(process.env.BENCH_API_N ?? 4000);
  const localApi = await apiRates({ GEOPERA_DATABASE_URL: '', GEOPERA_STORAGE_URL: '' }, n);
  const remoteApi = await apiRates(await remoteEnv() as Record<string, string>, n);
  closeAgent();
  process.stdout.write(`\nAPI requests/s over HTTP, in process, 16 in flight, ${n} requests each\n`);
  const aw = [40, 16, 22, 10];
  process.stdout.write(`${fmtRow(['', 'SQLite + disk', remote, 'ratio'], aw)}\n`);
  process.stdout.write(`${fmtRow(['clip.job.get (auth, rate limits, a read)', localApi.jobGet.toFixed(0), remoteApi.jobGet.toFixed(0), `${(remoteApi.jobGet / localApi.jobGet).toFixed(2)}x`], aw)}\n`);
  process.stdout.write(`${fmtRow(['cached map tile by token', localApi.cachedTile.toFixed(0), remoteApi.cachedTile.toFixed(0), `${(remoteApi.cachedTile / localApi.cachedTile).toFixed(2)}x`], aw)}\n`);

  const tileEnv = { BENCH_PER_ZOOM: perZoom, BENCH_CONCURRENCY: process.env.BENCH_CONCURRENCY ?? '32' };
  const onDisk = tileRates(node('scripts/bench/tiles.bench.ts', [], { ...localEnv, ...tileEnv }));
  const onS3 = tileRates(node('scripts/bench/tiles.bench.ts', [], { ...(await remoteEnv()), ...tileEnv }));
  process.stdout.write(`\nmap tiles (tiles.bench.ts, sample area, ${perZoom} tiles a zoom at most, PNG)\n`);
  const tw = [40, 16, 22, 10];
  process.stdout.write(`${fmtRow(['', 'SQLite + disk', remote, 'ratio'], tw)}\n`);
  for (const [label, v] of onDisk) {
    const w = onS3.get(label);
    process.stdout.write(`${fmtRow([label, v, w ?? '-', w === undefined ? '' : `${(w / v).toFixed(2)}x`], tw)}\n`);
  }
} finally {
  rgw.stop();
  pg?.stop();
}
