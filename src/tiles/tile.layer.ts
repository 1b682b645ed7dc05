/**
 * What a map needs to know about one raster before asking for tiles: its bounds in EPSG:4326 (the AOI's
 * bounds within the data for a clip), the zoom range (minzoom from the coarsest overview, maxzoom from
 * the native resolution plus overzoom) and a centre. Pure: computed from headers and the AOI.
 */
import { footprintRing, ringBounds } from '../catalog/bounds.wgs84.js';
import { crsConverter } from '../raster/geo/crs.transform.js';
import type { RasterInfo } from '../raster/raster.types.js';
import { coarsestZoom, lonLatBoundsToMercator, MaxZoom, nativeZoom, WorldWidth, type LonLatBounds, type MercatorBounds } from './tile.grid.js';

/** Zoom levels served past the native resolution (smooth server-side bilinear before clients overzoom). */
export const Overzoom = 2;

/** Bounds, zooms and centre of a layer. */
export interface LayerExtent {
  /** `[west, south, east, north]`, degrees */
  bounds: LonLatBounds;
  /** The same in EPSG:3857 metres (for the 204 test of tiles) */
  mercator: MercatorBounds;
  minzoom: number;
  maxzoom: number;
  /** Zoom whose tiles are as fine as the full-resolution data */
  nativezoom: number;
  /** `[lon, lat, zoom]` */
  center: [number, number, number];
  /** EPSG:3857 metres per pixel of each level at the raster's centre */
  levelResolutions: number[];
}

/**
 * EPSG:3857 metres per level-0 pixel: the finest over a 5 × 5 grid of positions across the raster
 * (geometric mean of both axes), skipping positions past Web Mercator's latitude limit (polar data).
 */
export function mercatorResolution(info: Pick<RasterInfo, 'geo' | 'levels'>): number {
  const crs = info.geo.crs;
  if (!crs) return NaN;
  const t = info.geo.transform;
  const l0 = info.levels[0]!;
  const at = (col: number, row: number): [number, number] => [t[0] + col * t[1] + row * t[2], t[3] + col * t[4] + row * t[5]];
  const toMerc = crsConverter(crs.proj4, 'EPSG:3857');
  const toLonLat = crsConverter(crs.proj4, 'EPSG:4326');
  const p = (col: number, row: number): number[] => {
    try {
      return toMerc.forward(at(col, row));
    } catch {
      return [NaN, NaN];
    }
  };
  let best = Infinity;
  for (let i = 0; i < 5; i++) {
    for (let j = 0; j < 5; j++) {
      const c = ((i + 0.5) / 5) * l0.width;
      const r = ((j + 0.5) / 5) * l0.height;
      let lat: number;
      try {
        lat = toLonLat.forward(at(c, r))[1]!;
      } catch {
        continue;
      }
      if (!(Math.abs(lat) < 85)) continue;
      const o = p(c, r);
      const dx = p(c + 1, r);
      const dy = p(c, r + 1);
      const cross = (dx[0]! - o[0]!) * (dy[1]! - o[1]!) - (dx[1]! - o[1]!) * (dy[0]! - o[0]!);
      const res = Math.sqrt(Math.abs(cross));
      if (Number.isFinite(res) && res > 0 && res < best) best = res;
    }
  }
  return best === Infinity ? NaN : best;
}

/** Intersection of bounds, or null when they do not overlap. */
export function intersectBounds(a: LonLatBounds, b: LonLatBounds): LonLatBounds | null {
  const out: LonLatBounds = [Math.max(a[0], b[0]), Math.max(a[1], b[1]), Math.min(a[2], b[2]), Math.min(a[3], b[3])];
  return out[0] < out[2] && out[1] < out[3] ? out : null;
}

/** The layer's extent; `aoiBounds` (degrees) narrows the data bounds for clip outputs. */
export function layerExtent(info: Pick<RasterInfo, 'geo' | 'levels'>, aoiBounds?: LonLatBounds | null): LayerExtent {
  const data = ringBounds(footprintRing(info));
  const clamped: LonLatBounds = [Math.max(-180, data[0]), Math.max(-85.0511287798066, data[1]), Math.min(180, data[2]), Math.min(85.0511287798066, data[3])];
  const bounds = (aoiBounds ? intersectBounds(clamped, aoiBounds) : null) ?? clamped;
  const res0 = mercatorResolution(info);
  const w0 = info.levels[0]!.width;
  const levelResolutions = info.levels.map((l) => res0 * (w0 / l.width));
  const nativezoom = Number.isFinite(res0) ? nativeZoom(res0) : 0;
  const minzoom = Number.isFinite(res0) ? Math.min(nativezoom, coarsestZoom(levelResolutions[levelResolutions.length - 1]!)) : 0;
  const maxzoom = Math.min(MaxZoom, nativezoom + Overzoom);
  const mercator = lonLatBoundsToMercator(bounds);
  // A first view that shows the bounds in about two tiles across.
  const span = Math.max(mercator[2] - mercator[0], mercator[3] - mercator[1], 1e-6);
  const fit = Math.floor(Math.log2(WorldWidth / span)) + 1;
  const center: [number, number, number] = [round7((bounds[0] + bounds[2]) / 2), round7((bounds[1] + bounds[3]) / 2), Math.max(minzoom, Math.min(maxzoom, fit))];
  return { bounds: bounds.map(round7) as LonLatBounds, mercator, minzoom, maxzoom, nativezoom, center, levelResolutions };
}

function round7(v: number): number {
  return Math.round(v * 1e7) / 1e7;
}
