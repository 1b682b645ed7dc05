/**
 * Tile encoders against independent decoders: geotiff.js's LZW, PackBits and DEFLATE decoders with
 * its own predictor code (lossless round trips for every data type), JPEG stream markers for the
 * YCbCr sampling libtiff expects, WEBP containers, and the 1-bit GDAL mask layout.
 */
import assert from 'node:assert/strict';
import { inflateSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { getDecoder } from 'geotiff';
import sharp from 'sharp';
import { lzwEncode } from '../../../src/raster/encode/lzw.encode.js';
import { allValidMaskTile, canEncode, encodeMaskTile, encodeTile, encodeUnsupported, packMaskBits } from '../../../src/raster/encode/tile.encode.js';
import type { TileEncodeSpec } from '../../../src/raster/encode/tile.encode.js';
import { Compression } from '../../../src/raster/raster.types.js';
import type { DataType } from '../../../src/raster/raster.types.js';
import { allocPixels } from '../../../src/raster/decode/pixel.array.js';
import { bytesOf, psnr, synthImage } from '../cog/cog.fixture.js';

const BITS: Record<DataType, number> = { uint8: 8, int8: 8, uint16: 16, int16: 16, uint32: 32, int32: 32, float32: 32, float64: 64 };

async function geotiffDecode(bytes: Uint8Array, spec: TileEncodeSpec): Promise<Buffer> {
  const decoder = await getDecoder(spec.compression, {
    tileWidth: spec.width,
    tileHeight: spec.height,
    predictor: spec.predictor,
    bitsPerSample: new Array<number>(spec.bands).fill(BITS[spec.dataType]),
    planarConfiguration: 1,
    samplesPerPixel: spec.bands,
  });
  const copy = bytes.slice();
  return Buffer.from(await decoder.decode(copy.buffer));
}

/** JPEG SOF0/SOF2 components: [id, horizontal sampling, vertical sampling] each. */
function jpegComponents(jpeg: Uint8Array): number[][] {
  for (let p = 2; p < jpeg.length; ) {
    const marker = jpeg[p + 1]!;
    const len = (jpeg[p + 2]! << 8) | jpeg[p + 3]!;
    if (marker === 0xc0 || marker === 0xc1 || marker === 0xc2) {
      const n = jpeg[p + 9]!;
      return Array.from({ length: n }, (_, i) => [jpeg[p + 10 + i * 3]!, jpeg[p + 11 + i * 3]! >> 4, jpeg[p + 11 + i * 3]! & 15]);
    }
    p += 2 + len;
  }
  throw new Error('no SOF marker');
}

describe('tile encoders', () => {
  const lossless: [DataType, number, 1 | 2 | 3][] = [
    ['uint8', 3, 1],
    ['uint8', 3, 2],
    ['int8', 1, 2],
    ['uint16', 4, 2],
    ['int16', 1, 2],
    ['uint32', 2, 2],
    ['int32', 1, 2],
    ['float32', 1, 3],
    ['float32', 3, 3],
    ['float64', 2, 3],
  ];
  for (const compression of [Compression.Lzw, Compression.AdobeDeflate, Compression.Deflate, Compression.PackBits, Compression.None]) {
    it(`round-trips every data type through geotiff.js with compression ${compression}`, async () => {
      for (const [dataType, bands, pred] of lossless) {
        const predictor = compression === Compression.PackBits || compression === Compression.None ? 1 : pred;
        const spec: TileEncodeSpec = { width: 96, height: 48, bands, dataType, compression, predictor, photometric: 1 };
        const pixels = synthImage(96, 48, bands, dataType, 3);
        const encoded = await encodeTile(pixels, spec);
        const decoded = await geotiffDecode(encoded, spec);
        assert.ok(decoded.equals(bytesOf(pixels)), `${dataType} x${bands} predictor ${predictor}`);
      }
    });
  }

  it('LZW survives table resets: long incompressible input, long runs, empty input', async () => {
    const spec: TileEncodeSpec = { width: 512, height: 512, bands: 1, dataType: 'uint8', compression: Compression.Lzw, predictor: 1, photometric: 1 };
    let s = 7;
    const noise = Uint8Array.from({ length: 512 * 512 }, () => ((s = (s * 1103515245 + 12345) % 2147483648) >> 16) & 255);
    assert.ok((await geotiffDecode(lzwEncode(noise), spec)).equals(noise));
    const flat = new Uint8Array(512 * 512).fill(9);
    const flatLzw = lzwEncode(flat);
    assert.ok(flatLzw.length < 2000, `a flat tile compresses (${flatLzw.length} bytes)`);
    assert.ok((await geotiffDecode(flatLzw, spec)).equals(Buffer.from(flat)));
    assert.deepEqual([...lzwEncode(new Uint8Array(0))], [0x80, 0x40, 0x40]); // Clear (256) + EOI (257) in 9 bits
  });

  it('LZW starts with a ClearCode and is deterministic', () => {
    const data = Uint8Array.from({ length: 10000 }, (_, i) => (i * 31) % 251);
    const a = lzwEncode(data);
    assert.equal(a[0], 0x80); // first 9 bits: 100000000 = 256
    assert.deepEqual(lzwEncode(data), a);
  });

  it('encodes JPEG YCbCr with 2x2 luma sampling, 4:4:4 for [1,1], and 1-band greyscale', async () => {
    const rgb = synthImage(256, 256, 3, 'uint8', 1);
    const spec: TileEncodeSpec = { width: 256, height: 256, bands: 3, dataType: 'uint8', compression: Compression.Jpeg, predictor: 1, photometric: 6, jpegQuality: 85 };
    const j420 = await encodeTile(rgb, spec);
    assert.deepEqual(jpegComponents(j420), [[1, 2, 2], [2, 1, 1], [3, 1, 1]]);
    const j444 = await encodeTile(rgb, { ...spec, ycbcrSubsampling: [1, 1] });
    assert.deepEqual(jpegComponents(j444), [[1, 1, 1], [2, 1, 1], [3, 1, 1]]);
    const back = await sharp(j420).raw().toBuffer();
    assert.ok(psnr(back, bytesOf(rgb)) > 35);
    const grey = await encodeTile(synthImage(256, 256, 1, 'uint8', 2), { ...spec, bands: 1, photometric: 1 });
    assert.equal(jpegComponents(grey).length, 1);
  });

  it('encodes WEBP as a RIFF stream, with alpha for 4 bands and exact lossless pixels', async () => {
    const rgba = synthImage(128, 128, 4, 'uint8', 1);
    for (let i = 3; i < rgba.length; i += 8) rgba[i] = 0; // transparent pixels keep their colour (exact)
    const spec: TileEncodeSpec = { width: 128, height: 128, bands: 4, dataType: 'uint8', compression: Compression.Webp, predictor: 1, photometric: 2, webpLossless: true };
    const webp = await encodeTile(rgba, spec);
    assert.equal(Buffer.from(webp.subarray(0, 4)).toString('latin1'), 'RIFF');
    assert.equal(Buffer.from(webp.subarray(8, 12)).toString('latin1'), 'WEBP');
    const back = await sharp(webp).ensureAlpha().raw().toBuffer();
    assert.ok(back.equals(bytesOf(rgba)));
  });

  it('packs masks to 1 bit per pixel, MSB first, rows padded to bytes', async () => {
    const m = new Uint8Array(10 * 2);
    m[0] = 255;
    m[9] = 1;
    m[10 + 7] = 255;
    m[10 + 8] = 255;
    assert.deepEqual([...packMaskBits(m, 10, 2)], [0b10000000, 0b01000000, 0b00000001, 0b10000000]);
    const tile = await encodeMaskTile(m, 10, 2);
    assert.deepEqual([...inflateSync(tile)], [0b10000000, 0b01000000, 0b00000001, 0b10000000]);
    assert.deepEqual([...inflateSync(await allValidMaskTile(16, 2))], [255, 255, 255, 255]);
  });

  it('packs any byte mask as its per-pixel definition: runs, lone pixels, any non-zero value, odd widths and offsets', () => {
    const bitOf = (m: Uint8Array, width: number, x: number, y: number): number => (m[y * width + x] !== 0 ? 1 : 0);
    let seed = 7;
    const rand = (n: number): number => { seed = (seed * 1103515245 + 12345) >>> 0; return (seed >>> 8) % n; };
    for (const [width, height, offset] of [[512, 64, 0], [12, 9, 0], [10, 7, 0], [64, 16, 1], [40, 5, 3]] as const) {
      const backing = new Uint8Array(width * height + offset);
      const m = backing.subarray(offset);
      // Runs of one value (0 or any non-zero byte), some a single pixel long.
      for (let i = 0; i < m.length;) {
        const run = rand(5) === 0 ? 1 : 1 + rand(40);
        const v = rand(2) === 0 ? 0 : [1, 7, 128, 255][rand(4)]!;
        m.fill(v, i, i + run);
        i += run;
      }
      const packed = packMaskBits(m, width, height);
      const rowBytes = (width + 7) >> 3;
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < rowBytes * 8; x++) {
          const bit = (packed[y * rowBytes + (x >> 3)]! >> (7 - (x & 7))) & 1;
          assert.equal(bit, x < width ? bitOf(m, width, x, y) : 0, `${width}x${height}+${offset}: pixel ${x},${y}`);
        }
      }
    }
  });

  it('says which compressions and layouts it cannot encode', () => {
    assert.equal(canEncode(Compression.Zstd), false);
    assert.equal(canEncode(Compression.Lerc), false);
    assert.equal(canEncode(Compression.OldJpeg), false);
    for (const c of [Compression.None, Compression.Lzw, Compression.Jpeg, Compression.AdobeDeflate, Compression.Deflate, Compression.PackBits, Compression.Webp]) assert.equal(canEncode(c), true);
    const base: TileEncodeSpec = { width: 256, height: 256, bands: 3, dataType: 'uint8', compression: Compression.Jpeg, predictor: 1, photometric: 6 };
    assert.equal(encodeUnsupported(base), null);
    assert.match(encodeUnsupported({ ...base, photometric: 2 })!, /YCbCr/);
    assert.match(encodeUnsupported({ ...base, bands: 4, photometric: 2 })!, /1 or 3 bands/);
    assert.match(encodeUnsupported({ ...base, dataType: 'uint16' })!, /uint8/);
    assert.match(encodeUnsupported({ ...base, ycbcrSubsampling: [2, 1] })!, /2,1/);
    assert.match(encodeUnsupported({ ...base, compression: Compression.Webp, bands: 1 })!, /3 or 4 bands/);
    assert.match(encodeUnsupported({ ...base, compression: Compression.Zstd })!, /no encoder/);
    assert.match(encodeUnsupported({ ...base, compression: Compression.Lzw, predictor: 3 })!, /float/);
    assert.match(encodeUnsupported({ ...base, compression: Compression.Webp, predictor: 2 })!, /predictor 2/);
  });

  it('rejects tiles whose sample count or type does not match the spec', async () => {
    const spec: TileEncodeSpec = { width: 16, height: 16, bands: 1, dataType: 'uint16', compression: Compression.None, predictor: 1, photometric: 1 };
    await assert.rejects(encodeTile(allocPixels('uint16', 10), spec), { code: 'internal_error' });
    await assert.rejects(encodeTile(allocPixels('uint8', 256), spec), { code: 'internal_error' });
    await assert.rejects(encodeTile(allocPixels('uint16', 256), { ...spec, compression: Compression.Zstd }), { code: 'unsupported_compression' });
  });
});
