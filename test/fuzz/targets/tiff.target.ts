/**
 * Fuzz target: the TIFF/COG reader from the first byte. `readRasterInfo` (header, IFD chain guard,
 * geotiff.js IFD parse, levels, masks, GeoKeys, nodata, JPEG quality) over an in-memory source, then for
 * every level the first, last and a middle tile decoded (every codec, byte order, predictor, planar
 * layout), the mask tiles, and a small window. Limits are small so a guard that lets a size through
 * shows as an allocation past `maxAllocBytes`.
 */
import { decodeMaskTile, decodeTile } from '../../../src/raster/decode/tile.decode.js';
import { readRasterInfo } from '../../../src/raster/read/raster.open.js';
import type { ReadLimits } from '../../../src/raster/read/read.limits.js';
import { assertInFile, type Source } from '../../../src/raster/read/source.js';
import { readMaskTileBytes, readTileBytes } from '../../../src/raster/read/tile.reader.js';
import { readMaskWindow, readWindow } from '../../../src/raster/read/window.read.js';
import type { RasterInfo } from '../../../src/raster/raster.types.js';
import { check, settle, type FuzzTarget } from '../fuzz.target.js';

/** Small limits: a hostile header must be stopped by them, not by the machine's memory. */
export const FuzzReadLimits: ReadLimits = {
  maxDimension: 1 << 16,
  maxPixels: 1 << 28,
  maxTiles: 1 << 12,
  maxTileBytes: 1 << 20,
  maxIfds: 32,
  maxIfdEntries: 256,
  maxBands: 32,
};

/** The bytes of a file as a reader `Source`. */
export class MemorySource implements Source {
  readonly size: number;

  constructor(
    private readonly data: Uint8Array,
    readonly path = 'fuzz.tif',
  ) {
    this.size = data.length;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    assertInFile(this.path, this.size, offset, length);
    return this.data.slice(offset, offset + length);
  }

  async close(): Promise<void> {}
}

/** First, middle and last tile of a grid (at most 3, distinct). */
function probeTiles(across: number, down: number): [number, number][] {
  const picks: [number, number][] = [[0, 0], [Math.floor(across / 2), Math.floor(down / 2)], [across - 1, down - 1]];
  return picks.filter(([x, y], i) => picks.findIndex(([a, b]) => a === x && b === y) === i);
}

async function decodeLevels(source: Source, info: RasterInfo): Promise<void> {
  for (let level = 0; level < Math.min(info.levels.length, 3); level++) {
    const lvl = info.levels[level]!;
    const samples = lvl.tileWidth * lvl.tileHeight * info.bands;
    for (const [tx, ty] of probeTiles(lvl.tilesAcross, lvl.tilesDown)) {
      const pixels = await decodeTile(info, level, { tx, ty }, await readTileBytes(source, info, level, tx, ty));
      check(pixels.length === samples, `tile ${tx},${ty} of level ${level} has ${pixels.length} samples, expected ${samples}`);
      // As the clip and the tile renderer do: the mask tile at the image tile's grid position.
      if (info.mask?.levels[level]) {
        const mask = await decodeMaskTile(info, level, tx, ty, await readMaskTileBytes(source, info, level, tx, ty));
        check(mask.length === lvl.tileWidth * lvl.tileHeight, `mask tile ${tx},${ty} of level ${level} is not the image tile's size`);
        check(mask.every((v) => v === 0 || v === 255), 'a mask pixel is neither 0 nor 255');
      }
    }
    const w = Math.min(lvl.width, 40);
    const h = Math.min(lvl.height, 40);
    const x = lvl.width - w;
    const y = lvl.height - h;
    const win = await readWindow(source, info, level, x, y, w, h);
    check(win.length === w * h * info.bands, 'window has the wrong number of samples');
    await readMaskWindow(source, info, level, x, y, w, h);
  }
}

export const TiffTarget: FuzzTarget = {
  name: 'tiff',
  about: 'TIFF/BigTIFF/COG bytes → readRasterInfo → tiles of every level decoded (codecs, predictors, masks) and a window read',
  covers: ['src/raster/read/', 'src/raster/decode/', 'src/raster/geo/'],
  dictionary: 'tiff.dict',
  maxLength: 64 * 1024,
  // The largest buffers the reader may make: a LERC blob (8 bytes a sample) of a tile at the limit, plus slack.
  maxAllocBytes: 8 * FuzzReadLimits.maxTileBytes + 65536,
  run: async (data) => {
    const source = new MemorySource(data);
    return settle(async () => {
      const info = await readRasterInfo(source, FuzzReadLimits);
      check(info.levels.length >= 1, 'no levels');
      const planes = info.planarConfiguration === 2 ? info.bands : 1;
      for (const [i, l] of info.levels.entries()) {
        check(l.offsets.length === l.tilesAcross * l.tilesDown * planes && l.byteCounts.length === l.offsets.length, `level ${i} has ${l.offsets.length} offsets for ${l.tilesAcross}x${l.tilesDown}x${planes} tiles`);
        if (i > 0) check(l.width <= info.levels[i - 1]!.width, 'levels are not sorted from the largest');
      }
      await decodeLevels(source, info);
    });
  },
};
