/**
 * One GDAL process per file for the reader tests: `gdalinfo -json` and any number of pixel reads
 * (levels, windows, mask) in a single Python call, so the corpus sweep stays fast.
 */
import { gdalPy, type GdalInfo } from '../../support/gdal.js';

/** One read: a level (0 = full resolution), an optional window [x, y, w, h], image or mask. */
export interface OracleRead {
  level: number;
  window?: [number, number, number, number];
  mask?: boolean;
}

const CODE = `
import sys, json, struct, numpy as np
from osgeo import gdal
gdal.UseExceptions()
ds = gdal.Open(sys.argv[1])
reads = json.loads(sys.argv[2])
out = sys.stdout.buffer
meta = gdal.Info(ds, format='json')
meta['exactNodata'] = str(ds.GetRasterBand(1).GetNoDataValue())
info = json.dumps(meta).encode()
out.write(struct.pack('<Q', len(info))); out.write(info)
for r in reads:
    bands = [ds.GetRasterBand(i + 1) for i in range(ds.RasterCount)]
    if r['level'] > 0: bands = [b.GetOverview(r['level'] - 1) for b in bands]
    if r.get('mask'): bands = [bands[0].GetMaskBand()]
    w = r.get('window') or [0, 0, bands[0].XSize, bands[0].YSize]
    arr = np.stack([b.ReadAsArray(*w) for b in bands], axis=-1)
    data = arr.astype(arr.dtype.newbyteorder('<')).tobytes()
    out.write(struct.pack('<Q', len(data))); out.write(data)
`;

/** gdalinfo's JSON plus band 1's exact nodata (Python's repr: "None", "nan", "-inf", "-9999.0"). */
export type OracleInfo = GdalInfo & { exactNodata: string };

/** gdalinfo's JSON and the bytes of each read (pixel-interleaved, little endian, GDAL's types). */
export function gdalOracle(file: string, reads: OracleRead[]): { info: OracleInfo; pixels: Buffer[] } {
  const buf = gdalPy(CODE, [file, JSON.stringify(reads)]);
  const parts: Buffer[] = [];
  for (let at = 0; at < buf.length; ) {
    const len = Number(buf.readBigUInt64LE(at));
    parts.push(buf.subarray(at + 8, at + 8 + len));
    at += 8 + len;
  }
  return { info: JSON.parse(parts[0].toString('utf8')) as OracleInfo, pixels: parts.slice(1) };
}

/** The EPSG code of the CRS's top-level ID in GDAL's WKT2, if any. */
export function topLevelEpsg(wkt: string | undefined): number | undefined {
  if (!wkt) return undefined;
  let depth = 0;
  let found: number | undefined;
  for (let i = 0; i < wkt.length; i++) {
    const ch = wkt[i];
    if (ch === '[') depth++;
    else if (ch === ']') depth--;
    else if (depth === 1 && wkt.startsWith('ID["EPSG",', i)) found = Number(/^ID\["EPSG",(\d+)/.exec(wkt.slice(i))?.[1]);
  }
  return found;
}
