/**
 * From Web Mercator to a source raster's pixels: the inverse geotransform, and proj4 from EPSG:3857 to
 * the source CRS when it is not Web Mercator itself (then the transform is affine and known as such).
 */
import { crsConverter } from '../raster/geo/crs.transform.js';
import type { CrsInfo, GeoTransform } from '../raster/raster.types.js';

/** Maps EPSG:3857 metres to full-resolution source pixel coordinates `[col, row]` (pixel corners at integers). */
export type ToSourcePixel = (x: number, y: number) => [number, number];

/** Inverse of a geotransform: `[col, row]` of a CRS position. Throws on a degenerate transform. */
export function invertTransform(t: GeoTransform): (x: number, y: number) => [number, number] {
  const det = t[1] * t[5] - t[2] * t[4];
  if (!Number.isFinite(det) || det === 0) throw new Error(`degenerate geotransform ${t.join(',')}`);
  return (x, y) => {
    const dx = x - t[0];
    const dy = y - t[3];
    return [(t[5] * dx - t[2] * dy) / det, (-t[4] * dx + t[1] * dy) / det];
  };
}

/** True when a CRS is EPSG:3857 (so no reprojection is needed). */
function isWebMercator(crs: CrsInfo): boolean {
  if (crs.epsg === 3857 || crs.epsg === 900913) return true;
  return /\+proj=merc/.test(crs.proj4) && /\+a=6378137/.test(crs.proj4) && /\+b=6378137/.test(crs.proj4) && !/\+lat_ts=[^0]/.test(crs.proj4);
}

/** Transforms known to be affine: their grid interpolates them exactly (no error to measure). */
const affine = new WeakSet<ToSourcePixel>();

/** True for a transform that is affine (a source already in EPSG:3857): interpolation is exact. */
export function isAffine(t: ToSourcePixel): boolean {
  return affine.has(t);
}

/** EPSG:3857 → source pixel transform of a raster (its CRS and level-0 geotransform). */
export function mercatorToSourcePixel(crs: CrsInfo, transform: GeoTransform): ToSourcePixel {
  const toPixel = invertTransform(transform);
  if (isWebMercator(crs)) {
    affine.add(toPixel);
    return toPixel;
  }
  const converter = crsConverter('EPSG:3857', crs.proj4);
  return (x, y) => {
    let p: number[];
    try {
      p = converter.forward([x, y]);
    } catch {
      return [NaN, NaN];
    }
    const px = p[0]!;
    const py = p[1]!;
    if (!Number.isFinite(px) || !Number.isFinite(py)) return [NaN, NaN];
    return toPixel(px, py);
  };
}
