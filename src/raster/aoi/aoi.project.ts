/**
 * AOI coordinates from EPSG:4326 lon/lat into a raster's CRS (proj4) and then into its pixel space.
 */
import { AppError } from '../../errors/app.error.js';
import { crsConverter, proj4Definition } from '../geo/crs.transform.js';
import type { CrsInfo, GeoTransform } from '../raster.types.js';
import type { Aoi, Polygons, Ring } from './aoi.types.js';
import { fmt } from './aoi.parse.js';

/** Polygons in a projected (or geographic) CRS's units. */
export type ProjectedPolygons = Polygons;

/** Polygons in pixel coordinates `[col, row]`: pixel (c, r) covers [c, c+1) x [r, r+1), its centre is (c+0.5, r+0.5). */
export type PixelPolygons = Polygons;

export interface ProjectAoiOptions {
  /**
   * Longest edge, in degrees of longitude or latitude, before projecting; default 0.001 (about 111 m).
   * A straight lon/lat edge (RFC 7946) becomes a curve in most projected CRSs; projecting only its ends
   * would cut the curve short (about 1 000 pixels of a 60 m grid wrong along a 75 km box in UTM). With
   * 0.001° pieces our masks equal `gdalwarp -cutline`'s (which densifies too) on the test AOIs; with 0.01°,
   * 2 boundary pixels in a million still differ.
   */
  maxSegmentDeg?: number;
  /** Cap on the number of positions after densifying; the step grows to respect it. Default 1 000 000. */
  maxPositions?: number;
}

/**
 * Split every edge longer than `maxSegmentDeg` (in lon or lat) into equal pieces, linearly in lon/lat
 * (RFC 7946 edges are straight in lon/lat). The ring stays closed.
 */
export function densifyRing(ring: Ring, maxSegmentDeg: number): Ring {
  const out: Ring = [ring[0]!];
  for (let k = 0; k + 1 < ring.length; k++) {
    const [ax, ay] = ring[k]!;
    const [bx, by] = ring[k + 1]!;
    const n = Math.max(1, Math.ceil(Math.max(Math.abs(bx - ax), Math.abs(by - ay)) / maxSegmentDeg));
    for (let i = 1; i < n; i++) out.push([ax + ((bx - ax) * i) / n, ay + ((by - ay) * i) / n]);
    out.push([bx, by]);
  }
  return out;
}

/** The densify step (degrees) that keeps the total number of positions at or under `maxPositions`. */
export function densifyStep(polygons: Polygons, step: number, maxPositions: number): number {
  let total = 0;
  for (const polygon of polygons) {
    for (const ring of polygon) {
      total += 1;
      for (let k = 0; k + 1 < ring.length; k++) {
        const [ax, ay] = ring[k]!;
        const [bx, by] = ring[k + 1]!;
        total += Math.max(1, Math.ceil(Math.max(Math.abs(bx - ax), Math.abs(by - ay)) / step));
      }
    }
  }
  return total > maxPositions ? (step * total) / maxPositions : step;
}

export { proj4Definition } from '../geo/crs.transform.js';

/**
 * The AOI in `toCrs`: edges densified in lon/lat first (not when `toCrs` is geographic: a lon/lat edge stays
 * straight there), then every vertex projected from EPSG:4326 with proj4. Throws `aoi_outside_area`
 * when a vertex has no finite position in `toCrs` (outside the projection's domain).
 */
export function projectAoi(aoi: Aoi, toCrs: CrsInfo, opts: ProjectAoiOptions = {}): ProjectedPolygons {
  const def = proj4Definition(toCrs.proj4);
  const converter = crsConverter('EPSG:4326', def);
  const step = toCrs.geographic ? 0 : densifyStep(aoi.polygons, opts.maxSegmentDeg ?? 0.001, opts.maxPositions ?? 1_000_000);
  return aoi.polygons.map((polygon) =>
    polygon.map((ring) => {
      const dense = step > 0 ? densifyRing(ring, step) : ring;
      return dense.map(([lon, lat]): [number, number] => {
        const [x, y] = converter.forward([lon, lat]);
        if (!Number.isFinite(x) || !Number.isFinite(y)) {
          throw new AppError('aoi_outside_area', `AOI point (${fmt(lon)}, ${fmt(lat)}) has no position in the raster's CRS (${def})`);
        }
        return [x!, y!];
      });
    }),
  );
}

/** The inverse of a geotransform: maps (x, y) in CRS units to (col, row). Throws when it is not invertible. */
export function invertGeoTransform(t: GeoTransform): GeoTransform {
  const det = t[1] * t[5] - t[2] * t[4];
  if (!Number.isFinite(det) || det === 0) {
    throw new AppError('invalid_tiff', `Geotransform [${t.join(', ')}] is not invertible`);
  }
  // col = i0 + x*i1 + y*i2; row = i3 + x*i4 + y*i5
  const i1 = t[5] / det;
  const i2 = -t[2] / det;
  const i4 = -t[4] / det;
  const i5 = t[1] / det;
  return [-(t[0] * i1 + t[3] * i2), i1, i2, -(t[0] * i4 + t[3] * i5), i4, i5];
}

/** Polygons in CRS units to pixel space through the inverse geotransform (rotated transforms included). */
export function toPixelSpace(polys: ProjectedPolygons, transform: GeoTransform): PixelPolygons {
  const det = transform[1] * transform[5] - transform[2] * transform[4];
  invertGeoTransform(transform); // validates
  const [t0, t1, t2, t3, t4, t5] = transform;
  // Work on offsets from the origin (fewer cancellation errors than the expanded inverse).
  return polys.map((polygon) =>
    polygon.map((ring) =>
      ring.map(([x, y]): [number, number] => {
        const dx = x - t0;
        const dy = y - t3;
        // `+ 0` turns -0 into 0.
        return [(t5 * dx - t2 * dy) / det + 0, (t1 * dy - t4 * dx) / det + 0];
      }),
    ),
  );
}
