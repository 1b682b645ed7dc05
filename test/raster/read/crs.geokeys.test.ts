/**
 * CRSs from GeoKeys: EPSG codes through the table (each entry checked against PROJ through GDAL),
 * user-defined CRSs from their parameters (checked against the equivalent EPSG definition), and
 * the corpus files' CRSs against GDAL's own proj4 export.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import proj4 from 'proj4';
import { AppError } from '../../../src/errors/app.error.js';
import { crsFromGeoKeys, crsForEpsg, proj4ForEpsg } from '../../../src/raster/geo/crs.from.geokeys.js';

/** Codes checked against PROJ one by one: UTM families, national grids, polar and equal-area CRSs. */
const SAMPLE_CODES = [4326, 4269, 4258, 4167, 4283, 7844, 4674, 4230, 4277, 4150, 4289, 4322, 3857, 3395, 2193, 2056, 3031, 3413, 3976, 3995,
  32661, 32761, 27700, 3035, 3034, 2154, 5070, 3338, 3577, 3112, 6933, 4087, 28992, 2180, 3006, 3067, 3763, 32633, 32760, 32201, 26910, 6340,
  25832, 23031, 28355, 7855, 31983, 31256, 5514, 31467, 2263, 3414, 5179, 2039, 5880];
import { openRaster } from '../../../src/raster/read/raster.open.js';
import { gdalPy, hasRealFixtures, realFixturesDir, skipUnlessGdal, skipUnlessRealFixtures } from '../../support/gdal.js';

/** A GeoKeyDirectory: SHORT keys inline, number[] keys into GeoDoubleParams. */
function geoKeys(keys: [number, number | number[]][]): { directory: number[]; doubles: number[] } {
  const directory = [1, 1, 0, keys.length];
  const doubles: number[] = [];
  for (const [id, value] of [...keys].sort((a, b) => a[0] - b[0])) {
    if (Array.isArray(value)) {
      directory.push(id, 34736, value.length, doubles.length);
      doubles.push(...value);
    } else directory.push(id, 0, 1, value);
  }
  return { directory, doubles };
}

/** Forward-project lon/lat (on the CRS's own datum) with a proj4 definition. */
function forward(def: string, lonLat: [number, number]): number[] {
  const geog = `+proj=longlat ${def.split(' ').filter((p) => /^\+(datum|ellps|a|b|rf|towgs84)=/.test(p)).join(' ')} +no_defs`;
  return proj4(geog, def, lonLat);
}

function near(a: number[], b: number[], tol: number): boolean {
  return a.every((v, i) => Math.abs(v - b[i]) <= tol);
}

const failsWith = (pattern: RegExp) => (err: unknown) => err instanceof AppError && err.code === 'unsupported_crs' && pattern.test(err.message);

describe('CRS from GeoKeys', () => {
  it('reads an EPSG projected code', () => {
    const { directory } = geoKeys([[1024, 1], [3072, 32633]]);
    const crs = crsFromGeoKeys(directory);
    assert.equal(crs?.epsg, 32633);
    assert.equal(crs?.geographic, false);
    assert.match(crs!.proj4, /^\+proj=utm \+zone=33 .*\+ellps=WGS84.*\+towgs84=0,0,0,0,0,0,0 \+no_defs$/);
  });

  it('reads an EPSG geographic code, and the 3D code GDAL reports when the vertical key names it', () => {
    assert.equal(crsFromGeoKeys(geoKeys([[1024, 2], [2048, 4326]]).directory)?.geographic, true);
    assert.equal(crsFromGeoKeys(geoKeys([[1024, 2], [2048, 5489], [4096, 5488]]).directory)?.epsg, 5488);
    assert.equal(crsFromGeoKeys(geoKeys([[1024, 2], [2048, 4326], [4096, 5703]]).directory)?.epsg, 4326);
  });

  it('returns null without GeoKeys', () => {
    assert.equal(crsFromGeoKeys(undefined), null);
    assert.equal(crsFromGeoKeys([1, 1, 0, 0]), null);
  });

  it('builds a user-defined UTM from ProjectionGeoKey and an ellipsoid given by its axes', () => {
    const { directory, doubles } = geoKeys([[1024, 1], [2048, 32767], [2057, [6378137]], [2059, [298.257222101]], [3072, 32767], [3074, 16125], [3076, 9001]]);
    const crs = crsFromGeoKeys(directory, doubles);
    assert.equal(crs?.epsg, undefined);
    assert.ok(near(forward(crs!.proj4, [-35, -8]), forward(proj4ForEpsg(31985)!, [-35, -8]), 1e-6));
  });

  const userDefined: [string, number, [number, number | number[]][], [number, number]][] = [
    ['transverse Mercator (NZTM)', 2193, [[3075, 1], [3080, [173]], [3081, [0]], [3092, [0.9996]], [3082, [1600000]], [3083, [10000000]]], [174.8, -41.3]],
    ['polar stereographic (EPSG:3031)', 3031, [[3075, 15], [3081, [-71]], [3095, [0]], [3082, [0]], [3083, [0]]], [80, -75]],
    ['Lambert conformal conic 2SP (Lambert-93)', 2154, [[3075, 8], [3078, [49]], [3079, [44]], [3085, [46.5]], [3084, [3]], [3086, [700000]], [3087, [6600000]]], [2.35, 48.85]],
    ['Lambert azimuthal equal area (LAEA Europe)', 3035, [[3075, 10], [3089, [52]], [3088, [10]], [3082, [4321000]], [3083, [3210000]]], [2.35, 48.85]],
    ['Albers equal area (CONUS)', 5070, [[3075, 11], [3078, [29.5]], [3079, [45.5]], [3081, [23]], [3080, [-96]], [3082, [0]], [3083, [0]]], [-100, 40]],
    ['oblique stereographic (RD New)', 28992, [[3075, 16], [3081, [52.1561605555556]], [3080, [5.38763888888889]], [3092, [0.9999079]], [3082, [155000]], [3083, [463000]]], [5, 52]],
  ];
  for (const [name, epsg, params, lonLat] of userDefined) {
    it(`builds a user-defined ${name} equal to EPSG:${epsg}`, () => {
      const datum = proj4ForEpsg(epsg)!;
      const ellps = /\+ellps=(\w+)/.exec(datum)?.[1] ?? (datum.includes('+datum=NAD83') ? 'GRS80' : 'WGS84');
      const ellipsoid = { WGS84: 7030, GRS80: 7019, bessel: 7004 }[ellps]!;
      const { directory, doubles } = geoKeys([[1024, 1], [2048, 32767], [2056, ellipsoid], [3072, 32767], [3074, 32767], ...params]);
      const crs = crsFromGeoKeys(directory, doubles)!;
      // Within 1 cm: a 7-parameter towgs84 makes proj4js's same-datum round trip inexact by a millimetre.
      assert.ok(near(forward(crs.proj4, lonLat), forward(datum, lonLat), 1e-2), `${crs.proj4} vs ${datum}`);
    });
  }

  it('converts false easting and northing given in feet', () => {
    const { directory, doubles } = geoKeys([[1024, 1], [2048, 4269], [3072, 32767], [3074, 32767], [3075, 1], [3076, 9002], [3080, [-100]], [3081, [0]], [3092, [1]], [3082, [1000]], [3083, [0]]]);
    const crs = crsFromGeoKeys(directory, doubles)!;
    const [x] = proj4('+proj=longlat +datum=NAD83 +no_defs', crs.proj4, [-100, 10]);
    assert.ok(Math.abs(x - 1000) < 1e-6, `x in feet at the central meridian: ${x}`);
  });

  it('names what it cannot read', () => {
    assert.throws(() => crsFromGeoKeys(geoKeys([[1024, 1], [3072, 12345]]).directory), failsWith(/EPSG:12345/));
    assert.throws(() => crsFromGeoKeys(geoKeys([[1024, 2], [2048, 4001]]).directory), failsWith(/EPSG:4001/));
    assert.throws(() => crsFromGeoKeys(geoKeys([[1024, 3]]).directory), failsWith(/Geocentric/));
    assert.throws(() => crsFromGeoKeys(geoKeys([[1024, 1], [3072, 32767], [3074, 32767], [3075, 3]]).directory), failsWith(/Coordinate transformation 3/));
  });

  it('every EPSG code of the table projects as PROJ does', { skip: skipUnlessGdal }, () => {
    const codes = SAMPLE_CODES;
    const code = `
import sys, json
from osgeo import osr
out = {}
for c in json.loads(sys.argv[1]):
    s = osr.SpatialReference(); s.ImportFromEPSG(c)
    s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    a = s.GetAreaOfUse()
    lon, lat = (a.west_lon_degree + a.east_lon_degree) / 2, (a.south_lat_degree + a.north_lat_degree) / 2
    if a.west_lon_degree > a.east_lon_degree: lon = ((a.west_lon_degree + a.east_lon_degree + 360) / 2 + 180) % 360 - 180
    g = s.CloneGeogCS(); g.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    x, y, _ = osr.CoordinateTransformation(g, s).TransformPoint(lon, lat)
    out[c] = [lon, lat, x, y, bool(s.IsGeographic())]
print(json.dumps(out))`;
    const proj = JSON.parse(gdalPy(code, [JSON.stringify(codes)]).toString()) as Record<string, [number, number, number, number, boolean]>;
    for (const c of codes) {
      const [lon, lat, x, y, geographic] = proj[c];
      const def = proj4ForEpsg(c)!;
      assert.equal(crsForEpsg(c).geographic, geographic, `EPSG:${c} geographic`);
      if (geographic) continue;
      const ours = forward(def, [lon, lat]);
      assert.ok(near(ours, [x, y], 1e-2), `EPSG:${c} at ${lon},${lat}: ours ${ours.join(',')} vs PROJ ${x},${y}`);
    }
  });

  it('the corpus files\' CRSs locate their corners as GDAL\'s proj4 export does', { skip: skipUnlessRealFixtures }, async () => {
    const files = hasRealFixtures ? readdirSync(realFixturesDir).filter((f) => f.endsWith('.tif')) : [];
    const code = `
import sys, json
from osgeo import gdal
gdal.UseExceptions()
print(json.dumps({f: gdal.Open(f).GetSpatialRef().ExportToProj4() for f in sys.argv[1:]}))`;
    const paths = files.map((f) => path.join(realFixturesDir, f));
    const gdal = JSON.parse(gdalPy(code, paths).toString()) as Record<string, string>;
    for (const file of paths) {
      const info = await openRaster(file);
      const crs = info.geo.crs!;
      const t = info.geo.transform;
      const { width, height } = info.levels[0];
      for (const [px, py] of [[0, 0], [width, 0], [0, height], [width, height]]) {
        const xy: [number, number] = [t[0] + px * t[1] + py * t[2], t[3] + px * t[4] + py * t[5]];
        const ours = proj4(crs.proj4, 'EPSG:4326', xy);
        const theirs = proj4(gdal[file], 'EPSG:4326', xy);
        assert.ok(near(ours, theirs, 1e-7), `${path.basename(file)} corner ${px},${py}: ${ours.join(',')} vs GDAL ${theirs.join(',')} (${crs.proj4} / ${gdal[file]})`);
      }
    }
  });
});
