/**
 * The datum shift to WGS 84 PROJ applies at a place, without grid files: of the transformations PROJ lists
 * for a geographic CRS (`crs.datum.shifts.ts`), the one whose area of use holds the point with the best
 * accuracy (PROJ's `pj_get_suggested_operation`: an unknown accuracy only when first, onshore before
 * offshore, on a tie the one strictly inside the other). PROJ's ballpark (no shift) is listed where PROJ lists it.
 * Where PROJ would prefer a grid there, the error of doing without it is the Helmert's own accuracy.
 */
import { GRIDS, SHIFTS, type Shift } from './crs.datum.shifts.js';

/** The entry standing for PROJ's ballpark transformation (no shift), with the world as its area. */
const BALLPARK = 'ballpark';

/** The shift chosen at a point. */
export interface DatumShift {
  /** `+towgs84` values, or null for PROJ's ballpark (no shift). */
  towgs84: string | null;
  /** Accuracy of that shift, metres (null when unknown). */
  accuracy: number | null;
  /** Grid files PROJ would use instead where they are installed (not shipped with geopera). */
  grid?: { names: string; accuracy: number | null };
}

function contains(s: Shift, lon: number, lat: number): boolean {
  const [, , west, south, east, north] = s;
  if (lat < south || lat > north) return false;
  return west <= east ? lon >= west && lon <= east : lon >= west || lon <= east;
}

/** True when `a`'s area lies strictly inside `b`'s (PROJ 9.1's tie-break between equal accuracies). */
function inside(a: Shift, b: Shift): boolean {
  return a[2] > b[2] && a[3] > b[3] && a[4] < b[4] && a[5] < b[5];
}

/** PROJ's choice among `list` at (lon, lat), or undefined when no area holds the point. */
export function suggested(list: readonly Shift[], lon: number, lat: number): Shift | undefined {
  let best: Shift | undefined;
  for (const alt of list) {
    if (!contains(alt, lon, lat)) continue;
    const accuracy = alt[1] ?? -1;
    const bestAccuracy = best ? (best[1] ?? -1) : Number.MAX_VALUE;
    if (!best || (accuracy >= 0 && (accuracy < bestAccuracy || (accuracy === bestAccuracy && inside(alt, best))) && alt[6] === 0)) best = alt;
  }
  return best;
}

/** True when PROJ knows any transformation of this geographic CRS (so the table speaks for it). */
export function hasShifts(geographic: number): boolean {
  return SHIFTS[geographic] !== undefined || GRIDS[geographic] !== undefined;
}

/**
 * The shift from geographic CRS `geographic` to WGS 84 at (lon, lat) degrees. Outside every area of use PROJ
 * falls back to the first transformation that needs no grid.
 */
export function datumShiftAt(geographic: number, lon: number, lat: number): DatumShift {
  const list = SHIFTS[geographic] ?? [];
  const chosen = suggested(list, lon, lat) ?? list[0];
  const helmert = chosen && chosen[0] !== BALLPARK ? chosen : undefined;
  const shift: DatumShift = helmert ? { towgs84: helmert[0], accuracy: helmert[1] } : { towgs84: null, accuracy: null };
  const grids = GRIDS[geographic];
  if (grids) {
    const best = suggested([...grids, ...(helmert ? [helmert] : [])], lon, lat);
    if (best && best !== helmert) shift.grid = { names: best[0], accuracy: best[1] };
  }
  return shift;
}
