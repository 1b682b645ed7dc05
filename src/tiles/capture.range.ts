/**
 * The capture-date range of what a layer shows: the area's dated footprints of that mosaic type that
 * overlap the layer's bounds (or a STAC Item's datetimes), for the TileJSON attribution.
 */
import type { CaptureFeature } from '../catalog/capture.dates.js';
import type { LonLatBounds } from './tile.grid.js';

/** Bounds of any GeoJSON geometry's coordinates, or null when it has none. */
export function geometryBounds(geometry: unknown): LonLatBounds | null {
  const b: LonLatBounds = [Infinity, Infinity, -Infinity, -Infinity];
  const walk = (c: unknown): void => {
    if (!Array.isArray(c)) return;
    if (c.length >= 2 && typeof c[0] === 'number' && typeof c[1] === 'number') {
      b[0] = Math.min(b[0], c[0]);
      b[1] = Math.min(b[1], c[1]);
      b[2] = Math.max(b[2], c[0]);
      b[3] = Math.max(b[3], c[1]);
      return;
    }
    for (const x of c) walk(x);
  };
  const g = geometry as { coordinates?: unknown; geometries?: unknown[] } | null;
  if (g?.coordinates !== undefined) walk(g.coordinates);
  for (const sub of g?.geometries ?? []) {
    const sb = geometryBounds(sub);
    if (sb) walk([[sb[0], sb[1]], [sb[2], sb[3]]]);
  }
  return b[0] <= b[2] && b[1] <= b[3] ? b : null;
}

function overlaps(a: LonLatBounds, b: LonLatBounds): boolean {
  return a[0] <= b[2] && a[2] >= b[0] && a[1] <= b[3] && a[3] >= b[1];
}

/** First and last capture date of the footprints of `mosaicType` (or untyped ones) overlapping `bounds`. */
export function captureRangeOf(features: readonly CaptureFeature[], mosaicType: string, bounds: LonLatBounds): { start: string; end: string } | null {
  const dates = features
    .filter((f) => f.properties.mosaic_type === null || f.properties.mosaic_type === mosaicType)
    .filter((f) => {
      const fb = geometryBounds(f.geometry);
      return fb === null || overlaps(fb, bounds);
    })
    .map((f) => f.properties.capture_date)
    .sort((a, b) => Date.parse(a) - Date.parse(b));
  return dates.length > 0 ? { start: dates[0]!, end: dates[dates.length - 1]! } : null;
}

/** The range of a STAC Item's `datetime` or `start_datetime`/`end_datetime`, when present. */
export function itemCaptureRange(properties: Record<string, unknown>): { start: string; end: string } | null {
  const s = properties.start_datetime ?? properties.datetime;
  const e = properties.end_datetime ?? properties.datetime;
  return typeof s === 'string' && typeof e === 'string' ? { start: s, end: e } : null;
}
