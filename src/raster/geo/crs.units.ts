/** Linear units of a CRS, from its proj4 definition. */
import type { CrsInfo } from '../raster.types.js';

/** proj4 `+units=` names PROJ emits, metres per unit (proj4js's own table agrees). */
const UNITS: Readonly<Record<string, number>> = {
  m: 1, km: 1000, ft: 0.3048, 'us-ft': 1200 / 3937, 'ind-ft': 0.30479841, 'ind-yd': 0.91439523, 'ind-ch': 20.11669506, yd: 0.9144,
  'us-yd': 0.914401828803658, ch: 20.1168, 'us-ch': 20.1168402336805, link: 0.201168, fath: 1.8288, mi: 1609.344, 'us-mi': 1609.34721869444,
};

/** Metres per unit of a projected CRS's coordinates (1 for a geographic CRS, whose units are degrees). */
export function metresPerUnit(crs: Pick<CrsInfo, 'proj4' | 'geographic'>): number {
  if (crs.geographic) return 1;
  const toMeter = /\+to_meter=([\d.eE+-]+)/.exec(crs.proj4);
  if (toMeter) return Number(toMeter[1]);
  const units = /\+units=([\w-]+)/.exec(crs.proj4);
  return units ? (UNITS[units[1]!] ?? 1) : 1;
}
