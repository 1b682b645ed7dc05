/**
 * Point transformations between two CRSs (proj4 definitions), honouring each CRS's axis order and
 * direction (`+axis=wsu` south-orientated grids, `+axis=swu` Krovak), which proj4js applies only when asked,
 * the methods geopera adds to proj4js (`crs.methods.ts`), and geographic CRSs whose coordinates are in grads
 * (`+proj=longlat … +units=grad`, the NTF (Paris) family), which proj4js reads in degrees only.
 * Every transformation of the engine (catalog bounds, AOI projection, tile warps) goes through here.
 */
import proj4 from 'proj4';
import { proj4jsDefinition } from './crs.methods.js';

/** Forward and inverse transformation of `[x, y]` positions (NaN where a point has no position). */
export interface CrsConverter {
  forward(p: readonly [number, number]): [number, number];
  inverse(p: readonly [number, number]): [number, number];
}

/** Degrees per grad. */
const GRAD = 0.9;

/**
 * A definition as proj4js runs it: PROJ's method variants renamed (`crs.methods.ts`), and the false easting
 * and northing said, as proj4js leaves them undefined (every result NaN) for some projections (laea, cea)
 * when the definition omits them where PROJ's default is 0.
 */
export function proj4Definition(def: string): string {
  let out = def.trim();
  if (!out.startsWith('+')) return out;
  out = proj4jsDefinition(out);
  if (!/\+x_0=/.test(out)) out += ' +x_0=0';
  if (!/\+y_0=/.test(out)) out += ' +y_0=0';
  return out;
}

/** Degrees per unit of a geographic definition's coordinates (1, or 0.9 for `+units=grad`). */
export function degreesPerUnit(def: string): number {
  return /\+proj=longlat\b/.test(def) && /\+units=grad(?=\s|$)/.test(def) ? GRAD : 1;
}

/** A converter from `from` to `to` (proj4 strings or proj4js names such as 'EPSG:4326'). */
export function crsConverter(from: string, to: string): CrsConverter {
  const c = proj4(proj4Definition(from), proj4Definition(to));
  const inScale = degreesPerUnit(from);
  const outScale = degreesPerUnit(to);
  const run = (p: readonly [number, number], before: number, after: number, dir: 'forward' | 'inverse'): [number, number] => {
    const r = c[dir]([p[0] * before, p[1] * before], true);
    return [r[0]! / after, r[1]! / after];
  };
  return {
    forward: (p) => run(p, inScale, outScale, 'forward'),
    inverse: (p) => run(p, outScale, inScale, 'inverse'),
  };
}
