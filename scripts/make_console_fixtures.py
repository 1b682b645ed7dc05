#!/usr/bin/env python3
"""AOI files for the console's browser tests (test/fixtures/console/), made with GDAL/OGR:

  demo_field_nztm.zip   a zipped ESRI Shapefile (.shp .shx .dbf .prj) of one field of demo-valley in
                        NZTM2000 (EPSG:2193): the page must reproject it to longitude/latitude
  demo_fields.kml       KML with a MultiGeometry: a field with a hole (a farmyard) and a second field

Run: /usr/bin/python3 scripts/make_console_fixtures.py
"""
import os
import tempfile
import zipfile

from osgeo import ogr, osr

OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'console')
# Inside demo-valley (lon 172.17998..172.19838, lat -43.67332..-43.66001).
FIELD = [(172.1840, -43.6690), (172.1880, -43.6690), (172.1880, -43.6660), (172.1840, -43.6660), (172.1840, -43.6690)]
HOLE = [(172.1855, -43.6680), (172.1855, -43.6670), (172.1865, -43.6670), (172.1865, -43.6680), (172.1855, -43.6680)]
SECOND = [(172.1920, -43.6720), (172.1950, -43.6720), (172.1950, -43.6700), (172.1920, -43.6720)]


def ring(points):
    r = ogr.Geometry(ogr.wkbLinearRing)
    for x, y in points:
        r.AddPoint_2D(x, y)
    return r


def polygon(*rings):
    p = ogr.Geometry(ogr.wkbPolygon)
    for r in rings:
        p.AddGeometry(ring(r))
    return p


def wgs84():
    s = osr.SpatialReference()
    s.ImportFromEPSG(4326)
    s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return s


def shapefile_zip():
    nztm = osr.SpatialReference()
    nztm.ImportFromEPSG(2193)
    nztm.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    geom = polygon(FIELD)
    geom.AssignSpatialReference(wgs84())
    geom.TransformTo(nztm)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, 'field.shp')
        ds = ogr.GetDriverByName('ESRI Shapefile').CreateDataSource(path)
        layer = ds.CreateLayer('field', nztm, ogr.wkbPolygon)
        layer.CreateField(ogr.FieldDefn('name', ogr.OFTString))
        f = ogr.Feature(layer.GetLayerDefn())
        f.SetField('name', 'North paddock')
        f.SetGeometry(geom)
        layer.CreateFeature(f)
        ds = None
        with zipfile.ZipFile(os.path.join(OUT, 'demo_field_nztm.zip'), 'w', zipfile.ZIP_DEFLATED) as z:
            for ext in ('shp', 'shx', 'dbf', 'prj'):
                z.write(os.path.join(tmp, f'field.{ext}'), f'field.{ext}')


def kml():
    path = os.path.join(OUT, 'demo_fields.kml')
    if os.path.exists(path):
        os.remove(path)
    ds = ogr.GetDriverByName('KML').CreateDataSource(path)
    layer = ds.CreateLayer('fields', wgs84(), ogr.wkbMultiPolygon)
    layer.CreateField(ogr.FieldDefn('Name', ogr.OFTString))
    multi = ogr.Geometry(ogr.wkbMultiPolygon)
    multi.AddGeometry(polygon(FIELD, HOLE))
    multi.AddGeometry(polygon(SECOND))
    f = ogr.Feature(layer.GetLayerDefn())
    f.SetField('Name', 'Two fields')
    f.SetGeometry(multi)
    layer.CreateFeature(f)
    ds = None


if __name__ == '__main__':
    os.makedirs(OUT, exist_ok=True)
    shapefile_zip()
    kml()
