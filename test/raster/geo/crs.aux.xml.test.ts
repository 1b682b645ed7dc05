/**
 * The CRS GDAL keeps in a GeoTIFF's `.aux.xml` when GeoKeys cannot express it: found by the EPSG code of the
 * WKT's own top-level ID (WKT 2) or AUTHORITY (WKT 1), a BOUNDCRS by its source CRS's, never by a code nested
 * inside (the base geographic CRS, a method or a parameter). GDAL-made files are swept in
 * `crs.sweep.sample.test.ts` (Colombia Urban, Equal Earth, Michigan, ... are written that way).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { crsFromAuxXml, epsgOfWkt } from '../../../src/raster/geo/crs.aux.xml.js';

const WKT2 =
  'PROJCRS["MAGNA-SIRGAS / Arauca urban grid",BASEGEOGCRS["MAGNA-SIRGAS",DATUM["Marco Geocentrico Nacional de Referencia",' +
  'ELLIPSOID["GRS 1980",6378137,298.257222101,LENGTHUNIT["metre",1]]],PRIMEM["Greenwich",0,ANGLEUNIT["degree",0.0174532925199433]],' +
  'ID["EPSG",4686]],CONVERSION["Arauca urban grid",METHOD["Colombia Urban",ID["EPSG",1052]],PARAMETER["False easting",1035263.443,' +
  'LENGTHUNIT["metre",1],ID["EPSG",8806]]],CS[Cartesian,2],AXIS["northing (N)",north,ORDER[1],LENGTHUNIT["metre",1]],' +
  'USAGE[SCOPE["Cadastre [urban]."],AREA["Colombia - Arauca city."],BBOX[7.05,-70.78,7.1,-70.71]],ID["EPSG",6244]]';

describe('the CRS of a .aux.xml', () => {
  it('is the WKT 2 CRS\'s own top-level ID, not the IDs nested in it (or inside quoted text)', () => {
    assert.equal(epsgOfWkt(WKT2), 6244);
  });

  it('reads WKT 1 AUTHORITY and a BOUNDCRS\'s source CRS', () => {
    assert.equal(epsgOfWkt('GEOGCS["NTF (Paris)",DATUM["NTF",SPHEROID["Clarke 1880 (IGN)",6378249.2,293.4660213,AUTHORITY["EPSG","7011"]]],AUTHORITY["EPSG","4807"]]'), 4807);
    assert.equal(epsgOfWkt(`BOUNDCRS[SOURCECRS[${WKT2}],TARGETCRS[GEOGCRS["WGS 84",ID["EPSG",4326]]],ABRIDGEDTRANSFORMATION["x",ID["EPSG",1]]]`), 6244);
  });

  it('has no code when the CRS itself carries none', () => {
    assert.equal(epsgOfWkt('PROJCRS["custom",BASEGEOGCRS["WGS 84",ID["EPSG",4326]],CONVERSION["x",METHOD["Transverse Mercator",ID["EPSG",9807]]]]'), undefined);
  });

  it('is resolved through the EPSG registry from the file beside the GeoTIFF, XML-escaped as GDAL may write it', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'geopera-aux-'));
    try {
      const tif = path.join(dir, 'visual.tif');
      writeFileSync(`${tif}.aux.xml`, `<PAMDataset>\n  <SRS dataAxisToSRSAxisMapping="2,1">${WKT2.replace(/"/g, '&quot;')}</SRS>\n</PAMDataset>\n`);
      const crs = crsFromAuxXml(readFileSync(`${tif}.aux.xml`, 'utf8'));
      assert.equal(crs?.epsg, 6244);
      assert.match(crs?.proj4 ?? '', /\+proj=col_urban .*\+h_0=100\b/);
      assert.equal(crsFromAuxXml('<PAMDataset><Metadata/></PAMDataset>'), null);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
