/**
 * The EPSG registry as the npm package `epsg-index` ships it: one small JSON file per code
 * (`epsg-index/s/<code>.json`, generated with PROJ from the EPSG dataset: name, kind, WKT 1, a proj4
 * string with the datum shift PROJ exports, area of use, the shift's accuracy). Read lazily: a code's
 * file is read the first time the code is asked for (about 1 KB, a fraction of a millisecond) and kept;
 * nothing is read at start-up, and the 8 MB `all.json` never.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** One CRS of the registry. */
export interface RegistryEntry {
  code: number;
  /** `CRS-PROJCRS`, `CRS-GEOGCRS`, `CRS-GEOG3DCRS`, `CRS-COMPOUNDCRS`, `CRS-VERTCRS`, `CRS-GCENCRS`, … */
  kind: string;
  name: string;
  /** WKT 1 (null for a few CRSs PROJ cannot export to WKT 1). */
  wkt: string | null;
  /** proj4 string (null where PROJ cannot export one). */
  proj4: string | null;
  /** Accuracy of the datum shift to WGS 84 in the proj4 string, metres (null when none or unknown). */
  accuracy: number | null;
  /** Unit name (`metre`, `US survey foot`, `degree …`, `grad`, …). */
  unit: string | null;
  /** Area of use: [north, west, south, east] degrees (west > east when it crosses the antimeridian). */
  bbox: [number, number, number, number] | null;
}

let folder: string | undefined;
const entries = new Map<number, RegistryEntry | null>();

/** The folder of per-code files, found once through Node's resolution of the package. */
function registryFolder(): string {
  folder ??= path.join(path.dirname(createRequire(import.meta.url).resolve('epsg-index/package.json')), 's');
  return folder;
}

/** The registry's entry for an EPSG code, or undefined when the registry has no such code. */
export function registryEntry(code: number): RegistryEntry | undefined {
  if (!Number.isInteger(code) || code <= 0) return undefined;
  let entry = entries.get(code);
  if (entry === undefined) {
    entry = readEntry(code);
    entries.set(code, entry);
  }
  return entry ?? undefined;
}

function readEntry(code: number): RegistryEntry | null {
  let text: string;
  try {
    text = readFileSync(path.join(registryFolder(), `${code}.json`), 'utf8');
  } catch {
    return null;
  }
  const raw = JSON.parse(text) as Omit<RegistryEntry, 'code'>;
  return { code, kind: raw.kind, name: raw.name, wkt: raw.wkt, proj4: raw.proj4, accuracy: raw.accuracy, unit: raw.unit, bbox: raw.bbox?.length === 4 ? raw.bbox : null };
}

/** The version of the registry package (for logs and the sweep's report). */
export function registryVersion(): string {
  const pkg = JSON.parse(readFileSync(path.join(registryFolder(), '..', 'package.json'), 'utf8')) as { version: string };
  return `epsg-index ${pkg.version}`;
}
