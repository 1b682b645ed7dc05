/**
 * The EPSG sweep: GDAL writes a tiny GeoTIFF per CRS at the centre of its area of use and says where it is
 * in WGS 84 (`crs.sweep.gdal.py`, one Python process for the whole batch); we open each file as the catalog
 * does and compare our WGS 84 bounds with GDAL's, within a tenth of a pixel. GDAL runs without grid files
 * (PROJ_DATA holding only proj.db), as geopera ships none; `withGrids` also runs it with the machine's grids
 * to measure the shifts those grids would add.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { footprintRing, ringBounds } from '../../src/catalog/bounds.wgs84.js';
import { AppError } from '../../src/errors/app.error.js';
import { crsForEpsg } from '../../src/raster/geo/crs.epsg.js';
import { openRaster } from '../../src/raster/read/raster.open.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/** One line of `crs.sweep.gdal.py`. */
export interface GdalRecord {
  code: number;
  name?: string;
  method?: string;
  unit?: string;
  file?: string;
  centre?: [number, number];
  pixelMetres?: number;
  /** Pixel size of a geographic CRS's raster, degrees (1e-4 of its angular unit: degree or grad). */
  pixelDegrees?: number;
  /** The four corners GDAL's wgs84Extent gives, lon/lat. */
  extent?: [number, number][];
  error?: string;
}

/** How one CRS came out. */
export interface SweepResult {
  code: number;
  name: string;
  method: string;
  unit: string;
  outcome: 'agree' | 'refused' | 'disagree' | 'gdal-fails';
  /** Largest difference of the four bounds, metres on the ground. */
  offMetres?: number;
  /** Tolerance used, metres (a tenth of a pixel). */
  toleranceMetres?: number;
  /** Our error message (refused) or GDAL's (gdal-fails). */
  message?: string;
}

/** A folder where PROJ finds its database and no grid file. */
function gridlessProjData(dir: string): string {
  const projDir = path.join(dir, 'proj-nogrid');
  mkdirSync(projDir, { recursive: true });
  const db = ['/usr/share/proj/proj.db', '/usr/local/share/proj/proj.db'].find((p) => existsSync(p));
  if (!db) throw new Error('proj.db not found (is GDAL installed?)');
  symlinkSync(db, path.join(projDir, 'proj.db'));
  return projDir;
}

/**
 * Run GDAL's side over `codes` (all current EPSG projected and geographic 2D CRSs when undefined), calling
 * `onRecord` for each line as it arrives, so our side works while GDAL goes on.
 */
export async function runGdalSide(dir: string, codes: number[] | undefined, grids: boolean, onRecord: (r: GdalRecord) => Promise<void>, at?: [number, number]): Promise<void> {
  const env = { ...process.env, PROJ_NETWORK: 'OFF' };
  if (!grids) {
    const projDir = gridlessProjData(dir);
    Object.assign(env, { PROJ_DATA: projDir, PROJ_LIB: projDir });
  }
  const args = [path.join(here, 'crs.sweep.gdal.py'), path.join(dir, grids ? 'grids' : 'files'), ...(codes ? ['--codes', codes.join(',')] : []), ...(at ? ['--at', at.join(',')] : [])];
  const child = spawn('/usr/bin/python3', args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const done = new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status) => resolve(status ?? 1));
  });
  const pending: Promise<void>[] = [];
  for await (const line of createInterface({ input: child.stdout })) {
    if (line.trim()) pending.push(onRecord(JSON.parse(line) as GdalRecord));
  }
  await Promise.all(pending);
  const status = await done;
  if (status !== 0) throw new Error(`crs.sweep.gdal.py exited with ${status}`);
}

/** Metres on the ground per degree of longitude and latitude at a latitude. */
function metresPerDegree(lat: number): [number, number] {
  return [111_320 * Math.cos((lat * Math.PI) / 180), 110_574];
}

/** Our WGS 84 bounds of GDAL's tiny GeoTIFF against GDAL's. */
export async function compareOne(r: GdalRecord): Promise<SweepResult> {
  const base = { code: r.code, name: r.name ?? '', method: r.method ?? 'unknown', unit: r.unit ?? '' };
  const named = (message: string | undefined): typeof base => ({ ...base, method: r.method ?? /projection method "([^"]+)"/.exec(message ?? '')?.[1] ?? 'unknown' });
  let ring: [number, number][] | undefined;
  let refusal: string | undefined;
  try {
    if (r.file) {
      const info = await openRaster(r.file);
      if (!info.geo.crs) throw new AppError('unsupported_crs', `No CRS for EPSG:${r.code} in GDAL's file (GeoKeys or .aux.xml)`);
      ring = footprintRing(info, 4);
    } else crsForEpsg(r.code);
  } catch (err) {
    if (!(err instanceof AppError) || err.code !== 'unsupported_crs') throw err;
    refusal = err.message;
  }
  if (r.error || !r.extent) return { ...named(refusal), outcome: refusal ? 'refused' : 'gdal-fails', message: refusal ?? r.error };
  if (refusal || !ring) return { ...named(refusal), outcome: 'refused', message: refusal };
  // A raster across the antimeridian: both sides' longitudes counted on from 180° (bounds of a ring with
  // points on either side of ±180° say nothing about where it is).
  const across = Math.max(...r.extent.map((p) => p[0])) - Math.min(...r.extent.map((p) => p[0])) > 180;
  const unwrap = (p: readonly [number, number]): [number, number] => [across && p[0] < 0 ? p[0] + 360 : p[0], p[1]];
  const ours = ringBounds(ring.map(unwrap));
  const corners = r.extent.map(unwrap);
  const lons = corners.map((p) => p[0]);
  const lats = corners.map((p) => p[1]);
  const theirs = [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)];
  const [mx, my] = metresPerDegree((theirs[1]! + theirs[3]!) / 2);
  const off = Math.max(...ours.map((v, i) => Math.abs(v - theirs[i]!) * (i % 2 === 0 ? mx : my)));
  const tolerance = 0.1 * (r.pixelDegrees !== undefined ? r.pixelDegrees * Math.min(mx, my) : (r.pixelMetres ?? 10));
  return { ...base, outcome: Number.isFinite(off) && off <= tolerance ? 'agree' : 'disagree', offMetres: off, toleranceMetres: tolerance };
}

/** The whole sweep (or over `codes`; rasters at `at` fractions of each area of use, default its centre): GDAL without grids, compared CRS by CRS. */
export async function sweep(codes?: number[], opts: { keep?: string; at?: [number, number] } = {}): Promise<SweepResult[]> {
  const dir = opts.keep ?? mkdtempSync(path.join(os.tmpdir(), 'geopera-crs-sweep-'));
  try {
    const results: SweepResult[] = [];
    await runGdalSide(dir, codes, false, async (r) => {
      results.push(await compareOne(r));
    }, opts.at);
    return results.sort((a, b) => a.code - b.code);
  } finally {
    if (!opts.keep) rmSync(dir, { recursive: true, force: true });
  }
}

/** GDAL's WGS 84 extent of each CRS with and without the machine's grid files: where grids move it, and by how much (metres). */
export async function gridShifts(codes?: number[]): Promise<Map<number, { name: string; metres: number }>> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'geopera-crs-grids-'));
  try {
    const without = new Map<number, GdalRecord>();
    await runGdalSide(dir, codes, false, async (r) => void without.set(r.code, r));
    const shifts = new Map<number, { name: string; metres: number }>();
    await runGdalSide(dir, codes, true, async (r) => {
      const a = without.get(r.code);
      if (!a?.extent || !r.extent) return;
      const [mx, my] = metresPerDegree(r.extent[0]![1]);
      const metres = Math.max(...r.extent.map((p, i) => Math.hypot((p[0] - a.extent![i]![0]) * mx, (p[1] - a.extent![i]![1]) * my)));
      if (metres > 0.01) shifts.set(r.code, { name: r.name ?? '', metres });
    });
    return shifts;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
