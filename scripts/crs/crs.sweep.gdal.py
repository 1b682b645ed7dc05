"""GDAL's side of the CRS sweep (one process for the whole batch).

For each EPSG code (all current projected and geographic 2D CRSs of GDAL's database, or the codes given
with --codes), write a 16 x 16 GeoTIFF with 10 m pixels (1e-4 degree for a geographic CRS) at the centre of
the CRS's area of use, and print one JSON line per CRS: what gdalinfo says its WGS 84 extent is, with the
CRS's projection method and linear unit. A CRS GDAL cannot place prints an "error" instead.

Run with /usr/bin/python3 (Debian's GDAL bindings):
  /usr/bin/python3 scripts/crs/crs.sweep.gdal.py OUT_DIR [--codes 31256,5514,...] [--at 0.25,0.75]
(--at: the raster at those fractions of the area of use from its south-west corner instead of its centre.)
Set PROJ_DATA (and PROJ_LIB) to a folder holding only proj.db to see what PROJ does without grid files.
"""
import json
import math
import os
import sys

from osgeo import gdal, osr

gdal.UseExceptions()
osr.UseExceptions()

SIZE = 16
PIXEL_METRES = 10.0
PIXEL_DEGREES = 1e-4


def current_codes():
    wanted = (osr.OSR_CRS_TYPE_PROJECTED, osr.OSR_CRS_TYPE_GEOGRAPHIC_2D)
    infos = osr.GetCRSInfoListFromDatabase('EPSG')
    return sorted(int(i.code) for i in infos if not i.deprecated and i.type in wanted)


def point_of_use(srs, at):
    """The point at fractions `at` = (fx, fy) of the CRS's area of use from its south-west corner ((0.5, 0.5): its centre)."""
    a = srs.GetAreaOfUse()
    west, east = a.west_lon_degree, a.east_lon_degree
    if west > east:  # crosses the antimeridian
        east += 360
    lon = ((west + at[0] * (east - west)) + 180) % 360 - 180
    return lon, a.south_lat_degree + at[1] * (a.north_lat_degree - a.south_lat_degree)


def method_of(srs):
    if srs.IsGeographic():
        return 'geographic'
    projjson = json.loads(srs.ExportToPROJJSON())
    base = projjson.get('base_crs', {})
    conversion = projjson.get('conversion') or base.get('conversion') or {}
    return conversion.get('method', {}).get('name', srs.GetAttrValue('PROJECTION') or 'unknown')


def one(code, out_dir, at):
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(code)
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    geographic = bool(srs.IsGeographic())
    record = {'code': code, 'name': srs.GetName(), 'method': method_of(srs)}
    degrees_per_unit = srs.GetAngularUnits() * 180 / math.pi
    if geographic:
        # 1e-4 of the CRS's angular unit (degree or grad) a pixel; the tolerance is a tenth of that pixel.
        record['unit'] = 'degree' if abs(degrees_per_unit - 1) < 1e-12 else srs.GetAngularUnitsName()
        record['pixelDegrees'] = PIXEL_DEGREES * degrees_per_unit
        pixel = PIXEL_DEGREES
    else:
        record['unit'] = srs.GetLinearUnitsName()
        pixel = PIXEL_METRES / srs.GetLinearUnits()
    lon, lat = point_of_use(srs, at)
    # The CRS's own longitudes count from its prime meridian (Paris, Ferro, Jakarta, ...).
    pm = float(srs.GetAttrValue('PRIMEM', 1) or 0) * degrees_per_unit
    local_lon = ((lon - pm) + 540) % 360 - 180
    geog = srs.CloneGeogCS()
    geog.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    if geographic:
        x, y = local_lon / degrees_per_unit, lat / degrees_per_unit
    else:
        x, y = osr.CoordinateTransformation(geog, srs).TransformPoint(local_lon / degrees_per_unit, lat / degrees_per_unit)[:2]
    path = os.path.join(out_dir, f'{code}.tif')
    ds = gdal.GetDriverByName('GTiff').Create(path, SIZE, SIZE, 1, gdal.GDT_Byte)
    ds.SetGeoTransform([x - pixel * SIZE / 2, pixel, 0, y + pixel * SIZE / 2, 0, -pixel])
    ds.SetSpatialRef(srs)
    ds = None
    info = gdal.Info(path, format='json')
    extent = info.get('wgs84Extent')
    if not extent:
        raise RuntimeError('gdalinfo gives no wgs84Extent')
    record.update({'file': path, 'centre': [lon, lat], 'pixelMetres': PIXEL_METRES, 'extent': extent['coordinates'][0][:4]})
    return record


def main():
    out_dir = sys.argv[1]
    codes = current_codes()
    if '--codes' in sys.argv:
        codes = [int(c) for c in sys.argv[sys.argv.index('--codes') + 1].split(',') if c]
    os.makedirs(out_dir, exist_ok=True)
    at = (0.5, 0.5)
    if '--at' in sys.argv:
        at = tuple(float(v) for v in sys.argv[sys.argv.index('--at') + 1].split(','))
    for code in codes:
        try:
            record = one(code, out_dir, at)
        except Exception as err:  # noqa: BLE001 (one bad CRS must not end the sweep)
            record = {'code': code, 'error': str(err)}
        sys.stdout.write(json.dumps(record) + '\n')
    sys.stdout.flush()


main()
