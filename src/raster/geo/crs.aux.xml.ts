/**
 * The CRS GDAL keeps beside a GeoTIFF, in `<file>.aux.xml` (its PAM file), when GeoKeys cannot express it:
 * GDAL writes no GeoKeys at all for Colombia Urban, Michigan's scaled-ellipsoid Lambert, Equal Earth, the
 * hyperbolic Cassini of Vanua Levu, Guam, or a 3D transverse Mercator, and puts the CRS's WKT in the
 * `.aux.xml` (as gdalinfo and every GDAL reader then do, geopera reads it there). The CRS is resolved by the
 * EPSG code the WKT carries, through the same registry as GeoKeys' codes.
 */
import { AppError } from '../../errors/app.error.js';
import type { CrsInfo } from '../raster.types.js';
import { crsForEpsg } from './crs.epsg.js';

/** The CRS a `.aux.xml` (its text) holds, or null when it holds none. */
export function crsFromAuxXml(xml: string): CrsInfo | null {
  const srs = /<SRS\b[^>]*>([\s\S]*?)<\/SRS>/.exec(xml)?.[1];
  if (!srs?.trim()) return null;
  const wkt = srs.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').trim();
  const code = epsgOfWkt(wkt);
  if (code === undefined) {
    throw new AppError('unsupported_crs', `The CRS in the .aux.xml (${wkt.slice(0, 60)}…) carries no EPSG code; geopera resolves CRSs by EPSG code`);
  }
  return crsForEpsg(code);
}

/**
 * The EPSG code of a WKT (1 or 2) CRS: its own top-level ID["EPSG",n] or AUTHORITY["EPSG","n"]; for a
 * BOUNDCRS, its source CRS's.
 */
export function epsgOfWkt(wkt: string): number | undefined {
  let depth = 0;
  let quoted = false;
  let code: number | undefined;
  for (let i = 0; i < wkt.length; i++) {
    const ch = wkt[i];
    if (ch === '"') quoted = !quoted;
    if (quoted) continue;
    if (ch === '[' || ch === '(') depth++;
    else if (ch === ']' || ch === ')') {
      if (--depth < 0) break;
    }
    if (depth === 1 && (ch === ',' || ch === '[' || ch === '(')) {
      const rest = wkt.slice(i + 1).trimStart();
      const id = /^(?:ID|AUTHORITY)\[\s*"EPSG"\s*,\s*"?(\d+)"?/i.exec(rest);
      if (id) code = Number(id[1]);
      if (/^SOURCECRS\[/i.test(rest)) {
        const inner = rest.slice(rest.indexOf('[') + 1);
        return epsgOfWkt(inner);
      }
    }
  }
  return code;
}
