/**
 * Editing proj4 strings as PROJ writes them: parameters split on spaces except inside double quotes (PROJ
 * quotes grid names with spaces: `+nadgrids="National 84 (02.07.01).gsb"`), the horizontal part kept, the
 * datum shift replaced, ellipsoids proj4js does not know spelled out.
 */

/** The parameters of a proj4 string, quoted values kept whole. */
export function proj4Params(def: string): string[] {
  return def.match(/[^\s"]*"[^"]*"\S*|\S+/g) ?? [];
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

/**
 * The horizontal part of a registry proj4 string: vertical units and `+type=crs` dropped; when PROJ's own
 * transformations replace the registry's datum shift, its +towgs84, grids and datum name (keeping the ellipsoid).
 */
export function horizontal(def: string, replaceShift: boolean): string {
  let parts = proj4Params(def)
    .filter((p) => p !== '+no_defs' && !/^\+(type|vunits|vto_meter|geoidgrids|geoid_crs)=/.test(p))
    .map((p) => (p.startsWith('+ellps=') ? (ELLIPSOIDS_PROJ4JS_LACKS[p.slice(7)] ?? p) : p));
  if (replaceShift) {
    const datum = /\+datum=(\w+)/.exec(def)?.[1];
    parts = parts.filter((p) => !/^\+(towgs84|nadgrids|datum)=/.test(p) || p === '+nadgrids=@null');
    if (datum && !parts.some((p) => /^\+(ellps|a)=/.test(p))) parts.push(`+ellps=${DATUM_ELLIPSOIDS[datum] ?? 'WGS84'}`);
  }
  return `${parts.join(' ')} +no_defs`;
}

/** `def` with parameter `name` set to `value` (replacing it when present; `value` undefined removes it). */
export function withParam(def: string, name: string, value: string | undefined): string {
  const parts = proj4Params(def).filter((p) => p !== '+no_defs' && p !== `+${name}` && !p.startsWith(`+${name}=`));
  if (value !== undefined) parts.push(`+${name}=${value}`);
  return `${parts.join(' ')} +no_defs`;
}
