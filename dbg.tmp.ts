import { randomPolygons, rng, maskRef } from './test/raster/plan/polygon.fixtures.js';
import { runBytes, gdalPython } from './test/support/gdal.js';
import { SpanScanner, fillSpans } from './src/raster/plan/mask.spans.js';
const r = rng(6160);
const cases = Array.from({ length: 400 }, () => { const w = 6 + Math.floor(r() * 20); const h = 6 + Math.floor(r() * 20); return { w, h, polygons: randomPolygons(r, w, h, { quantum: 0.5, maxVertices: 8 }) }; });
const c = cases[18]!;
const code = `
import sys, json
from osgeo import gdal, ogr
gdal.UseExceptions()
c = json.load(sys.stdin)
ds = gdal.GetDriverByName('MEM').Create('', c['w'], c['h'], 1, gdal.GDT_Byte)
ds.SetGeoTransform([0, 1, 0, 0, 0, 1])
src = ogr.GetDriverByName('Memory').CreateDataSource('m')
lyr = src.CreateLayer('p', geom_type=ogr.wkbPolygon)
for poly in c['polygons'][int(sys.argv[1]):int(sys.argv[2])]:
    f = ogr.Feature(lyr.GetLayerDefn())
    f.SetGeometry(ogr.CreateGeometryFromJson(json.dumps({'type': 'Polygon', 'coordinates': poly})))
    lyr.CreateFeature(f)
gdal.RasterizeLayer(ds, [1], lyr, burn_values=[255])
sys.stdout.buffer.write(ds.GetRasterBand(1).ReadRaster())
`;
for (let p = 0; p < c.polygons.length; p++) {
  const g = runBytes(gdalPython, ['-c', code, String(p), String(p + 1)], JSON.stringify(c));
  const polys = [c.polygons[p]!];
  const s = new SpanScanner(polys, { width: c.w, height: c.h, gdalHorizontalEdges: true });
  const m = new Uint8Array(c.w * c.h);
  for (let y = 0; y < c.h; y++) fillSpans(s.row(y), m, y * c.w, 0, c.w);
  const ref = maskRef(polys, c.w, c.h, true);
  for (let i = 0; i < m.length; i++) if (m[i] !== g[i]) console.log('poly', p, 'pixel', i % c.w, Math.floor(i / c.w), 'ours', m[i], 'gdal', g[i], 'ref', ref[i]);
}
console.log(JSON.stringify(c.polygons[1]));
