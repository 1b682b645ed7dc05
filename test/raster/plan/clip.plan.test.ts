import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Polygons } from '../../../src/raster/aoi/aoi.types.js';
import { parseAoi } from '../../../src/raster/aoi/aoi.parse.js';
import { projectAoi, toPixelSpace } from '../../../src/raster/aoi/aoi.project.js';
import { planClip, planRows, planSummary, type TileClass } from '../../../src/raster/plan/clip.plan.js';
import { maskRef, randomPolygons, rng } from './polygon.fixtures.js';

const square = (x0: number, y0: number, x1: number, y1: number): Polygons => [[[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]];

/** What the plan must be, worked out pixel by pixel from the brute-force mask. */
function expectedPlan(polygons: Polygons, w: number, h: number, tw: number, th: number) {
  const mask = maskRef(polygons, w, h);
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -1;
  let maxY = -1;
  for (let r = 0; r < h; r++) {
    for (let c = 0; c < w; c++) {
      if (!mask[r * w + c]) continue;
      minX = Math.min(minX, c);
      maxX = Math.max(maxX, c);
      minY = Math.min(minY, r);
      maxY = Math.max(maxY, r);
    }
  }
  if (maxX < 0) return null;
  const tx0 = Math.floor(minX / tw);
  const ty0 = Math.floor(minY / th);
  const tx1 = Math.floor(maxX / tw);
  const ty1 = Math.floor(maxY / th);
  const classes: TileClass[][] = [];
  const masks: Uint8Array[][] = [];
  for (let ty = ty0; ty <= ty1; ty++) {
    const clsRow: TileClass[] = [];
    const maskRow: Uint8Array[] = [];
    for (let tx = tx0; tx <= tx1; tx++) {
      let inside = 0;
      let total = 0;
      const tile = new Uint8Array(tw * th);
      for (let r = ty * th; r < Math.min(h, (ty + 1) * th); r++) {
        for (let c = tx * tw; c < Math.min(w, (tx + 1) * tw); c++) {
          total++;
          if (mask[r * w + c]) {
            inside++;
            tile[(r - ty * th) * tw + (c - tx * tw)] = 255;
          }
        }
      }
      clsRow.push(inside === 0 ? 'outside' : inside === total ? 'inside' : 'boundary');
      maskRow.push(tile);
    }
    classes.push(clsRow);
    masks.push(maskRow);
  }
  const x = tx0 * tw;
  const y = ty0 * th;
  return {
    window: { x, y, width: Math.min(w, (tx1 + 1) * tw) - x, height: Math.min(h, (ty1 + 1) * th) - y },
    tileOffset: { tx: tx0, ty: ty0 },
    classes,
    masks,
  };
}

describe('clip plan', () => {
  it('snaps the AOI outward to the tile grid and classifies each tile', () => {
    // Raster 100x70, tiles 16x16 (partial last column: 100 = 6*16 + 4; last row: 70 = 4*16 + 6).
    const plan = planClip({ width: 100, height: 70, tileWidth: 16, tileHeight: 16, polygons: square(10, 20, 60.2, 50) });
    assert.ok(plan);
    assert.deepEqual(plan.window, { x: 0, y: 16, width: 64, height: 48 });
    assert.deepEqual(plan.tileOffset, { tx: 0, ty: 1 });
    assert.equal(plan.tilesAcross, 4);
    assert.equal(plan.tilesDown, 3);
    assert.deepEqual(plan.aoiPixels, { x: 10, y: 20, width: 50, height: 30 });
    const classes = [...planRows(plan)].map((row) => row.tiles.map((t) => t.cls));
    assert.deepEqual(classes, [
      ['boundary', 'boundary', 'boundary', 'boundary'],
      ['boundary', 'inside', 'inside', 'boundary'],
      ['boundary', 'boundary', 'boundary', 'boundary'],
    ]);
    assert.deepEqual(planSummary(plan), { inside: 2, boundary: 10, outside: 0 });
  });

  it('treats pixels beyond the raster edge as outside: a partial edge tile fully covered is inside', () => {
    const plan = planClip({ width: 100, height: 70, tileWidth: 16, tileHeight: 16, polygons: square(-5, -5, 200, 200) });
    assert.ok(plan);
    assert.deepEqual(plan.window, { x: 0, y: 0, width: 100, height: 70 });
    assert.equal(plan.tilesAcross, 7);
    assert.equal(plan.tilesDown, 5);
    const rows = [...planRows(plan)];
    assert.ok(rows.every((row) => row.tiles.every((t) => t.cls === 'inside')));
    const corner = rows[4]!.mask(6); // 4 x 6 pixels of the 16 x 16 tile are in the raster
    let on = 0;
    for (let r = 0; r < 16; r++) for (let c = 0; c < 16; c++) if (corner[r * 16 + c]) on += r < 6 && c < 4 ? 1 : 1000;
    assert.equal(on, 24);
    assert.equal(rows[4]!.tiles[6]!.validPixels, 24);
  });

  it('is null when the AOI holds no pixel centre of the raster', () => {
    const base = { width: 50, height: 40, tileWidth: 16, tileHeight: 16 };
    assert.equal(planClip({ ...base, polygons: square(60, 0, 80, 10) }), null); // entirely right of it
    assert.equal(planClip({ ...base, polygons: square(10.6, 10.6, 11.4, 11.4) }), null); // between centres
    assert.equal(planClip({ ...base, polygons: square(-10, -10, 0.49, 50) }), null); // right edge short of the centres x = 0.5
    assert.ok(planClip({ ...base, polygons: square(-10, -10, 0.5, 50) })); // a centre on a right edge is inside (GDAL's rule)
    assert.equal(planClip({ ...base, polygons: square(49.5, -10, 60, 50) }), null); // a centre on a left edge is not
  });

  it('a strip layout (tile = full width) plans whole strips', () => {
    const plan = planClip({ width: 37, height: 100, tileWidth: 37, tileHeight: 8, polygons: square(3, 21, 9, 30) });
    assert.ok(plan);
    assert.deepEqual(plan.window, { x: 0, y: 16, width: 37, height: 16 });
    assert.deepEqual([...planRows(plan)].map((r) => r.tiles[0]!.cls), ['boundary', 'boundary']);
  });

  it('matches a brute-force plan on 1500 seeded random AOIs (holes, multipolygons, partly or wholly outside)', () => {
    const r = rng(2024);
    let nulls = 0;
    const seen: Record<TileClass, number> = { inside: 0, boundary: 0, outside: 0 };
    for (let t = 0; t < 1500; t++) {
      const w = 10 + Math.floor(r() * 50);
      const h = 10 + Math.floor(r() * 50);
      const tw = 1 + Math.floor(r() * 16);
      const th = 1 + Math.floor(r() * 16);
      const polygons = randomPolygons(r, w, h, { margin: 0.8 });
      const plan = planClip({ width: w, height: h, tileWidth: tw, tileHeight: th, polygons });
      const want = expectedPlan(polygons, w, h, tw, th);
      const where = `case ${t} (${w}x${h}, tiles ${tw}x${th})`;
      if (!want) {
        assert.equal(plan, null, where);
        nulls++;
        continue;
      }
      assert.ok(plan, where);
      assert.deepEqual(plan.window, want.window, where);
      assert.deepEqual(plan.tileOffset, want.tileOffset, where);
      assert.equal(plan.tilesDown, want.classes.length, where);
      assert.equal(plan.tilesAcross, want.classes[0]!.length, where);
      for (const row of planRows(plan)) {
        assert.deepEqual(row.tiles.map((x) => x.cls), want.classes[row.ty], `${where} row ${row.ty}`);
        for (const tile of row.tiles) {
          seen[tile.cls]++;
          assert.deepEqual(row.mask(tile.tx), want.masks[row.ty]![tile.tx], `${where} mask of tile ${tile.tx},${row.ty}`);
        }
      }
    }
    // The generator must exercise every outcome.
    assert.ok(nulls > 20, `only ${nulls} AOIs outside`);
    assert.ok(seen.inside > 100 && seen.boundary > 100 && seen.outside > 100, JSON.stringify(seen));
  });

  it('plans a 16384 x 16384 raster with a large AOI in two streaming passes over the AOI rows, one tile row at a time', () => {
    const n = 2000;
    const ring: [number, number][] = [];
    for (let k = 0; k < n; k++) ring.push([8192 + 6000 * Math.cos((2 * Math.PI * k) / n), 8192 + 6000 * Math.sin((2 * Math.PI * k) / n)]);
    ring.push([...ring[0]!]);
    const work = { rows: 0, edges: 0 };
    const plan = planClip({ width: 16384, height: 16384, tileWidth: 512, tileHeight: 512, polygons: [[ring]], work });
    assert.ok(plan);
    const counts = planSummary(plan);
    assert.equal(counts.inside + counts.boundary + counts.outside, plan.tilesAcross * plan.tilesDown);
    assert.ok(counts.inside > 300 && counts.boundary > 50, JSON.stringify(counts));
    // One pass to find the window (the AOI's 12 000 rows), one over the window's tile rows: no restart.
    assert.equal(work.rows, 12_000 + plan.window.height);
    // Each pass admits the 2 000 edges once and sees at most two crossings a row.
    assert.ok(work.edges <= 2 * n + 2 * work.rows, `${work.edges} edge visits over ${work.rows} rows`);
  });

  it('plans the benchmark clip (16384² 0.5 m EPSG:3857 mosaic, make_aoi.py 3000 m AOI with a hole) end to end', (t) => {
    // The AOI make_aoi.py writes for the mosaic's centre: 23-vertex wobbly ring, 8-vertex hole.
    const [cx, cy, r] = [1_004_096, 5_995_904, 3000];
    const ll = (x: number, y: number): [number, number] => [(x / 6378137) * (180 / Math.PI), (2 * Math.atan(Math.exp(y / 6378137)) - Math.PI / 2) * (180 / Math.PI)];
    const ring = Array.from({ length: 23 }, (_, i) => {
      const a = (2 * Math.PI * i) / 23;
      const rr = r * (0.75 + 0.25 * Math.sin(5 * a));
      return ll(cx + rr * Math.cos(a), cy + rr * Math.sin(a));
    });
    const hole = Array.from({ length: 8 }, (_, i) => ll(cx + 0.15 * r * Math.cos((-2 * Math.PI * i) / 8), cy + 0.15 * r * Math.sin((-2 * Math.PI * i) / 8)));
    const aoi = parseAoi({ type: 'Polygon', coordinates: [[...ring, ring[0]!], [...hole, hole[0]!]] });
    const merc = { epsg: 3857, proj4: '+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +wktext +no_defs', geographic: false };
    const polygons = toPixelSpace(projectAoi(aoi, merc), [1_000_000, 0.5, 0, 6_000_000, 0, -0.5]);
    const plan = planClip({ width: 16384, height: 16384, tileWidth: 512, tileHeight: 512, polygons });
    assert.ok(plan);
    const counts: Record<TileClass, number> = { inside: 0, boundary: 0, outside: 0 };
    let maskBytes = 0;
    for (const row of planRows(plan)) {
      for (const tile of row.tiles) {
        counts[tile.cls]++;
        if (tile.cls === 'boundary') maskBytes += row.mask(tile.tx).length;
      }
    }
    t.diagnostic(`benchmark plan: window ${JSON.stringify(plan.window)}, tiles ${JSON.stringify(counts)}, ${(maskBytes / 1e6).toFixed(1)} MB of boundary masks`);
    assert.ok(counts.inside > 0 && counts.boundary > 0);
  });
});
