/**
 * An EPSG code to the CRS the engine works with: the projection and ellipsoid from the EPSG registry package
 * (`crs.registry.ts`), the datum shift to WGS 84 that PROJ applies without grid files (`crs.datum.ts`; the
 * package's own +towgs84 is one fixed pick per CRS and gets coordinate-frame rotations backwards), and the
 * corrections our sweep against GDAL found (`crs.epsg.corrections.ts`). Projected and geographic CRSs,
 * geographic 3D as 2D, compound CRSs by their horizontal part. A CRS proj4js cannot run is `unsupported_crs`
 * naming its code and projection method; it is never replaced by something close.
 */
import { AppError } from '../../errors/app.error.js';
import type { CrsInfo } from '../raster.types.js';
import { datumShiftAt, hasShifts } from './crs.datum.js';
import { BASES } from './crs.datum.shifts.js';
import { CORRECTIONS } from './crs.epsg.corrections.js';
import { proj4Refusal } from './crs.proj4.check.js';
import { registryEntry, type RegistryEntry } from './crs.registry.js';

const resolved = new Map<number, CrsInfo | AppError>();

/** The CRS for an EPSG code; throws `unsupported_crs` naming the code (and method) when it cannot be used. */
export function crsForEpsg(code: number): CrsInfo {
  let crs = resolved.get(code);
  if (crs === undefined) {
    try {
      crs = resolve(code);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      crs = err;
    }
    resolved.set(code, crs);
  }
  if (crs instanceof AppError) throw new AppError(crs.code, crs.message);
  return crs;
}

/** A proj4 definition for an EPSG code, or undefined when it cannot be used. */
export function proj4ForEpsg(code: number): string | undefined {
  try {
    return crsForEpsg(code).proj4;
  } catch {
    return undefined;
  }
}

/**
 * The CRS with the datum shift PROJ applies at (lon, lat) (degrees, on the CRS's own datum, e.g. the centre
 * of a raster) rather than at the centre of the CRS's area of use.
 */
export function crsAt(crs: CrsInfo, lon: number, lat: number): CrsInfo {
  if (crs.geographicBase === undefined || !hasShifts(crs.geographicBase) || !Number.isFinite(lon) || !Number.isFinite(lat)) return crs;
  return withShift(crs, crs.geographicBase, lon, lat);
}

function withShift(crs: CrsInfo, base: number, lon: number, lat: number): CrsInfo {
  const shift = datumShiftAt(base, lon, lat);
  const parts = crs.proj4.split(' ').filter((p) => !p.startsWith('+towgs84=') && p !== '+no_defs');
  if (shift.towgs84 !== null && !parts.includes('+nadgrids=@null')) parts.push(`+towgs84=${shift.towgs84}`);
  const { gridNote: _old, ...rest } = crs;
  return { ...rest, proj4: `${parts.join(' ')} +no_defs`, ...(shift.grid ? { gridNote: { grid: shift.grid.names, helmertAccuracy: shift.accuracy } } : {}) };
}

function resolve(code: number): CrsInfo {
  const entry = registryEntry(code);
  if (!entry) throw new AppError('unsupported_crs', `EPSG:${code} is not in the EPSG registry`);
  const label = `EPSG:${code} (${entry.name})`;
  if (entry.kind === 'CRS-GCENCRS') throw new AppError('unsupported_crs', `${label} is geocentric: imagery needs a projected or geographic CRS`);
  if (entry.kind === 'CRS-VERTCRS') throw new AppError('unsupported_crs', `${label} is a vertical CRS: imagery needs a projected or geographic CRS`);
  if (entry.kind === 'CRS-ENGCRS' || entry.kind === 'CRS-DRVDCRS') throw new AppError('unsupported_crs', `${label} is an engineering or derived CRS with no position on the Earth`);
  const correction = CORRECTIONS[code] ?? {};
  const method = correction.method ?? methodOf(entry);
  if (correction.refuse) throw new AppError('unsupported_crs', `${label}: projection method "${method}" cannot be run: ${correction.refuse}`);
  const def = correction.proj4 ?? entry.proj4;
  if (!def) throw new AppError('unsupported_crs', `${label}: projection method "${method}" cannot be run (PROJ exports no proj4 definition for it)`);
  const why = proj4Refusal(def);
  if (why) throw new AppError('unsupported_crs', `${label}: projection method "${method}" cannot be run: ${why}`);
  const geographic = /\+proj=longlat\b/.test(def);
  if (geographic && entry.unit === 'grad') throw new AppError('unsupported_crs', `${label}: a geographic CRS in grads cannot be run (the engine reads geographic coordinates in degrees)`);
  const base = geographic ? code : baseOf(entry);
  const crs: CrsInfo = { epsg: code, proj4: horizontal(def, base !== undefined && hasShifts(base)), geographic, name: entry.name };
  if (base === undefined || !hasShifts(base)) {
    const grid = /\+nadgrids=([^@\s]\S*)/.exec(def);
    if (grid) throw new AppError('unsupported_crs', `${label}: its datum shift to WGS 84 needs the grid ${grid[1]}, which geopera does not ship`);
    return crs;
  }
  const [north, west, south, east] = entry.bbox ?? [0, 0, 0, 0];
  const lon = west <= east ? (west + east) / 2 : ((((west + east + 360) / 2 + 180) % 360) + 360) % 360 - 180;
  return withShift({ ...crs, geographicBase: base }, base, lon, (north + south) / 2);
}

/**
 * The horizontal part of a registry proj4 string: vertical units and `+type=crs` dropped; when PROJ's own
 * transformations replace the registry's datum shift, its +towgs84, grids and datum name (keeping the ellipsoid).
 */
function horizontal(def: string, replaceShift: boolean): string {
  let parts = def.split(/\s+/).filter((p) => p && p !== '+no_defs' && !/^\+(type|vunits|vto_meter|geoidgrids|geoid_crs)=/.test(p))
    .map((p) => (p.startsWith('+ellps=') ? (ELLIPSOIDS_PROJ4JS_LACKS[p.slice(7)] ?? p) : p));
  if (replaceShift) {
    const datum = /\+datum=(\w+)/.exec(def)?.[1];
    parts = parts.filter((p) => !/^\+(towgs84|nadgrids|datum)=/.test(p) || p === '+nadgrids=@null');
    if (datum && !parts.some((p) => /^\+(ellps|a)=/.test(p))) parts.push(`+ellps=${DATUM_ELLIPSOIDS[datum] ?? 'WGS84'}`);
  }
  return `${parts.join(' ')} +no_defs`;
}

/** PROJ ellipsoids proj4js does not know (it would silently use WGS 84's), spelled out. */
const ELLIPSOIDS_PROJ4JS_LACKS: Readonly<Record<string, string>> = {
  WGS72: '+a=6378135 +rf=298.26',
  danish: '+a=6377019.2563 +rf=300',
  GSK2011: '+a=6378136.5 +rf=298.2564151',
  PZ90: '+a=6378136 +rf=298.25784',
  'APL4.9': '+a=6378137 +rf=298.25',
};

/** proj4 datum names PROJ exports, and their ellipsoids (kept when the datum name is dropped). */
const DATUM_ELLIPSOIDS: Readonly<Record<string, string>> = { WGS84: 'WGS84', NAD83: 'GRS80', NAD27: 'clrk66' };

/** The geographic base CRS of a projected registry entry (from its WKT's GEOGCS authority). */
function baseOf(entry: RegistryEntry): number | undefined {
  if (BASES[entry.code] !== undefined) return BASES[entry.code];
  if (!entry.wkt) return undefined;
  const start = entry.wkt.indexOf('GEOGCS[');
  if (start < 0) return undefined;
  let depth = 0;
  let end = start;
  for (let i = start + 6; i < entry.wkt.length; i++) {
    if (entry.wkt[i] === '[') depth++;
    else if (entry.wkt[i] === ']' && --depth === 0) {
      end = i;
      break;
    }
  }
  const codes = [...entry.wkt.slice(start, end).matchAll(/AUTHORITY\["EPSG","(\d+)"\]/g)];
  const last = codes[codes.length - 1];
  return last && entry.wkt.slice(start, end).trimEnd().endsWith(`AUTHORITY["EPSG","${last[1]}"]`) ? Number(last[1]) : undefined;
}

/** The projection method's name as the registry's WKT gives it ("geographic" for a geographic CRS). */
function methodOf(entry: RegistryEntry): string {
  if (entry.kind === 'CRS-GEOGCRS' || entry.kind === 'CRS-GEOG3DCRS') return 'geographic';
  const m = entry.wkt ? /PROJECTION\["([^"]+)"/.exec(entry.wkt) : null;
  return m ? m[1].replace(/_/g, ' ') : 'unknown';
}
