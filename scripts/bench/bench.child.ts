/**
 * A geopera server as its own process (`bin/geopera.js serve`), as operators run it, and the HTTP helpers
 * the benches that drive it share.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { lonLatBoundsToMercator, tileForLonLat, tileIntersects, type TileAddress } from '../../src/tiles/tile.grid.js';
import { repoRoot } from './bench.util.js';

/**
 * CPU seconds (user + system) a process has used so far, all threads or (`mainThread`) the event loop's
 * thread alone; NaN where /proc is unavailable.
 */
export function cpuSeconds(pid: number, mainThread = false): number {
  try {
    const fields = readFileSync(mainThread ? `/proc/${pid}/task/${pid}/stat` : `/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime in clock ticks (USER_HZ = 100)
  } catch {
    return NaN;
  }
}

/**
 * Start the server over `dataDir` with `key` as its bootstrap key (org `default`); resolves with its URL
 * once it prints that it listens. From dist/ when `fromSource` is false (run `npm run build` first), else
 * the sources through tsx. BENCH_NODE_ARGS passes flags to its node; BENCH_SERVER_STDOUT names a file its
 * stdout is appended to (with BENCH_LOG_LEVEL=info its log holds each job's `Job:Completed` line with the
 * clip thread's stage times); BENCH_SERVER_ROOT runs the server of another checkout (a reference build, for
 * an A/B in one run).
 */
export async function startChildServer(dataDir: string, key: string, fromSource = true): Promise<{ url: string; child: ChildProcess }> {
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const env: NodeJS.ProcessEnv = { ...process.env, GEOPERA_DATA_DIR: dataDir, GEOPERA_PORT: '0', GEOPERA_BOOTSTRAP_KEY: key, GEOPERA_LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn', GEOPERA_RATE_ORG: '0', GEOPERA_RATE_SPEND: '0', GEOPERA_RATE_ANON: '0' };
  if (fromSource) env.GEOPERA_FROM_SOURCE = '1';
  else delete env.GEOPERA_FROM_SOURCE;
  const child = spawn(process.execPath, [...nodeArgs, path.join(process.env.BENCH_SERVER_ROOT ?? repoRoot, 'bin/geopera.js'), 'serve'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (b: Buffer) => {
      if (process.env.BENCH_SERVER_STDOUT) appendFileSync(process.env.BENCH_SERVER_STDOUT, b);
      out += b.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
  return { url, child };
}

/** Stop a child server and wait for it to exit. */
export async function stopChildServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/** Link `mosaic` as area `id`'s visual mosaic in a data directory. */
export function linkBenchArea(dataDir: string, id: string, mosaic: string): void {
  mkdirSync(path.join(dataDir, 'areas', id, 'mosaics'), { recursive: true });
  symlinkSync(path.resolve(mosaic), path.join(dataDir, 'areas', id, 'mosaics/visual.tif'));
}

/** POST an operation with a bearer key; its JSON answer (throws unless 200). */
export async function op(url: string, key: string, id: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${url}/v1/op/${id}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body) });
  const json = (await res.json()) as Record<string, unknown>;
  if (res.status !== 200) throw new Error(`${id} answered ${res.status}: ${JSON.stringify(json)}`);
  return json;
}

/**
 * GET over keep-alive connections with node:http: the bench client shares the machine's two cores with
 * the server, and this costs it about half the CPU per request that fetch does.
 */
export const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
export function get(url: string): Promise<{ status: number; body: Buffer; serverTiming?: string }> {
  return new Promise((resolve, reject) => {
    http.get(url, { agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), serverTiming: res.headers['server-timing'] as string | undefined }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

/** A `Server-Timing` header's durations by name (`queue;dur=1.5, read;dur=0.3` → {queue: 1.5, read: 0.3}; names without dur → 0). */
export function parseServerTiming(header: string | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of (header ?? '').split(',')) {
    const [name, ...params] = part.trim().split(';');
    if (!name) continue;
    const dur = params.find((p) => p.trim().startsWith('dur='));
    out[name] = dur ? Number(dur.trim().slice(4)) : 0;
  }
  return out;
}

/** The p-th percentile of ascending `sorted`. */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** The median of `xs`. */
export const median = (xs: number[]): number => percentile([...xs].sort((a, b) => a - b), 50);

/** Run `fn` over `items` with `n` in flight. */
export async function inFlight<T>(items: T[], n: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

/** A tile's URL from a `{z}/{x}/{y}` template. */
export function tileUrlOf(template: string, t: TileAddress): string {
  return template.replace('{z}', String(t.z)).replace('{x}', String(t.x)).replace('{y}', String(t.y));
}

/** Tiles of a zoom that touch the bounds, nearest the centre first, at most `limit`. */
export function tilesOf(bounds: [number, number, number, number], z: number, limit: number): TileAddress[] {
  const merc = lonLatBoundsToMercator(bounds);
  const nw = tileForLonLat(bounds[0], bounds[3], z);
  const se = tileForLonLat(bounds[2], bounds[1], z);
  const cx = (nw.x + se.x) / 2;
  const cy = (nw.y + se.y) / 2;
  const out: TileAddress[] = [];
  for (let x = nw.x; x <= se.x; x++) for (let y = nw.y; y <= se.y; y++) if (tileIntersects({ z, x, y }, merc)) out.push({ z, x, y });
  return out.sort((a, b) => Math.hypot(a.x - cx, a.y - cy) - Math.hypot(b.x - cx, b.y - cy)).slice(0, limit);
}


/**
 * Create a clip of area `bench` (org `default`) and poll clip.job.get every 20 ms until it completed: its
 * job id, create → completed, and the job row's created → started (queue) and started → finished (run),
 * ms; each poll's latency is pushed to `api` when given.
 */
export async function clipPolled(url: string, key: string, geometry: unknown, api?: number[]): Promise<{ id: string; ms: number; queue: number; run: number }> {
  const t0 = performance.now();
  const created = await op(url, key, 'clip.create_from_area', { area: 'bench', mosaic_types: ['visual'], aoi_geometry: geometry, organization_id: 'default' });
  const id = (created.job as { id: string }).id;
  for (;;) {
    await new Promise((r) => setTimeout(r, 20));
    const a = performance.now();
    const job = await op(url, key, 'clip.job.get', { job_id: id });
    api?.push(performance.now() - a);
    const at = (k: string): number => Date.parse(job[k] as string);
    if (job.status === 'completed') return { id, ms: performance.now() - t0, queue: at('started_at') - at('created_at'), run: at('finished_at') - at('started_at') };
    if (job.status === 'failed') throw new Error(JSON.stringify(job.error));
  }
}
