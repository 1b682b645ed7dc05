/**
 * A fixed, stratified sample of the EPSG sweep (`npm run crs:sweep` runs all of it): one CRS of every
 * projection method and every linear unit GDAL's EPSG list has, plus the national grids users asked for.
 * GDAL writes a tiny GeoTIFF (10 m pixels) at the centre of each CRS's area of use; our WGS 84 bounds must
 * equal gdalinfo's within a tenth of a pixel, or the CRS must be refused with `unsupported_crs` naming its
 * code and projection method. None may be placed wrongly.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sweep } from '../../../scripts/crs/crs.sweep.lib.js';
import { skipUnlessGdal } from '../../support/gdal.js';

/** First CRS of each method and unit in the sweep (40 methods, 17 units), and the national grids. */
const SAMPLE = [2000, 2046, 2056, 2062, 2065, 2066, 2136, 2138, 2172, 2204, 2218, 2222, 2314, 2964, 3000, 3031, 3035, 3078, 3139, 3167, 3295,
  3388, 3819, 3857, 3993, 4087, 5041, 5221, 5472, 6201, 6244, 6933, 8441, 8857, 9311, 9895, 24370, 27200, 27291, 29371, 29871, 29872, 31300,
  31256, 5514, 5513, 31467, 2263, 3414, 5179, 2039, 4326, 4267, 27700, 2193, 5880, 22293,
  // methods GDAL cannot place either (refused): Bonne and polar stereographic variants, modified Krovak, ...
  2963, 2985, 5224, 5225, 22300, 22700, 32600, 8995,
  // what the second round added: grads, more Colombia Urban and Laborde, axes from PROJ, across the antimeridian,
  // Molodensky-Badekas and prime-meridian datum shifts, PROJ's choice among shifts in the CRS's own coordinates
  4807, 6247, 29701, 8044, 5482, 21260, 5178, 8433, 22992, 20349, 4805, 4818, 5169, 26331, 9284, 5520, 2137, 24819, 4266, 4120];

/** CRSs that must agree (the national grids users asked for, and one of each fix). */
const MUST_AGREE = [31256, 5514, 5513, 31467, 2263, 3414, 5179, 2039, 27700, 2193, 5880, 22293, 2046, 4807, 6244, 6247, 29701, 8441, 3139,
  3993, 3295, 6201, 8857, 9895, 8044, 5482, 21260, 5178, 8433, 22992, 20349, 4805, 4818, 5169, 26331, 9284, 5520, 2137, 24819];

describe('EPSG sweep, stratified sample', { skip: skipUnlessGdal }, () => {
  it('every sampled CRS agrees with GDAL within a tenth of a pixel or is refused by code and method', async () => {
    const results = await sweep(SAMPLE);
    assert.equal(results.length, SAMPLE.length);
    const wrong = results.filter((r) => r.outcome === 'disagree' || r.outcome === 'gdal-fails');
    assert.deepEqual(wrong.map((r) => `EPSG:${r.code} ${r.outcome} ${r.offMetres ?? r.message}`), []);
    for (const r of results.filter((x) => x.outcome === 'refused')) {
      assert.match(r.message ?? '', new RegExp(`EPSG:${r.code}`), `refusal names the code: ${r.message}`);
    }
    const agree = results.filter((r) => r.outcome === 'agree').map((r) => r.code);
    for (const code of MUST_AGREE) assert.ok(agree.includes(code), `EPSG:${code} agrees`);
  });
});
