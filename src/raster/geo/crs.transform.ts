/**
 * Point transformations between two CRSs (proj4 definitions), honouring each CRS's axis order and
 * direction (`+axis=wsu` south-orientated grids, `+axis=swu` Krovak), which proj4js applies only when asked.
 * Every transformation of the engine (catalog bounds, AOI projection, tile warps) goes through here.
 */
import proj4 from 'proj4';

/** Forward and inverse transformation of `[x, y]` positions (NaN where a point has no position). */
export interface CrsConverter {
  forward(p: readonly [number, number]): [number, number];
  inverse(p: readonly [number, number]): [number, number];
}

/**
 * proj4js leaves the false easting/northing undefined (every result NaN) for some projections (laea, cea)
 * when the definition omits them; PROJ's default is 0, so say so.
 */
export function proj4Definition(def: string): string {
  let out = def.trim();
  if (!out.startsWith('+')) return out;
  if (!/\+x_0=/.test(out)) out += ' +x_0=0';
  if (!/\+y_0=/.test(out)) out += ' +y_0=0';
  return out;
}

/** A converter from `from` to `to` (proj4 strings or proj4js names such as 'EPSG:4326'). */
export function crsConverter(from: string, to: string): CrsConverter {
  const c = proj4(proj4Definition(from), proj4Definition(to));
  return {
    forward: (p) => {
      const r = c.forward([p[0], p[1]], true);
      return [r[0]!, r[1]!];
    },
    inverse: (p) => {
      const r = c.inverse([p[0], p[1]], true);
      return [r[0]!, r[1]!];
    },
  };
}
