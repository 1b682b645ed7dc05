/**
 * The projection methods geopera adds to proj4js (`src/raster/geo/crs.methods.ts`: Colombia Urban, Laborde,
 * hyperbolic Cassini-Soldner, Guam) and geographic coordinates in grads, against GDAL: at five points of each
 * CRS's area of use (its centre and four points halfway to its corners), our forward projection equals
 * GDAL's (osr, the CRS's own geographic CRS → the CRS, no datum shift) within a millimetre, and our inverse of
 * GDAL's coordinates equals GDAL's inverse within 1e-8° (about a millimetre): both far under a tenth of a pixel.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { crsForEpsg } from '../../../src/raster/geo/crs.epsg.js';
import { proj4Params } from '../../../src/raster/geo/crs.proj4.text.js';
import { crsConverter } from '../../../src/raster/geo/crs.transform.js';
import { gdalPy, skipUnlessGdal } from '../../support/gdal.js';

/** [EPSG code, what it shows]. */
const CASES: [number, string][] = [
  [6247, 'Colombia Urban (Bogotá, 2,550 m projection plane)'],
  [6257, 'Colombia Urban (Medellín)'],
  [8441, 'Laborde Oblique Mercator (Madagascar)'],
  [29701, 'Laborde Oblique Mercator on the Paris meridian'],
  [3139, 'hyperbolic Cassini-Soldner in links (Vanua Levu)'],
  [3993, 'Guam projection'],
  [4807, 'geographic in grads on the Paris meridian (NTF (Paris))'],
];

/** GDAL's side: for each code, five points of its area of use, GDAL's forward of each and inverse of that. */
const ORACLE = `
import json, sys
from osgeo import osr
osr.UseExceptions()
out = {}
for code in [int(c) for c in sys.argv[1].split(',')]:
    srs = osr.SpatialReference(); srs.ImportFromEPSG(code); srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    a = srs.GetAreaOfUse()
    deg = srs.GetAngularUnits() * 57.29577951308232
    pm = float(srs.GetAttrValue('PRIMEM', 1) or 0) * deg
    # the CRS's own geographic CRS in degrees (for a CRS in grads, the same datum in degrees)
    geog = srs.CloneGeogCS(); geog.SetAngularUnits('degree', 0.0174532925199433); geog.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    fwd, back = osr.CoordinateTransformation(geog, srs), osr.CoordinateTransformation(srs, geog)
    east = a.east_lon_degree + (360 if a.east_lon_degree < a.west_lon_degree else 0)  # across the antimeridian
    cx, cy = (a.west_lon_degree + east) / 2, (a.south_lat_degree + a.north_lat_degree) / 2
    dx, dy = (east - a.west_lon_degree) / 4, (a.north_lat_degree - a.south_lat_degree) / 4
    wrap = lambda lon: (lon + 540) % 360 - 180
    pts = [(wrap(cx - pm), cy)] + [(wrap(cx - pm + sx * dx), cy + sy * dy) for sx in (-1, 1) for sy in (-1, 1)]
    rows = []
    for lon, lat in pts:
        x, y = fwd.TransformPoint(lon, lat)[:2]
        blon, blat = back.TransformPoint(x, y)[:2]
        rows.append([lon, lat, x, y, blon, blat])
    out[code] = rows
print(json.dumps(out))
`;

/** Our definition of the CRS without its datum shift, and its geographic CRS (same ellipsoid and meridian, degrees). */
function pair(code: number): { projected: string; geographic: string } {
  const params = proj4Params(crsForEpsg(code).proj4).filter((p) => !p.startsWith('+towgs84=') && !p.startsWith('+nadgrids='));
  const datum = params.filter((p) => /^\+(ellps|a|b|rf|pm)=/.test(p));
  return { projected: params.join(' '), geographic: `+proj=longlat ${datum.join(' ')} +no_defs` };
}

describe('projection methods geopera adds to proj4js, against GDAL', { skip: skipUnlessGdal }, () => {
  const oracle = skipUnlessGdal ? {} : (JSON.parse(gdalPy(ORACLE, [CASES.map(([c]) => c).join(',')]).toString()) as Record<string, number[][]>);

  for (const [code, what] of CASES) {
    it(`EPSG:${code} ${what}: forward within 1 mm, inverse within 1e-8° at five points`, () => {
      const { projected, geographic } = pair(code);
      const conv = crsConverter(geographic, projected);
      const rows = oracle[code]!;
      assert.equal(rows.length, 5);
      // Projected coordinates within a millimetre (in the CRS's unit); grads within 1e-8.
      const tolerance = /\+units=grad/.test(projected) ? 1e-8 : 1e-3 / unitMetres(projected);
      for (const [lon, lat, x, y, backLon, backLat] of rows as [number, number, number, number, number, number][]) {
        const [ox, oy] = conv.forward([lon, lat]);
        assert.ok(Math.abs(ox - x) <= tolerance && Math.abs(oy - y) <= tolerance, `forward (${lon}, ${lat}): ours (${ox}, ${oy}), GDAL (${x}, ${y})`);
        // Against GDAL's inverse, not the point: PROJ inverts Laborde by a series a few millimetres short of exact.
        const [ilon, ilat] = conv.inverse([x, y]);
        assert.ok(Math.abs(ilon - backLon) <= 1e-8 && Math.abs(ilat - backLat) <= 1e-8, `inverse (${x}, ${y}): ours (${ilon}, ${ilat}), GDAL (${backLon}, ${backLat})`);
      }
    });
  }
});

/** Metres per unit of a projected definition (`+units=link` for Vanua Levu). */
function unitMetres(def: string): number {
  return /\+units=link\b/.test(def) ? 0.201168 : 1;
}
