/**
 * Projection methods PROJ has and proj4js lacks, added to proj4js under PROJ's names (`+proj=col_urban`,
 * `+proj=labrd`) or, for PROJ's variants flagged by a parameter, under a name of their own that
 * `proj4jsDefinition` substitutes (`+proj=cass +hyperbolic` → `cass_hyperbolic`, `+proj=aeqd +guam` →
 * `aeqd_guam`). Registered once, when this module is first imported (every proj4js user imports it through
 * `crs.transform.ts` or `crs.proj4.check.ts`). Each is checked against GDAL in `test/raster/geo/crs.methods.gdal.test.ts`.
 */
import proj4 from 'proj4';
import { hyperbolicCassini } from './crs.method.cassini.js';
import { colombiaUrban } from './crs.method.colombia.js';
import { guam } from './crs.method.guam.js';
import { laborde } from './crs.method.laborde.js';
import type { MethodParams, PlaneMethod } from './crs.method.types.js';

/** proj4js projection name → the method. */
const METHODS: Readonly<Record<string, (p: MethodParams) => PlaneMethod>> = {
  col_urban: colombiaUrban,
  labrd: laborde,
  cass_hyperbolic: hyperbolicCassini,
  aeqd_guam: guam,
};

/** What proj4js hands a projection as `this`: the parsed definition (radians, metres) plus what init stores. */
interface Proj4This {
  a: number;
  es: number;
  lat0?: number;
  long0?: number;
  k0?: number;
  x0?: number;
  y0?: number;
  method?: PlaneMethod;
  [param: string]: unknown;
}

/** A longitude in (−π, π]. */
function wrap(lam: number): number {
  return lam - 2 * Math.PI * Math.round(lam / (2 * Math.PI));
}

function register(name: string, make: (p: MethodParams) => PlaneMethod): void {
  const add = proj4.Proj.projections.add as (projection: object, index: number) => unknown;
  add({
    names: [name],
    init(this: Proj4This) {
      const own = (key: string): string | undefined => (typeof this[key] === 'string' ? (this[key] as string) : undefined);
      this.method = make({ a: this.a, es: this.es, lat0: this.lat0 ?? 0, k0: this.k0 ?? 1, extra: own });
    },
    forward(this: Proj4This, p: { x: number; y: number }) {
      const [x, y] = this.method!.forward(wrap(p.x - (this.long0 ?? 0)), p.y);
      p.x = x + (this.x0 ?? 0);
      p.y = y + (this.y0 ?? 0);
      return p;
    },
    inverse(this: Proj4This, p: { x: number; y: number }) {
      const [lam, phi] = this.method!.inverse(p.x - (this.x0 ?? 0), p.y - (this.y0 ?? 0));
      p.x = wrap(lam + (this.long0 ?? 0));
      p.y = phi;
      return p;
    },
  }, 0);
}

for (const [name, make] of Object.entries(METHODS)) register(name, make);

/** PROJ's method variants selected by a flag, and the proj4js name each is registered under. */
const VARIANTS: readonly [RegExp, RegExp, string][] = [
  [/\+proj=cass(?=\s|$)/, /\s*\+hyperbolic(?==\S*|\s|$)\S*/, 'cass_hyperbolic'],
  [/\+proj=aeqd(?=\s|$)/, /\s*\+guam(?==\S*|\s|$)\S*/, 'aeqd_guam'],
];

/** A PROJ definition as proj4js must read it: method variants renamed to the methods registered here. */
export function proj4jsDefinition(def: string): string {
  let out = def;
  for (const [proj, flag, name] of VARIANTS) {
    if (proj.test(out) && flag.test(out)) out = out.replace(flag, '').replace(proj, `+proj=${name}`);
  }
  return out;
}
