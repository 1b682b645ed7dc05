/** The console's AOI checks: any GeoJSON shape read into one (Multi)Polygon, vertices counted as the server counts them, area, limits. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { aoiAreaKm2 } from '../../src/raster/aoi/aoi.area.js';
import { parseAoi } from '../../src/raster/aoi/aoi.parse.js';
import { areaKm2, bboxOf, checkAoi, isEditable, readAoi, readAoiText, rectangle, vertexCount, type AoiGeometry } from '../../web/src/state/aoi.check.js';
import { repoRoot } from '../support/gdal.js';

const fixture = (name: string): unknown => JSON.parse(readFileSync(path.join(repoRoot, 'test/fixtures/aoi', name), 'utf8'));

describe('console AOI checks', () => {
  it('reads a geometry, a Feature, a FeatureCollection and a GeometryCollection; several polygons become one MultiPolygon', () => {
    const poly = { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] };
    assert.equal(readAoi(poly).geometry.type, 'Polygon');
    assert.equal(readAoi({ type: 'Feature', properties: { name: 'Field 7' }, geometry: poly }).name, 'Field 7');
    const fc = readAoi({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: poly }, { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [0, 0] } }, { type: 'Feature', properties: {}, geometry: { type: 'MultiPolygon', coordinates: [poly.coordinates, poly.coordinates] } }] });
    assert.equal(fc.geometry.type, 'MultiPolygon');
    assert.equal(fc.geometry.coordinates.length, 3);
    assert.equal(fc.skipped, 1);
    assert.equal(readAoi({ type: 'GeometryCollection', geometries: [poly] }).geometry.type, 'Polygon');
  });

  it('says in words what is wrong with a file that holds no polygon', () => {
    assert.throws(() => readAoiText('{nope'), /Not valid JSON/);
    assert.throws(() => readAoi({ type: 'Point', coordinates: [1, 2] }), /No polygon found \(1 point or line geometry/);
    assert.throws(() => readAoi({ type: 'Polygon', coordinates: [[[0, 'a']]] }), /Ring 0 is not a list/);
    assert.throws(() => readAoi({ type: 'Circle' }), /Unknown GeoJSON type "Circle"/);
  });

  it('counts vertices exactly as the server does (every position, closing ones included)', () => {
    for (const name of ['4326_hole_inside.geojson', '3857_multipolygon_two_parts.geojson', '4326_featurecollection.geojson', 'utm33n_hole_inside.geojson']) {
      const doc = fixture(name);
      assert.equal(vertexCount(readAoi(doc).geometry), parseAoi(doc).vertexCount, name);
    }
  });

  it('computes the area within 0.5 % of the server ellipsoidal figure, holes subtracted', () => {
    const doc = fixture('4326_hole_inside.geojson');
    const mine = readAoi(doc).geometry;
    const server = parseAoi(doc);
    const expected = aoiAreaKm2(server);
    assert.ok(Math.abs(areaKm2(mine) - expected) / expected < 0.005, `${areaKm2(mine)} vs ${expected}`);
    const outer: AoiGeometry = { type: 'Polygon', coordinates: [mine.coordinates[0] as [number, number][]] };
    assert.ok(areaKm2(outer) > areaKm2(mine), 'the hole is subtracted');
  });

  it('a 0.01° square at the equator is about 1.236 km²', () => {
    assert.ok(Math.abs(areaKm2(rectangle([0, 0, 0.01, 0.01])) - 1.2364) < 0.001);
  });

  it('states the limits broken, for the body the AOI is sent in', () => {
    const many: AoiGeometry = { type: 'Polygon', coordinates: [[...Array.from({ length: 11 }, (_, i) => [i / 100, Math.sin(i) / 100] as [number, number]), [0, 0]]] };
    const ok = checkAoi(many, { area: 'a' });
    assert.deepEqual(ok.problems, []);
    assert.equal(ok.vertices, 12);
    const tooMany = checkAoi(many, { area: 'a' }, { max_vertices: 10, max_body_bytes: 1 << 20 });
    assert.match(tooMany.problems[0]!, /12 vertices; at most 10/);
    const tooBig = checkAoi(many, { area: 'a' }, { max_vertices: 100, max_body_bytes: 100 });
    assert.match(tooBig.problems[0]!, /at most 0 KiB|KiB are accepted/);
    assert.equal(tooBig.bodyBytes, new TextEncoder().encode(JSON.stringify({ area: 'a', aoi_geometry: many })).length);
  });

  it('knows what the drawing tool can edit, and the bounding box', () => {
    assert.equal(isEditable(rectangle([0, 0, 1, 1])), true);
    assert.equal(isEditable(readAoi(fixture('4326_hole_inside.geojson')).geometry), false);
    assert.deepEqual(bboxOf(rectangle([1, 2, 3, 4])), [1, 2, 3, 4]);
  });
});
