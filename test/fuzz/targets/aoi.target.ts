/**
 * Fuzz target: the AOI parser and validator. JSON text → `parseAoi` (GeoJSON shapes, positions,
 * closing, topology: self-intersections, holes) → on success the ellipsoidal area inside a footprint,
 * as the create operations price it. A parsed AOI has closed rings of 4+ positions inside lon/lat range.
 */
import { aoiAreaKm2 } from '../../../src/raster/aoi/aoi.area.js';
import { parseAoi } from '../../../src/raster/aoi/aoi.parse.js';
import { check, settle, type FuzzTarget } from '../fuzz.target.js';

/** The footprint the AOI is priced against (lon/lat bbox around the seeds). */
const Footprint: [number, number, number, number] = [-180, -85, 180, 85];

export const AoiTarget: FuzzTarget = {
  name: 'aoi',
  about: 'GeoJSON text → parseAoi (shape, positions, ring topology) → aoiAreaKm2 within a footprint',
  covers: ['src/raster/aoi/aoi.parse.ts', 'src/raster/aoi/ring.topology.ts', 'src/raster/aoi/aoi.area.ts', 'src/raster/aoi/aoi.types.ts'],
  dictionary: 'json.dict',
  maxLength: 16 * 1024,
  maxAllocBytes: 1 << 24,
  run: async (data) => {
    let value: unknown;
    try {
      value = JSON.parse(Buffer.from(data).toString('utf8'));
    } catch {
      return 'not-json';
    }
    return settle(() => {
      const aoi = parseAoi(value);
      check(aoi.polygons.length > 0, 'a parsed AOI without polygons');
      for (const rings of aoi.polygons) {
        for (const ring of rings) {
          check(ring.length >= 4, `a ring of ${ring.length} positions`);
          const [a, z] = [ring[0]!, ring[ring.length - 1]!];
          check(a[0] === z[0] && a[1] === z[1], 'an open ring');
          for (const [lon, lat] of ring) check(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90, `position ${lon},${lat} out of range`);
        }
      }
      const km2 = aoiAreaKm2(aoi, Footprint);
      check(Number.isFinite(km2) && km2 >= 0, `area ${km2} km²`);
    });
  },
};
