/**
 * The small pure pieces of the reader, spec by spec: PackBits, LZW, both DEFLATE tag values,
 * predictors, nodata text, value casting and the geotransform conventions.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { deflateSync } from 'node:zlib';
import { lzwDecode } from '../../../src/raster/decode/codec.lzw.js';
import { packbitsDecode } from '../../../src/raster/decode/codec.packbits.js';
import { castToType } from '../../../src/raster/decode/pixel.array.js';
import { decodeTile } from '../../../src/raster/decode/tile.decode.js';
import { decodeMaskTile } from '../../../src/raster/decode/mask.decode.js';
import { packMaskBits } from '../../../src/raster/encode/mask.encode.js';
import type { RasterInfo } from '../../../src/raster/raster.types.js';
import { readTileBytes } from '../../../src/raster/read/tile.reader.js';
import { undoFloatingPoint, undoHorizontal } from '../../../src/raster/decode/predictor.js';
import { geoTransformOf } from '../../../src/raster/read/geo.transform.js';
import { parseNodata } from '../../../src/raster/read/nodata.parse.js';
import { openRaster } from '../../../src/raster/read/raster.open.js';
import { FileSource } from '../../../src/raster/read/source.js';
import { readWindow } from '../../../src/raster/read/window.read.js';
import { forgeTiff, tiledGrey } from './tiff.forge.js';

/** MSB-first bit packing of codes of the given widths. */
function packCodes(codes: [number, number][]): Uint8Array {
  let bits = '';
  for (const [code, width] of codes) bits += code.toString(2).padStart(width, '0');
  bits = bits.padEnd(Math.ceil(bits.length / 8) * 8, '0');
  return Uint8Array.from(bits.match(/.{8}/g)!, (b) => parseInt(b, 2));
}

describe('decoders', () => {
  it('PackBits decodes the TIFF 6.0 specification example', () => {
    const packed = Uint8Array.from([0xfe, 0xaa, 0x02, 0x80, 0x00, 0x2a, 0xfd, 0xaa, 0x03, 0x80, 0x00, 0x2a, 0x22, 0xf7, 0xaa]);
    const expected = [0xaa, 0xaa, 0xaa, 0x80, 0x00, 0x2a, 0xaa, 0xaa, 0xaa, 0xaa, 0x80, 0x00, 0x2a, 0x22, ...Array(10).fill(0xaa)];
    assert.deepEqual(Array.from(packbitsDecode(packed, 24)), expected);
    assert.equal(packbitsDecode(packed, 5).length, 5, 'stops at the tile size');
  });

  it('LZW decodes literals, table entries and the KwKwK case', () => {
    // "ABABABA": A B 258(AB) 260(ABA, not yet in the table: KwKwK)
    const data = packCodes([[256, 9], [65, 9], [66, 9], [258, 9], [260, 9], [257, 9]]);
    assert.equal(Buffer.from(lzwDecode(data, 100, 'test')).toString('latin1'), 'ABABABA');
  });

  it('LZW widens codes one entry early, as libtiff writes them', () => {
    // 300 distinct pairs fill the table past 511; codes widen to 10 bits when entry 511 is made.
    const codes: [number, number][] = [[256, 9]];
    const expected: number[] = [];
    let next = 258;
    for (let i = 0; i < 300; i++) {
      const width = next + 1 >= 512 ? 10 : 9;
      codes.push([i & 255, width]);
      expected.push(i & 255);
      if (i > 0) next++;
    }
    codes.push([257, next + 1 >= 512 ? 10 : 9]);
    assert.deepEqual(Array.from(lzwDecode(packCodes(codes), 1000, 'test')), expected);
  });

  it('DEFLATE reads the same under both tag values (8 Adobe, 32946)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'geopera-deflate-'));
    try {
      const raw = Uint8Array.from({ length: 256 }, (_, i) => (i * 7) & 255);
      const stream = deflateSync(raw);
      for (const compression of [8, 32946]) {
        const file = path.join(dir, `${compression}.tif`);
        writeFileSync(file, forgeTiff((at) => tiledGrey(16, 16, 16, compression, [at], [stream.length]), stream));
        const info = await openRaster(file);
        const source = await FileSource.open(file);
        assert.deepEqual(Array.from(await readWindow(source, info, 0, 0, 0, 16, 16)), Array.from(raw));
        const tile = await decodeTile(info, 0, { tx: 0, ty: 0 }, await readTileBytes(source, info, 0, 0, 0));
        assert.equal(tile.buffer.byteLength, tile.byteLength, 'a decoded tile owns its ArrayBuffer (safe to transfer)');
        await source.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('unpacks 1-bit mask tiles (MSB first, rows on a byte) to 0 or 255 a pixel, as the bits say: runs, lone pixels, widths not a multiple of 8', async () => {
    let seed = 3;
    const rand = (n: number): number => { seed = (seed * 1103515245 + 12345) >>> 0; return (seed >>> 8) % n; };
    for (const [width, height] of [[512, 32], [16, 3], [12, 5]] as const) {
      const mask = new Uint8Array(width * height);
      for (let i = 0; i < mask.length;) {
        const run = rand(4) === 0 ? 1 : 1 + rand(30);
        mask.fill(rand(2) === 0 ? 0 : 1 + rand(255), i, i + run);
        i += run;
      }
      const level = { width, height, tileWidth: width, tileHeight: height, tilesAcross: 1, tilesDown: 1, tiled: true };
      const info = { path: 'forged.tif', mask: { levels: [level], compression: 1, predictor: 1, bitsPerSample: 1 } } as unknown as RasterInfo;
      const out = await decodeMaskTile(info, 0, 0, 0, packMaskBits(mask, width, height));
      assert.deepEqual([...out], [...mask].map((v) => (v === 0 ? 0 : 255)), `${width}x${height}`);
    }
  });

  it('undoes the horizontal predictor per row and band, wrapping', () => {
    const bytes = Uint8Array.from([10, 20, 250, 10, 5, 1, /* row 2 */ 1, 2, 3, 4, 5, 6]);
    undoHorizontal(bytes, 3, 2, 2, 1);
    assert.deepEqual(Array.from(bytes), [10, 20, 4, 30, 9, 31, 1, 2, 4, 6, 9, 12]);
    const wide = new Uint16Array([65535, 2, 3]);
    undoHorizontal(new Uint8Array(wide.buffer), 3, 1, 1, 2);
    assert.deepEqual(Array.from(wide), [65535, 1, 4]);
  });

  it('undoes the floating-point predictor (byte planes, most significant first)', () => {
    const values = new Float32Array([1.5, -2.25, 1e-3]);
    const le = new Uint8Array(values.buffer);
    // Encode as libtiff does: planes MSB first, then byte-wise differences.
    const enc = new Uint8Array(12);
    for (let s = 0; s < 3; s++) for (let b = 0; b < 4; b++) enc[b * 3 + s] = le[s * 4 + (3 - b)];
    for (let i = 11; i >= 1; i--) enc[i] = (enc[i] - enc[i - 1]) & 255;
    undoFloatingPoint(enc, 3, 1, 1, 4);
    assert.deepEqual(Array.from(new Float32Array(enc.buffer)), Array.from(values));
  });

  it('parses GDAL_NODATA text like GDAL', () => {
    assert.ok(Number.isNaN(parseNodata('nan')));
    assert.ok(Number.isNaN(parseNodata('-nan')));
    assert.equal(parseNodata('-inf'), -Infinity);
    assert.equal(parseNodata('inf'), Infinity);
    assert.equal(parseNodata(' -9999 '), -9999);
    assert.equal(parseNodata('3.40282346638529e+38'), 3.40282346638529e38);
    assert.equal(parseNodata(undefined), null);
    assert.equal(parseNodata('abc'), null);
  });

  it('casts values into a data type as GDAL does (rounded, clamped)', () => {
    assert.equal(castToType(-10000, 'uint8'), 0);
    assert.equal(castToType(300.4, 'uint16'), 300);
    assert.equal(castToType(NaN, 'int16'), 0);
    assert.equal(castToType(1e10, 'int32'), 2147483647);
    assert.ok(Number.isNaN(castToType(NaN, 'float32')));
  });

  it('builds the geotransform: tiepoint + scale, PixelIsPoint shifted, ModelTransformation with rotation', () => {
    assert.deepEqual(geoTransformOf({ pixelScale: [10, 10, 0], tiepoint: [0, 0, 0, 1000, 2000, 0] }, false), [1000, 10, 0, 2000, 0, -10]);
    assert.deepEqual(geoTransformOf({ pixelScale: [10, 10, 0], tiepoint: [2, 3, 0, 1000, 2000, 0] }, true), [975, 10, 0, 2035, 0, -10]);
    const m = [2, 0.5, 0, 100, 0.25, -2, 0, 200, 0, 0, 0, 0, 0, 0, 0, 1];
    assert.deepEqual(geoTransformOf({ transformation: m }, false), [100, 2, 0.5, 200, 0.25, -2]);
    assert.deepEqual(geoTransformOf({}, false), [0, 1, 0, 0, 0, 1]);
  });
});
