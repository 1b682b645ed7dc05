/**
 * Which pixels a clip's overviews hold, read back with GDAL:
 * - first overview, under a full-resolution tile that is wholly inside the AOI together with every pixel
 *   within 16 pixels of it (when the source's first overview is exactly half its size and every source
 *   pixel is valid): the source's own first-overview pixels, at the window's offset halved; a first-overview
 *   tile made of four such tiles is the source's own tile, copied (exact even for JPEG), when the window
 *   starts an even number of tiles from the source's origin on both axes;
 * - every other first-overview pixel: the masked 2x2 average of the output's full-resolution pixels
 *   (mean of the valid ones, rounded half up; valid when any of the four is);
 * - every further level: the masked 2x2 average of the level above.
 * Exact for a lossless source; within the codec's error for JPEG. Sources are cut from a real Sentinel-2
 * scene with gdal_translate (even sizes, no nodata, GDAL's COG overviews).
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { clipToCog } from '../../../src/raster/clip/clip.run.js';
import { realFixturesDir, run, skipUnlessRealFixtures } from '../../support/gdal.js';
import type { GdalInfo } from '../../support/gdal.js';
import { gdalOracle } from '../../support/gdal.oracle.js';

const gdal = gdalOracle();

const Tile = 128;

/** The masked 2x2 average of a level (bands interleaved, 0/255 mask), as the overview rule states. */
function maskedHalf(px: Buffer, mask: Buffer, w: number, h: number, bands: number): { px: Uint8Array; mask: Uint8Array } {
  const ow = Math.ceil(w / 2);
  const oh = Math.ceil(h / 2);
  const out = new Uint8Array(ow * oh * bands);
  const outMask = new Uint8Array(ow * oh);
  const cells: number[] = [];
  for (let y = 0; y < oh; y++) {
    for (let x = 0; x < ow; x++) {
      cells.length = 0;
      for (const [cx, cy] of [[2 * x, 2 * y], [2 * x + 1, 2 * y], [2 * x, 2 * y + 1], [2 * x + 1, 2 * y + 1]] as const) {
        if (cx < w && cy < h && mask[cy * w + cx]! > 0) cells.push(cy * w + cx);
      }
      if (cells.length === 0) continue;
      outMask[y * ow + x] = 255;
      for (let b = 0; b < bands; b++) {
        let sum = 0;
        for (const p of cells) sum += px[p * bands + b]!;
        out[(y * ow + x) * bands + b] = Math.floor((2 * sum + cells.length) / (2 * cells.length));
      }
    }
  }
  return { px: out, mask: outMask };
}

/** Compares two samples arrays over the pixels `where` selects: exact (max difference) or PSNR. */
function compare(a: ArrayLike<number>, b: ArrayLike<number>, bands: number, where: (i: number) => boolean, n: number): { max: number; psnr: number; count: number } {
  let max = 0;
  let sq = 0;
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (!where(i)) continue;
    count++;
    for (let k = 0; k < bands; k++) {
      const d = Math.abs(a[i * bands + k]! - b[i * bands + k]!);
      max = Math.max(max, d);
      sq += d * d;
    }
  }
  return { max, psnr: 10 * Math.log10((255 * 255) / Math.max(1e-9, sq / Math.max(1, count * bands))), count };
}

describe('clip overviews vs GDAL', { skip: skipUnlessRealFixtures }, () => {
  let dir: string;
  before(async () => { dir = await mkdtemp(path.join(os.tmpdir(), 'geopera-ovr-')); });
  after(() => rm(dir, { recursive: true, force: true }));

  // Where the window starts on the source's tile grid: the outline as drawn, or squeezed so that it starts one tile in (odd) on one axis.
  const placements = {
    'tile grids meet': { x: (f: number) => f, y: (f: number) => f },
    'odd tile column': { x: (f: number) => 0.12 + 0.85 * f, y: (f: number) => f },
    'odd tile row': { x: (f: number) => f, y: (f: number) => 0.85 * f },
  };
  for (const [codec, placement] of [['DEFLATE', 'tile grids meet'], ['JPEG', 'tile grids meet'], ['JPEG', 'odd tile column'], ['DEFLATE', 'odd tile row']] as const) {
    it(`${codec} source, ${placement}: first overview from the source's overview deep inside the AOI, masked averages elsewhere`, async () => {
      const src = path.join(dir, `src_${codec}.tif`);
      run('gdal_translate', ['-q', '-srcwin', '0', '0', '1024', '1024', '-a_nodata', 'none', '-of', 'COG', '-co', `BLOCKSIZE=${Tile}`, '-co', `COMPRESS=${codec}`, ...(codec === 'JPEG' ? ['-co', 'QUALITY=90'] : []), path.join(realFixturesDir, 's2_tci_utm34n_deflate_cog.tif'), src]);
      const info = (await gdal.info(src, [])) as GdalInfo & { wgs84Extent: { coordinates: [number, number][][] } };
      const ring = info.wgs84Extent.coordinates[0]!;
      const xs = ring.map((p) => p[0]);
      const ys = ring.map((p) => p[1]);
      const [w, e, s, n] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
      const place = placements[placement];
      const at = (fx: number, fy: number): [number, number] => [w + place.x(fx) * (e - w), s + place.y(fy) * (n - s)];
      // A wobbly outline over most of the scene with a hole near a corner: tiles inside, deep inside and on the edge.
      const aoi = { type: 'Polygon', coordinates: [
        [at(0.07, 0.1), at(0.93, 0.05), at(0.9, 0.92), at(0.3, 0.95), at(0.05, 0.8), at(0.07, 0.1)],
        [at(0.72, 0.2), at(0.72, 0.3), at(0.82, 0.3), at(0.82, 0.2), at(0.72, 0.2)],
      ] };
      await writeFile(path.join(dir, 'aoi.json'), JSON.stringify(aoi));
      const out = path.join(dir, `clip_${codec}_${placement.replaceAll(' ', '_')}.tif`);
      const result = await clipToCog(src, aoi, out);
      assert.deepEqual((await gdal.validateCog(out)).errors, []);
      const win = result.info.window as { x: number; y: number; width: number; height: number };
      const bands = 3;

      // Full resolution, and which of its tiles are deep inside (wholly valid, and so are their eight neighbours).
      const l0 = await gdal.pixelsOf(out);
      const m0 = await gdal.pixelsOf(out, { mask: true });
      const across = Math.ceil(win.width / Tile);
      const down = Math.ceil(win.height / Tile);
      // Deep inside: every pixel of the tile and within 16 pixels of it valid, all within the window.
      const margin = 16;
      const deepAt = new Uint8Array(across * down);
      let deepTiles = 0;
      for (let ty = 0; ty < down; ty++) {
        for (let tx = 0; tx < across; tx++) {
          const [x0, y0, x1, y1] = [tx * Tile - margin, ty * Tile - margin, (tx + 1) * Tile + margin, (ty + 1) * Tile + margin];
          let all = x0 >= 0 && y0 >= 0 && x1 <= win.width && y1 <= win.height;
          for (let y = y0; y < y1 && all; y++) for (let x = x0; x < x1; x++) if (m0[y * win.width + x] === 0) { all = false; break; }
          if (all) {
            deepAt[ty * across + tx] = 1;
            deepTiles++;
          }
        }
      }
      // Tiles whose eight neighbours are wholly valid too: the margin admits more (next to boundary tiles).
      const wholeTile = (tx: number, ty: number): boolean => {
        if (tx < 0 || ty < 0 || tx >= across || ty >= down) return false;
        for (let y = ty * Tile; y < (ty + 1) * Tile; y++) for (let x = tx * Tile; x < (tx + 1) * Tile; x++) if (m0[y * win.width + x] === 0) return false;
        return true;
      };
      let ringTiles = 0;
      for (let ty = 0; ty < down; ty++) for (let tx = 0; tx < across; tx++) if ([-1, 0, 1].every((dy) => [-1, 0, 1].every((dx) => wholeTile(tx + dx, ty + dy)))) ringTiles++;
      assert.ok(ringTiles >= 4 && deepTiles > ringTiles, `the AOI leaves ${deepTiles} tiles deep inside, ${ringTiles} with whole neighbours`);
      const tiles = result.info.tiles as { source_halves: number; source_overview_tiles: number };
      assert.equal(tiles.source_halves, deepTiles);
      // First-overview tiles whose four tiles are deep inside are copied where the tile grids meet.
      const gridsMeet = win.x % (2 * Tile) === 0 && win.y % (2 * Tile) === 0;
      assert.equal(gridsMeet, placement === 'tile grids meet', `window at ${win.x}, ${win.y}`);
      const fourDeep = (u: number, v: number): boolean => [0, 1].every((dy) => [0, 1].every((dx) => 2 * u + dx < across && 2 * v + dy < down && deepAt[(2 * v + dy) * across + 2 * u + dx] === 1));
      let copiedTiles = 0;
      for (let v = 0; v < Math.ceil(down / 2); v++) for (let u = 0; u < Math.ceil(across / 2); u++) if (gridsMeet && fourDeep(u, v)) copiedTiles++;
      assert.equal(tiles.source_overview_tiles, copiedTiles);
      if (gridsMeet) assert.ok(copiedTiles >= 1, 'the AOI leaves a first-overview tile to copy');

      // First overview: the source's own under deep tiles, the masked average of full resolution elsewhere.
      const w1 = Math.ceil(win.width / 2);
      const h1 = Math.ceil(win.height / 2);
      const l1 = await gdal.pixelsOf(out, { level: 1 });
      const m1 = await gdal.pixelsOf(out, { level: 1, mask: true });
      const fromSource = await gdal.pixelsOf(src, { level: 1, window: [win.x / 2, win.y / 2, w1, h1] });
      const averaged = maskedHalf(l0, m0, win.width, win.height, bands);
      const isDeep = (i: number): boolean => deepAt[Math.floor(Math.floor(i / w1) / (Tile / 2)) * across + Math.floor((i % w1) / (Tile / 2))] === 1;
      const inDeep = compare(l1, fromSource, bands, (i) => isDeep(i), w1 * h1);
      const isCopied = (i: number): boolean => gridsMeet && fourDeep(Math.floor((i % w1) / Tile), Math.floor(Math.floor(i / w1) / Tile));
      const copied = compare(l1, fromSource, bands, isCopied, w1 * h1);
      assert.equal(copied.count, copiedTiles * Tile ** 2);
      assert.equal(copied.max, 0, 'copied first-overview tiles: the source overview, exactly (the same bytes, whatever the codec)');
      const elsewhere = compare(l1, averaged.px, bands, (i) => !isDeep(i) && averaged.mask[i]! > 0, w1 * h1);
      assert.equal(inDeep.count, deepTiles * (Tile / 2) ** 2);
      assert.ok(elsewhere.count > 0);
      let maskOff = 0;
      for (let i = 0; i < w1 * h1; i++) if ((m1[i]! > 0) !== (isDeep(i) || averaged.mask[i]! > 0)) maskOff++;
      assert.equal(maskOff, 0, 'first-overview mask: valid exactly where a pixel of its block is');
      // Further levels: the masked average of the level above.
      const l2 = await gdal.pixelsOf(out, { level: 2 });
      const next = maskedHalf(l1, m1, w1, h1, bands);
      const level2 = compare(l2, next.px, bands, (i) => next.mask[i]! > 0, Math.ceil(w1 / 2) * Math.ceil(h1 / 2));
      if (codec === 'DEFLATE') {
        assert.equal(inDeep.max, 0, 'deep inside: the source overview, exactly');
        assert.equal(elsewhere.max, 0, 'elsewhere: the masked average, exactly');
        assert.equal(level2.max, 0, 'level 2: the masked average of level 1, exactly');
      } else {
        // Each is one JPEG generation away from what it was encoded from.
        for (const [what, c] of [['deep inside', inDeep], ['elsewhere', elsewhere], ['level 2', level2]] as const) assert.ok(c.psnr >= 35, `${what}: PSNR ${c.psnr.toFixed(1)} dB`);
      }
    });
  }
});
