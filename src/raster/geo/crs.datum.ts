/**
 * The datum shift to WGS 84 PROJ applies at a place, without grid files. Of the transformations PROJ lists
 * for a CRS (`crs.datum.shifts.ts`), the one PROJ's `pj_get_suggested_operation` takes: among those whose area
 * of use, carried into the CRS's own coordinates (`crs.native.ts`), holds the point, the most accurate (an
 * unknown accuracy only when first; an offshore area never replaces one; on equal accuracy the one strictly
 * inside the other: PROJ 9.1's rules), else the first of the list. Where PROJ would prefer a grid there, the
 * error of doing without it is the Helmert's own accuracy.
 */
import { CANDIDATES, GRIDS, OPS, type Shift } from './crs.datum.shifts.js';
import { nativeBox, type NativeBox, type ToNative } from './crs.native.js';

/** The shift chosen at a point. */
export interface DatumShift {
  /** `+towgs84` values, or null for PROJ's ballpark (no shift). */
  towgs84: string | null;
  /** The prime meridian (degrees) PROJ reads the CRS's longitudes from with this shift, when not its own. */
  pm?: number;
  /** Accuracy of that shift, metres (null when unknown). */
  accuracy: number | null;
  /** The transformation PROJ applies here and geopera cannot (its name and why), when it is one of those. */
  unsupported?: string;
  /** Grid files PROJ would use instead where they are installed (not shipped with geopera). */
  grid?: { names: string; accuracy: number | null };
}

/** One candidate as PROJ tests it: its row and its area in the CRS's coordinates. */
interface Placed {
  shift: Shift;
  box: NativeBox;
}

const WORLD: NativeBox = [-Infinity, -Infinity, Infinity, Infinity];

/** Areas already carried into a CRS's coordinates, by the CRS's map and the candidate row. */
const boxes = new WeakMap<ToNative, Map<Shift, Placed[]>>();

/** The candidates' areas in the CRS's coordinates, split at the antimeridian as PROJ splits them. */
function placed(list: readonly Shift[], to: ToNative): Placed[] {
  let known = boxes.get(to);
  if (!known) boxes.set(to, (known = new Map<Shift, Placed[]>()));
  return list.flatMap((shift) => {
    let one = known.get(shift);
    if (!one) known.set(shift, (one = place(shift, to)));
    return one;
  });
}

function place(shift: Shift, to: ToNative): Placed[] {
  const out: Placed[] = [];
  const [, , west, south, east, north] = shift;
  if (west === -180 && south === -90 && east === 180 && north === 90) return [{ shift, box: WORLD }];
  const parts: [number, number][] = west <= east ? [[west, east]] : [[west, 180], [-180, east]];
  for (const [w, e] of parts) {
    const box = nativeBox(to, w, south, e, north);
    if (box) out.push({ shift, box });
  }
  return out;
}

/** PROJ's choice among `list` at (x, y) in the CRS's coordinates, or undefined when no area holds the point. */
export function suggested(list: readonly Shift[], to: ToNative, x: number, y: number): Shift | undefined {
  let best: Placed | undefined;
  for (const alt of placed(list, to)) {
    const [minX, minY, maxX, maxY] = alt.box;
    if (!(x >= minX && y >= minY && x <= maxX && y <= maxY)) continue;
    if (!best) {
      best = alt;
      continue;
    }
    const accuracy = alt.shift[1] ?? -1;
    const bestAccuracy = best.shift[1] ?? -1;
    const inside = alt.box[0] > best.box[0] && alt.box[1] > best.box[1] && alt.box[2] < best.box[2] && alt.box[3] < best.box[3];
    if (accuracy >= 0 && (accuracy < bestAccuracy || (accuracy === bestAccuracy && inside)) && alt.shift[6] === 0) best = alt;
  }
  return best?.shift;
}

/** The transformations PROJ lists for CRS `code` (projected or geographic), whose geographic CRS is `base`. */
export function candidates(code: number | undefined, base: number): readonly Shift[] | undefined {
  const ids = (code !== undefined ? CANDIDATES[code] : undefined) ?? CANDIDATES[base];
  return ids?.map((i) => OPS[i]!);
}

/**
 * The shift at (x, y) in the coordinates of CRS `code` (geographic CRS `base`), `to` mapping longitude and
 * latitude into them. Outside every area of use PROJ falls back to the first transformation of its list.
 */
export function datumShiftAt(code: number | undefined, base: number, to: ToNative, x: number, y: number): DatumShift {
  const list = candidates(code, base) ?? [];
  const chosen = suggested(list, to, x, y) ?? list[0];
  const shift = describe(chosen);
  const grids = GRIDS[base];
  if (grids && chosen && !shift.unsupported) {
    const best = suggested([...grids, chosen], to, x, y);
    if (best && best !== chosen) shift.grid = { names: best[0], accuracy: best[1] };
  }
  return shift;
}

function describe(chosen: Shift | undefined): DatumShift {
  if (!chosen || chosen[0] === 'ballpark') return { towgs84: null, accuracy: null };
  if (chosen[0].startsWith('unsupported: ')) return { towgs84: null, accuracy: chosen[1], unsupported: chosen[0].slice('unsupported: '.length) };
  return { towgs84: chosen[0], accuracy: chosen[1], ...(chosen[7] !== undefined ? { pm: chosen[7] } : {}) };
}
