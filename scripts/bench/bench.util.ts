/** Benchmark helpers: timed child processes with peak RSS (GNU time), and bench inputs made once with GDAL. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FileStore } from '../../src/files/file.store.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const benchDir = path.join(repoRoot, '.bench');
const toolsDir = path.resolve(repoRoot, '../shared/tools');

export interface Timed {
  wallS: number;
  peakRssMb: number;
  stdout: string;
}

/** Run a command under /usr/bin/time; wall seconds and peak RSS in MB. */
export function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Timed {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', cmd, ...args], { encoding: 'utf8', env, maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${r.stderr.slice(-2000)}`);
  const last = r.stderr.trim().split('\n').at(-1)!.split(' ');
  return { wallS: Number(last[0]), peakRssMb: Number(last[1]) / 1024, stdout: r.stdout };
}

/** The mosaic of `make_mosaic.py SIZE COMPRESS` and AOIs of `make_aoi.py` around its centre (made once, kept in .bench/). */
export function benchInputs(size: number, compress: string, radii: number[]): { mosaic: string; aois: Map<number, string> } {
  mkdirSync(benchDir, { recursive: true });
  const mosaic = path.join(benchDir, `mosaic${size}_${compress}.tif`);
  if (!existsSync(mosaic)) {
    process.stderr.write(`making ${mosaic} with make_mosaic.py (once) …\n`);
    const r = spawnSync('/usr/bin/python3', [path.join(toolsDir, 'make_mosaic.py'), mosaic, String(size), compress], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error('make_mosaic.py failed');
  }
  // make_mosaic.py: origin (1 000 000, 6 000 000) in EPSG:3857, 0.5 m pixels.
  const cx = 1_000_000 + (size * 0.5) / 2;
  const cy = 6_000_000 - (size * 0.5) / 2;
  const aois = new Map<number, string>();
  for (const r of radii) {
    const file = path.join(benchDir, `aoi_${size}_${r}.geojson`);
    if (!existsSync(file)) spawnSync('/usr/bin/python3', [path.join(toolsDir, 'make_aoi.py'), file, String(cx), String(cy), String(r)], { stdio: 'ignore' });
    aois.set(r, file);
  }
  return { mosaic, aois };
}

/** An AOI of `make_aoi.py` of `radius` m centred `dx`, `dy` metres (EPSG:3857) off the bench mosaic's centre (made once). */
export function benchAoi(size: number, radius: number, dx: number, dy: number): string {
  const file = path.join(benchDir, `aoi_${size}_${radius}_${dx}_${dy}.geojson`);
  const cx = 1_000_000 + (size * 0.5) / 2 + dx;
  const cy = 6_000_000 - (size * 0.5) / 2 + dy;
  if (!existsSync(file)) spawnSync('/usr/bin/python3', [path.join(toolsDir, 'make_aoi.py'), file, String(cx), String(cy), String(radius)], { stdio: 'ignore' });
  return file;
}

export function fmtRow(cells: (string | number)[], widths: number[]): string {
  return cells.map((c, i) => String(c).padEnd(widths[i] ?? 12)).join(' ');
}

/** Copy a local file or directory tree into a file store under `key` (links followed; large files in parts). */
export async function copyIntoStore(files: FileStore, local: string, key: string): Promise<void> {
  if (statSync(local).isDirectory()) {
    for (const name of readdirSync(local)) if (!name.startsWith('.')) await copyIntoStore(files, path.join(local, name), `${key}/${name}`);
    return;
  }
  await copyFile(local, await files.stage(key));
  await files.commit(key);
}

/** A single-node Ceph RGW for a bench (scripts/rgw.sh): its AWS_* settings, or undefined when Ceph is not installed. */
export function startRgw(): { env: Record<string, string>; stop(): void } | undefined {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'geopera-bench-rgw-'));
  const cluster = path.join(dir, 'cluster');
  const r = spawnSync('bash', [path.join(repoRoot, 'scripts/rgw.sh'), 'start', cluster], { encoding: 'utf8' });
  if (r.status === 3) return undefined;
  if (r.status !== 0) throw new Error(`scripts/rgw.sh failed (${r.status}): ${r.stderr}`);
  const env: Record<string, string> = {};
  for (const line of readFileSync(path.join(cluster, 'env'), 'utf8').split('\n')) {
    const m = /^(\w+)=(.*)$/.exec(line);
    if (m) env[m[1]!] = m[2]!;
  }
  return {
    env,
    stop: () => {
      spawnSync('bash', [path.join(repoRoot, 'scripts/rgw.sh'), 'stop', cluster]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Run a bench script (`scripts/bench/…`) in a child process with `env`; its stdout (throws with its stderr on failure). */
export function node(script: string, args: string[], env: NodeJS.ProcessEnv): string {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(repoRoot, script), ...args], { encoding: 'utf8', env, maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${script} failed (${r.status}): ${r.stderr.slice(-3000)}`);
  return r.stdout;
}

/** `total_s` of api.clip.bench.ts (its last line of output). */
export const apiTotal = (out: string): number => (JSON.parse(out.trim().split('\n').at(-1)!) as { total_s: number }).total_s;

/** The clip time and the tile rates tiles.bench.ts printed, by row label. */
export function tileRates(out: string): Map<string, number> {
  const rows = new Map<string, number>();
  const clip = /completed in ([\d.]+) s/.exec(out);
  if (clip) rows.set('clip of 80 % of the sample area, s', Number(clip[1]));
  for (const m of out.matchAll(/^(area tiles \(fresh process\)|geopera tiles \(cold caches\)|geopera tiles \(warm caches\))\s+(\d+) tiles\/s/gm)) rows.set(`${m[1]}, tiles/s`, Number(m[2]));
  return rows;
}
