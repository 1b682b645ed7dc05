/**
 * An EPSG code to the CRS the engine works with: the projection and ellipsoid from the EPSG registry package
 * (`crs.registry.ts`, with what it leaves out taken from PROJ: `crs.epsg.gaps.ts`), the datum shift to WGS 84
 * that PROJ applies without grid files where the data is (`crs.datum.ts`; the package's own +towgs84 is one
 * fixed pick per CRS and gets coordinate-frame rotations backwards), and the refusals our sweep against GDAL
 * found (`crs.epsg.corrections.ts`). Projected and geographic CRSs (in degrees or grads), geographic 3D as 2D,
 * compound CRSs by their horizontal part. A CRS proj4js cannot run is `unsupported_crs` naming its code and
 * projection method; it is never replaced by something close.
 */
import { AppError } from '../../errors/app.error.js';
import type { CrsInfo } from '../raster.types.js';
import { candidates, datumShiftAt } from './crs.datum.js';
import { CORRECTIONS } from './crs.epsg.corrections.js';
import { AXES, BASES, METHODS, PROJ4 } from './crs.epsg.gaps.js';
import { primeMeridian, toNativeCached } from './crs.native.js';
import { proj4Refusal } from './crs.proj4.check.js';
import { horizontal, withParam } from './crs.proj4.text.js';
import { registryEntry, type RegistryEntry } from './crs.registry.js';

const resolved = new Map<number, CrsInfo | AppError>();
/** EPSG code → its definition before any datum shift (the CRS's own prime meridian, no +towgs84). */
const unshifted = new Map<number, string>();

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
 * The CRS with the datum shift PROJ applies at (x, y), in the CRS's own coordinates (e.g. the centre of a
 * raster) rather than at the centre of the CRS's area of use. Throws `unsupported_crs` where PROJ would apply
 * a transformation geopera cannot.
 */
export function crsAt(crs: CrsInfo, x: number, y: number): CrsInfo {
  if (crs.geographicBase === undefined || !candidates(crs.epsg, crs.geographicBase) || !Number.isFinite(x) || !Number.isFinite(y)) return crs;
  return withShift(crs, x, y, false);
}

function withShift(crs: CrsInfo, x: number, y: number, provisional: boolean): CrsInfo {
  const base = crs.geographicBase!;
  const own = (crs.epsg !== undefined ? unshifted.get(crs.epsg) : undefined) ?? crs.proj4;
  let shift = datumShiftAt(crs.epsg, base, toNativeCached(own), x, y);
  if (shift.unsupported) {
    const label = `EPSG:${crs.epsg} (${crs.name}): projection method "${methodName(crs.epsg)}" runs, but`;
    const usable = (candidates(crs.epsg, base) ?? []).find((s) => !s[0].startsWith('unsupported: '));
    if (!provisional || !usable) throw new AppError('unsupported_crs', `${label} here PROJ shifts the datum to WGS 84 with ${shift.unsupported}, which geopera cannot apply`);
    // Only the default at the centre of the area of use: every raster gets its own choice (crsAt).
    shift = { towgs84: usable[0] === 'ballpark' ? null : usable[0], accuracy: usable[1], ...(usable[7] !== undefined ? { pm: usable[7] } : {}) };
  }
  let def = withParam(own, 'towgs84', shift.towgs84 !== null && !own.includes('+nadgrids=@null') ? shift.towgs84 : undefined);
  if (shift.pm !== undefined && Math.abs(shift.pm - primeMeridian(own)) > 1e-9) def = withParam(def, 'pm', String(shift.pm));
  const { gridNote: _old, ...rest } = crs;
  return { ...rest, proj4: def, ...(shift.grid ? { gridNote: { grid: shift.grid.names, helmertAccuracy: shift.accuracy } } : {}) };
}

function resolve(code: number): CrsInfo {
  const entry = registryEntry(code);
  if (!entry) throw new AppError('unsupported_crs', `EPSG:${code} is not in the EPSG registry`);
  const label = `EPSG:${code} (${entry.name})`;
  if (entry.kind === 'CRS-GCENCRS') throw new AppError('unsupported_crs', `${label} is geocentric: imagery needs a projected or geographic CRS`);
  if (entry.kind === 'CRS-VERTCRS') throw new AppError('unsupported_crs', `${label} is a vertical CRS: imagery needs a projected or geographic CRS`);
  if (entry.kind === 'CRS-ENGCRS' || entry.kind === 'CRS-DRVDCRS') throw new AppError('unsupported_crs', `${label} is an engineering or derived CRS with no position on the Earth`);
  const correction = CORRECTIONS[code] ?? {};
  const method = methodName(code);
  if (correction.refuse) throw new AppError('unsupported_crs', `${label}: projection method "${method}" cannot be run: ${correction.refuse}`);
  let def = correction.proj4 ?? entry.proj4 ?? PROJ4[code];
  if (!def) throw new AppError('unsupported_crs', `${label}: projection method "${method}" cannot be run (PROJ exports no proj4 definition for it)`);
  if (AXES[code] && !/\+axis=/.test(def)) def = `${def} +axis=${AXES[code]}`;
  const why = proj4Refusal(def);
  if (why) throw new AppError('unsupported_crs', `${label}: projection method "${method}" cannot be run: ${why}`);
  const geographic = /\+proj=longlat\b/.test(def);
  if (geographic && entry.unit === 'grad') def = `${def} +units=grad`;
  const base = geographic ? code : baseOf(entry);
  const shifts = base !== undefined && candidates(code, base) !== undefined;
  const crs: CrsInfo = { epsg: code, proj4: horizontal(def, shifts), geographic, name: entry.name };
  if (!shifts) {
    const grid = /\+nadgrids=([^@\s]\S*)/.exec(def);
    if (grid) throw new AppError('unsupported_crs', `${label}: its datum shift to WGS 84 needs the grid ${grid[1]}, which geopera does not ship`);
    return crs;
  }
  const [north, west, south, east] = entry.bbox ?? [0, 0, 0, 0];
  const lon = west <= east ? (west + east) / 2 : ((((west + east + 360) / 2 + 180) % 360) + 360) % 360 - 180;
  unshifted.set(code, crs.proj4);
  const centre = toNativeCached(crs.proj4)(lon, (north + south) / 2) ?? [NaN, NaN];
  return withShift({ ...crs, geographicBase: base }, centre[0], centre[1], true);
}

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

/** The projection method's name of an EPSG CRS, for messages. */
function methodName(code: number | undefined): string {
  if (code === undefined) return 'unknown';
  const entry = registryEntry(code);
  return CORRECTIONS[code]?.method ?? METHODS[code] ?? (entry ? methodOf(entry) : 'unknown');
}

/** The projection method's name as the registry's WKT gives it ("geographic" for a geographic CRS). */
function methodOf(entry: RegistryEntry): string {
  if (entry.kind === 'CRS-GEOGCRS' || entry.kind === 'CRS-GEOG3DCRS') return 'geographic';
  const m = entry.wkt ? /PROJECTION\["([^"]+)"/.exec(entry.wkt) : null;
  return m ? m[1].replace(/_/g, ' ') : 'unknown';
}
