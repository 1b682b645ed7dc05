/**
 * Mosaics in any EPSG CRS, made by GDAL at test time (one Python process for all of them): an RGB COG with
 * 10 m pixels (`size` x `size`, 256-pixel tiles, deflate, 2 overviews) at the centre of the CRS's area of use,
 * with smooth gradients plus a fine pattern (so both exact-pixel and PSNR checks mean something). GDAL runs
 * without grid files, as geopera ships none (`gridlessEnv`).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { gdalPython } from './gdal.js';

/** Environment for GDAL commands that makes PROJ see its database but no grid file (created under `dir`). */
export function gridlessEnv(dir: string): NodeJS.ProcessEnv {
  const projDir = path.join(dir, 'proj-nogrid');
  if (!existsSync(projDir)) {
    mkdirSync(projDir, { recursive: true });
    const db = ['/usr/share/proj/proj.db', '/usr/local/share/proj/proj.db'].find((p) => existsSync(p));
    if (db) symlinkSync(db, path.join(projDir, 'proj.db'));
  }
  return { ...process.env, PROJ_DATA: projDir, PROJ_LIB: projDir, PROJ_NETWORK: 'OFF' };
}

/** One mosaic GDAL made: its file and GDAL's WGS 84 corners (gdalinfo's wgs84Extent). */
export interface CrsMosaic {
  code: number;
  file: string;
  extent: [number, number][];
}

const script = `
import sys, json, os
import numpy as np
from osgeo import gdal, osr
gdal.UseExceptions()
out_dir, size = sys.argv[1], int(sys.argv[2])
res = []
for code in [int(c) for c in sys.argv[3].split(',')]:
    srs = osr.SpatialReference(); srs.ImportFromEPSG(code)
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    a = srs.GetAreaOfUse()
    lon, lat = (a.west_lon_degree + a.east_lon_degree) / 2, (a.south_lat_degree + a.north_lat_degree) / 2
    geog = srs.CloneGeogCS(); geog.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    x, y = osr.CoordinateTransformation(geog, srs).TransformPoint(lon, lat)[:2]
    px = 10.0 / srs.GetLinearUnits()
    x0, y0 = round((x - px * size / 2) / px) * px, round((y + px * size / 2) / px) * px
    mem = gdal.GetDriverByName('MEM').Create('', size, size, 3, gdal.GDT_Byte)
    mem.SetGeoTransform([x0, px, 0, y0, 0, -px]); mem.SetSpatialRef(srs)
    r, c = np.mgrid[0:size, 0:size]
    for b in range(3):
        smooth = 40 + 150 * (0.5 + 0.5 * np.sin((r * (b + 1) + c * (3 - b)) / (size / 3.0)))
        fine = ((r // 4 + c // 4 + b) % 2) * 12
        mem.GetRasterBand(b + 1).WriteArray((smooth + fine).astype(np.uint8))
    path = os.path.join(out_dir, f'{code}.tif')
    gdal.Translate(path, mem, format='COG', creationOptions=['COMPRESS=DEFLATE', 'BLOCKSIZE=256', 'OVERVIEW_COUNT=2'])
    ext = gdal.Info(path, format='json')['wgs84Extent']['coordinates'][0][:4]
    res.append({'code': code, 'file': path, 'extent': ext})
print(json.dumps(res))
`;

/** Make one mosaic per EPSG code in `dir` (GDAL without grids). */
export function makeCrsMosaics(dir: string, codes: number[], size = 320): CrsMosaic[] {
  mkdirSync(dir, { recursive: true });
  const out = execFileSync(gdalPython, ['-c', script, dir, String(size), codes.join(',')], { env: gridlessEnv(dir), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(out) as CrsMosaic[];
}
