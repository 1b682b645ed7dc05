/**
 * The pure COG layout: GDAL's ghost header byte for byte, GDAL's IFD order, tile data placement
 * (smallest overview first, row-major, masks right after their tiles, framed by leader and trailer),
 * the BigTIFF decision, and IFD serialization details (sorted tags, inline values, even offsets).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CLASSIC_TIFF_LIMIT, cogIfdOrder, ghostHeader, planCog } from '../../../src/raster/cog/cog.layout.js';
import type { LevelTileSizes } from '../../../src/raster/cog/cog.layout.js';
import { checkCogSpec } from '../../../src/raster/cog/cog.spec.js';
import type { CogSpec } from '../../../src/raster/cog/cog.spec.js';
import { TiffType, planIfdBlock, serializeIfdBlock } from '../../../src/raster/cog/tiff.ifd.js';

/** Copied from `gdal_translate -of COG` output of an RGB image with a mask (GDAL 3.6.2). */
const GDAL_GHOST_WITH_MASK =
  'GDAL_STRUCTURAL_METADATA_SIZE=000174 bytes\nLAYOUT=IFDS_BEFORE_DATA\nBLOCK_ORDER=ROW_MAJOR\nBLOCK_LEADER=SIZE_AS_UINT4\n' +
  'BLOCK_TRAILER=LAST_4_BYTES_REPEATED\nKNOWN_INCOMPATIBLE_EDITION=NO\n MASK_INTERLEAVED_WITH_IMAGERY=YES\n';
const GDAL_GHOST =
  'GDAL_STRUCTURAL_METADATA_SIZE=000140 bytes\nLAYOUT=IFDS_BEFORE_DATA\nBLOCK_ORDER=ROW_MAJOR\nBLOCK_LEADER=SIZE_AS_UINT4\n' +
  'BLOCK_TRAILER=LAST_4_BYTES_REPEATED\nKNOWN_INCOMPATIBLE_EDITION=NO\n ';

function spec(over: Partial<CogSpec> = {}): CogSpec {
  return {
    levels: [
      { width: 600, height: 300 },
      { width: 300, height: 150 },
    ],
    tileWidth: 256,
    tileHeight: 256,
    bands: 1,
    dataType: 'uint8',
    compression: 8,
    predictor: 1,
    photometric: 1,
    extraSamples: [],
    nodata: null,
    hasMask: true,
    geo: { transform: [0, 1, 0, 0, 0, -1] },
    ...over,
  };
}

describe('cog layout', () => {
  it('writes the ghost header exactly as GDAL does', () => {
    assert.equal(ghostHeader(true), GDAL_GHOST_WITH_MASK);
    assert.equal(ghostHeader(false), GDAL_GHOST);
  });

  it('orders IFDs as GDAL: image 0, mask 0, overview images, overview masks', () => {
    assert.deepEqual(cogIfdOrder(3, true), [
      { kind: 'image', level: 0 },
      { kind: 'mask', level: 0 },
      { kind: 'image', level: 1 },
      { kind: 'image', level: 2 },
      { kind: 'mask', level: 1 },
      { kind: 'mask', level: 2 },
    ]);
    assert.deepEqual(cogIfdOrder(2, false), [
      { kind: 'image', level: 0 },
      { kind: 'image', level: 1 },
    ]);
  });

  it('puts the first IFD right after the ghost header, on an even offset', () => {
    const plan = planCog(spec(), [
      { imageBytes: new Uint32Array([10, 20, 30, 40, 50, 60]), maskBytes: new Uint32Array([1, 2, 3, 4, 5, 6]) },
      { imageBytes: new Uint32Array([7, 8]), maskBytes: new Uint32Array([9, 0]) },
    ]);
    const view = new DataView(plan.header.buffer);
    assert.equal(view.getUint32(4, true), 8 + GDAL_GHOST_WITH_MASK.length + 1); // 225 -> 226
    assert.equal(Buffer.from(plan.header.subarray(8, 8 + GDAL_GHOST_WITH_MASK.length)).toString('latin1'), GDAL_GHOST_WITH_MASK);
  });

  it('places tile data from the smallest overview to full resolution, row-major, mask after image, framed', () => {
    const plan = planCog(spec(), [
      { imageBytes: new Uint32Array([10, 0, 30, 40, 50, 60]), maskBytes: new Uint32Array([1, 2, 0, 4, 5, 6]) },
      { imageBytes: new Uint32Array([7, 8]), maskBytes: new Uint32Array([9, 0]) },
    ]);
    const d = plan.header.length;
    assert.equal(plan.levelDataStart[1], d);
    // Level 1: [leader 7 trailer][leader 9 trailer] then tile 1's [leader 8 trailer].
    assert.deepEqual([...plan.tiles[1]!.image.offsets], [d + 4, d + 15 + 17 + 4]);
    assert.deepEqual([...plan.tiles[1]!.mask.offsets], [d + 15 + 4, 0]);
    const l0 = d + 15 + 17 + 16;
    assert.equal(plan.levelDataStart[0], l0);
    // Level 0 records: t0 img 10 + mask 1 (18+9), t1 mask 2 only (10), t2 img 30 (38), t3 40+4 (48+12), t4 50+5 (58+13), t5 60+6 (68+14).
    assert.deepEqual([...plan.tiles[0]!.image.offsets], [l0 + 4, 0, l0 + 41, l0 + 79, l0 + 139, l0 + 210]);
    assert.deepEqual([...plan.tiles[0]!.mask.offsets], [l0 + 22, l0 + 31, 0, l0 + 127, l0 + 197, l0 + 278]);
    assert.deepEqual([...plan.tiles[0]!.image.byteCounts], [10, 0, 30, 40, 50, 60]);
    assert.deepEqual([...plan.tiles[0]!.mask.byteCounts], [1, 2, 0, 4, 5, 6]);
    assert.equal(plan.size, l0 + 288);
  });

  it('chooses BigTIFF only when the classic file would pass 4 GiB, and refuses when BigTIFF is off', () => {
    const small: LevelTileSizes[] = [
      { imageBytes: new Uint32Array(6).fill(1000), maskBytes: new Uint32Array(6) },
      { imageBytes: new Uint32Array(2).fill(1000), maskBytes: new Uint32Array(2) },
    ];
    assert.equal(planCog(spec(), small).bigTiff, false);
    assert.equal(planCog(spec({ bigTiff: true }), small).bigTiff, true);
    const huge: LevelTileSizes[] = [
      { imageBytes: new Uint32Array(6).fill(CLASSIC_TIFF_LIMIT / 6), maskBytes: new Uint32Array(6) },
      { imageBytes: new Uint32Array(2).fill(1000), maskBytes: new Uint32Array(2) },
    ];
    const big = planCog(spec(), huge);
    assert.equal(big.bigTiff, true);
    assert.equal(new DataView(big.header.buffer).getUint16(2, true), 43);
    assert.ok(big.size > CLASSIC_TIFF_LIMIT);
    assert.throws(() => planCog(spec({ bigTiff: false }), huge), { code: 'raster_too_large' });
  });

  it('serializes sorted entries, inline small values, even value offsets, chained IFDs', () => {
    const plan = planIfdBlock(
      [
        [
          { tag: 258, type: TiffType.Short, values: [8, 8, 8] },
          { tag: 256, type: TiffType.Short, values: [5] },
          { tag: 270, type: TiffType.Ascii, values: [65, 0] },
        ],
        [{ tag: 324, type: TiffType.Long, values: [1, 2] }],
      ],
      { bigTiff: false, start: 9, deferredTags: new Set([324]) },
    );
    assert.equal(plan.start, 10);
    assert.deepEqual(plan.ifds[0]!.map((e) => e.tag), [256, 258, 270]);
    assert.deepEqual(plan.valueOffsets[0], [-1, 10 + 2 + 36 + 4, -1]);
    const bytes = serializeIfdBlock(plan, false);
    const v = new DataView(bytes.buffer);
    assert.equal(v.getUint16(0, true), 3);
    assert.equal(v.getUint32(2 + 36, true), plan.ifdOffsets[1]); // next IFD
    assert.equal(v.getUint16(2 + 24 + 8, true), 65); // inline ASCII "A\0"
    assert.ok(plan.valueOffsets[1]![0]! % 2 === 0 && plan.valueOffsets[1]![0]! > plan.ifdOffsets[1]!); // deferred after all IFDs
    assert.equal(plan.end % 2, 0);
  });

  it('rejects specs GDAL could not read', () => {
    assert.throws(() => checkCogSpec(spec({ tileWidth: 100 })), /multiple of 16/);
    assert.throws(() => checkCogSpec(spec({ levels: [{ width: 10, height: 10 }, { width: 20, height: 5 }] })), /larger/);
    assert.throws(() => checkCogSpec(spec({ photometric: 3 })), /ColorMap/);
    assert.throws(() => checkCogSpec(spec({ photometric: 2 })), /needs 3 bands/);
    assert.throws(() => checkCogSpec(spec({ predictor: 3 })), /predictor 3/);
    assert.throws(() => checkCogSpec(spec({ bands: 3, photometric: 6, compression: 8 })), /YCbCr/);
    assert.doesNotThrow(() => checkCogSpec(spec()));
  });
});
