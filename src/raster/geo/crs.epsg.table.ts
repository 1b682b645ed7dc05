/**
 * A compact EPSG → proj4 table for the CRSs imagery comes in: every UTM family by formula, the
 * common national grids and polar projections. proj4js itself knows only a handful of codes.
 * Datum shifts to WGS84 are spelled out (`+towgs84`) so an AOI in EPSG:4326 lands where GDAL puts it.
 * Each entry is checked against GDAL/PROJ in the tests.
 */

const GRS80_0 = '+ellps=GRS80 +towgs84=0,0,0,0,0,0,0';
// proj4js's own WGS72 ellipsoid is not EPSG's (a = 6378135, 1/f = 298.26): spelled out.
const WGS72 = '+a=6378135 +rf=298.26 +towgs84=0,0,4.5,0,0,0.554,0.2263';

/** Geographic CRS code → its datum part of a proj4 string. */
const GEOGRAPHIC: Readonly<Record<number, string>> = {
  4326: '+datum=WGS84', // WGS 84
  4269: '+datum=NAD83', // NAD83
  4258: GRS80_0, // ETRS89
  4167: GRS80_0, // NZGD2000
  4283: GRS80_0, // GDA94
  7844: GRS80_0, // GDA2020
  4674: GRS80_0, // SIRGAS 2000
  4617: GRS80_0, // NAD83(CSRS)
  6318: GRS80_0, // NAD83(2011)
  4152: GRS80_0, // NAD83(HARN)
  5489: GRS80_0, // RGAF09
  4171: GRS80_0, // RGF93 v1
  4612: GRS80_0, // JGD2000
  6668: GRS80_0, // JGD2011
  4490: GRS80_0, // CGCS2000
  4148: '+ellps=WGS84 +towgs84=0,0,0,0,0,0,0', // Hartebeesthoek94
  4230: '+ellps=intl +towgs84=-87,-98,-121,0,0,0,0', // ED50
  4277: '+ellps=airy +towgs84=446.448,-125.157,542.06,0.15,0.247,0.842,-20.489', // OSGB36
  4150: '+ellps=bessel +towgs84=674.374,15.056,405.346,0,0,0,0', // CH1903+
  4149: '+ellps=bessel +towgs84=674.374,15.056,405.346,0,0,0,0', // CH1903
  4289: '+ellps=bessel +towgs84=565.417,50.3319,465.552,-0.398957,0.343988,-1.8774,4.0725', // Amersfoort
  4322: WGS72, // WGS 72
};

/** Geographic 3D CRS code → its 2D counterpart (GDAL reports the 3D code when the GeoKeys name it). */
export const GEOGRAPHIC_3D: Readonly<Record<number, number>> = {
  4979: 4326, 4937: 4258, 4959: 4167, 4939: 4283, 7843: 7844, 6319: 6318, 5488: 5489,
};

/** Projected CRS code → [geographic base code, projection part of the proj4 string]. */
const PROJECTED: Readonly<Record<number, readonly [number, string]>> = {
  3395: [4326, '+proj=merc +lon_0=0 +k=1 +x_0=0 +y_0=0'],
  2193: [4167, '+proj=tmerc +lat_0=0 +lon_0=173 +k=0.9996 +x_0=1600000 +y_0=10000000'],
  2056: [4150, '+proj=somerc +lat_0=46.9524055555556 +lon_0=7.43958333333333 +k_0=1 +x_0=2600000 +y_0=1200000'],
  21781: [4149, '+proj=somerc +lat_0=46.9524055555556 +lon_0=7.43958333333333 +k_0=1 +x_0=600000 +y_0=200000'],
  3031: [4326, '+proj=stere +lat_0=-90 +lat_ts=-71 +lon_0=0 +x_0=0 +y_0=0'],
  3413: [4326, '+proj=stere +lat_0=90 +lat_ts=70 +lon_0=-45 +x_0=0 +y_0=0'],
  3976: [4326, '+proj=stere +lat_0=-90 +lat_ts=-70 +lon_0=0 +x_0=0 +y_0=0'],
  3995: [4326, '+proj=stere +lat_0=90 +lat_ts=71 +lon_0=0 +x_0=0 +y_0=0'],
  32661: [4326, '+proj=stere +lat_0=90 +lon_0=0 +k=0.994 +x_0=2000000 +y_0=2000000'],
  32761: [4326, '+proj=stere +lat_0=-90 +lon_0=0 +k=0.994 +x_0=2000000 +y_0=2000000'],
  27700: [4277, '+proj=tmerc +lat_0=49 +lon_0=-2 +k=0.9996012717 +x_0=400000 +y_0=-100000'],
  3035: [4258, '+proj=laea +lat_0=52 +lon_0=10 +x_0=4321000 +y_0=3210000'],
  3034: [4258, '+proj=lcc +lat_0=52 +lon_0=10 +lat_1=35 +lat_2=65 +x_0=4000000 +y_0=2800000'],
  2154: [4171, '+proj=lcc +lat_0=46.5 +lon_0=3 +lat_1=49 +lat_2=44 +x_0=700000 +y_0=6600000'],
  5070: [4269, '+proj=aea +lat_0=23 +lon_0=-96 +lat_1=29.5 +lat_2=45.5 +x_0=0 +y_0=0'],
  3338: [4269, '+proj=aea +lat_0=50 +lon_0=-154 +lat_1=55 +lat_2=65 +x_0=0 +y_0=0'],
  3577: [4283, '+proj=aea +lat_0=0 +lon_0=132 +lat_1=-18 +lat_2=-36 +x_0=0 +y_0=0'],
  3112: [4283, '+proj=lcc +lat_0=0 +lon_0=134 +lat_1=-18 +lat_2=-36 +x_0=0 +y_0=0'],
  6933: [4326, '+proj=cea +lat_ts=30 +lon_0=0 +x_0=0 +y_0=0'],
  4087: [4326, '+proj=eqc +lat_ts=0 +lat_0=0 +lon_0=0 +x_0=0 +y_0=0'],
  32662: [4326, '+proj=eqc +lat_ts=0 +lat_0=0 +lon_0=0 +x_0=0 +y_0=0'],
  28992: [4289, '+proj=sterea +lat_0=52.1561605555556 +lon_0=5.38763888888889 +k=0.9999079 +x_0=155000 +y_0=463000'],
  2180: [4258, '+proj=tmerc +lat_0=0 +lon_0=19 +k=0.9993 +x_0=500000 +y_0=-5300000'],
  3006: [4258, '+proj=utm +zone=33'],
  3067: [4258, '+proj=utm +zone=35'],
  3763: [4258, '+proj=tmerc +lat_0=39.6682583333333 +lon_0=-8.13310833333333 +k=1 +x_0=0 +y_0=0'],
};

/** UTM families: [first code, last code, geographic base, first zone, south]. */
const UTM_FAMILIES: readonly (readonly [number, number, number, number, boolean])[] = [
  [32601, 32660, 4326, 1, false], // WGS 84 / UTM zone 1N..60N
  [32701, 32760, 4326, 1, true], // WGS 84 / UTM zone 1S..60S
  [32201, 32260, 4322, 1, false], // WGS 72 / UTM north
  [32301, 32360, 4322, 1, true], // WGS 72 / UTM south
  [26901, 26923, 4269, 1, false], // NAD83 / UTM zone 1N..23N
  [6330, 6348, 6318, 1, false], // NAD83(2011) / UTM zone 1N..19N
  [6328, 6329, 6318, 59, false], // NAD83(2011) / UTM zone 59N, 60N
  [25828, 25838, 4258, 28, false], // ETRS89 / UTM zone 28N..38N
  [23028, 23038, 4230, 28, false], // ED50 / UTM zone 28N..38N
  [28348, 28358, 4283, 48, true], // GDA94 / MGA zone 48..58
  [7846, 7859, 7844, 46, true], // GDA2020 / MGA zone 46..59
  [31965, 31976, 4674, 11, false], // SIRGAS 2000 / UTM zone 11N..22N
  [31977, 31985, 4674, 17, true], // SIRGAS 2000 / UTM zone 17S..25S
];

/** The datum part of a proj4 string for a geographic CRS code, or undefined when not in the table. */
export function datumForGeographic(code: number): string | undefined {
  return GEOGRAPHIC[code] ?? (GEOGRAPHIC_3D[code] !== undefined ? GEOGRAPHIC[GEOGRAPHIC_3D[code]] : undefined);
}

/** True when `code` is a geographic (lon/lat) CRS in the table. */
export function isGeographicEpsg(code: number): boolean {
  return datumForGeographic(code) !== undefined;
}

/** A proj4 definition for an EPSG code, or undefined when the code is not in the table. */
export function proj4ForEpsg(code: number): string | undefined {
  if (code === 3857 || code === 3785 || code === 900913) {
    return '+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +wktext +no_defs';
  }
  const datum = datumForGeographic(code);
  if (datum !== undefined) return `+proj=longlat ${datum} +no_defs`;
  const projected = PROJECTED[code];
  if (projected) return `${projected[1]} ${GEOGRAPHIC[projected[0]]} +units=m +no_defs`;
  for (const [first, last, geog, firstZone, south] of UTM_FAMILIES) {
    if (code >= first && code <= last) {
      return `+proj=utm +zone=${firstZone + code - first}${south ? ' +south' : ''} ${GEOGRAPHIC[geog]} +units=m +no_defs`;
    }
  }
  return undefined;
}

/** Every code the table knows (for tests that check each against PROJ). */
export function knownEpsgCodes(): number[] {
  const codes = [3857, ...Object.keys(GEOGRAPHIC).map(Number), ...Object.keys(GEOGRAPHIC_3D).map(Number), ...Object.keys(PROJECTED).map(Number)];
  for (const [first, last] of UTM_FAMILIES) for (let c = first; c <= last; c++) codes.push(c);
  return codes;
}
