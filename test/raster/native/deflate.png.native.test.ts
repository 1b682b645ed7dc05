/**
 * The codec addon's libdeflate encoders (PNG map tiles; zlib streams for DEFLATE and mask tiles) against
 * independent readers. PNG: sharp's libpng decodes every tile back to exactly the pixels given; node's zlib inflates the IDAT to the filter-None rows; each
 * chunk's CRC is checked with node's own crc32; the output is no larger than sharp's at the same level
 * on real imagery. And the map tile encoder takes it: the same pixels as its sharp path, for RGB and RGBA.
 * zlib streams: a valid header, node's zlib inflates them to the same bytes, no larger than node:zlib's.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { crc32, deflateSync, inflateSync } from 'node:zlib';
import sharp from 'sharp';
import { nativeCodecs, nativeCodecsMissing } from '../../../src/raster/native/codecs.native.js';
import { EncodeSettings, encodeTile, NativePng } from '../../../src/tiles/tile.encode.js';
import { packMaskBits } from '../../../src/raster/encode/mask.encode.js';
import { gdalPixels, hasGdalPython, hasRealFixtures, realFixturesDir } from '../../support/gdal.js';
import { synthImage } from '../cog/cog.fixture.js';

const skip = nativeCodecs ? false : `the codec addon is ${nativeCodecsMissing}`;

interface Chunk {
  type: string;
  data: Buffer;
  crcOk: boolean;
}

function chunks(png: Buffer): Chunk[] {
  assert.equal(png.subarray(0, 8).toString('latin1'), '\x89PNG\r\n\x1a\n', 'PNG signature');
  const out: Chunk[] = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    const type = png.subarray(at + 4, at + 8).toString('latin1');
    const data = png.subarray(at + 8, at + 8 + length);
    out.push({ type, data, crcOk: crc32(png.subarray(at + 4, at + 8 + length)) === png.readUInt32BE(at + 8 + length) });
    at += 12 + length;
  }
  return out;
}

function withAlpha(rgb: Uint8Array, w: number, h: number): Uint8Array {
  const out = new Uint8Array(w * h * 4);
  for (let i = 0; i < w * h; i++) {
    out.set(rgb.subarray(i * 3, i * 3 + 3), i * 4);
    // A disc of opaque pixels in a transparent square, with a soft edge.
    const x = (i % w) - w / 2;
    const y = Math.floor(i / w) - h / 2;
    out[i * 4 + 3] = Math.max(0, Math.min(255, Math.round((w / 2 - Math.hypot(x, y)) * 32)));
  }
  return out;
}

describe('the codec addon writes PNG', { skip }, () => {
  const images: { name: string; pixels: Uint8Array; width: number; height: number }[] = [
    { name: 'synthetic 256²', pixels: synthImage(256, 256, 3, 'uint8', 11) as Uint8Array, width: 256, height: 256 },
    { name: 'synthetic 17x5', pixels: synthImage(17, 5, 3, 'uint8', 2) as Uint8Array, width: 17, height: 5 },
    { name: 'one pixel', pixels: new Uint8Array([200, 100, 50]), width: 1, height: 1 },
    { name: 'flat 512²', pixels: new Uint8Array(512 * 512 * 3).fill(90), width: 512, height: 512 },
  ];
  if (hasGdalPython && hasRealFixtures) {
    images.push({ name: 'aerial window 256²', pixels: new Uint8Array(gdalPixels(path.join(realFixturesDir, 'aerial_rgb_3857_jpeg_mask_cog.tif'), { window: [300, 200, 256, 256] })), width: 256, height: 256 });
  }
  for (const { name, pixels, width, height } of images) {
    for (const [components, filter] of [[3, 0], [4, 0], [3, 2], [4, 2]] as const) {
      it(`${name}, ${components === 3 ? 'RGB' : 'RGBA'}, filter ${filter === 0 ? 'None' : 'Up'}: libpng reads back exactly the pixels; chunks, CRCs and rows as the PNG spec has them`, async () => {
        const input = components === 3 ? pixels : withAlpha(pixels, width, height);
        const png = await nativeCodecs!.pngEncode(input, width, height, components, filter === 0 ? 6 : NativePng.level, filter);
        const decoded = await sharp(png).raw().toBuffer({ resolveWithObject: true });
        assert.deepEqual([decoded.info.width, decoded.info.height, decoded.info.channels], [width, height, components]);
        assert.equal(Buffer.compare(decoded.data, Buffer.from(input)), 0, 'pixels differ');

        const list = chunks(png);
        assert.deepEqual(list.map((c) => c.type), ['IHDR', 'IDAT', 'IEND']);
        assert.ok(list.every((c) => c.crcOk), 'every CRC matches');
        const ihdr = list[0]!.data;
        assert.deepEqual([ihdr.readUInt32BE(0), ihdr.readUInt32BE(4), ...ihdr.subarray(8)], [width, height, 8, components === 4 ? 6 : 2, 0, 0, 0]);
        const rows = inflateSync(list[1]!.data);
        const stride = width * components;
        assert.equal(rows.length, (stride + 1) * height);
        for (let y = 0; y < height; y++) {
          const type = y === 0 ? 0 : filter;
          assert.equal(rows[y * (stride + 1)], type, `row ${y} has filter type ${type}`);
          // The PNG spec's Up: Filt(x) = Orig(x) - Orig(b), b the byte above, modulo 256.
          const expected = Buffer.from(input.subarray(y * stride, (y + 1) * stride).map((v, i) => (type === 2 ? v - input[(y - 1) * stride + i]! : v) & 255));
          assert.equal(Buffer.compare(rows.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)), expected), 0, `row ${y}'s filtered bytes`);
        }
      });
    }
  }

  it('is no larger than sharp’s PNG at the same level on real imagery', { skip: hasGdalPython && hasRealFixtures ? false : 'no GDAL or no corpus' }, async () => {
    const pixels = new Uint8Array(gdalPixels(path.join(realFixturesDir, 'aerial_rgb_3857_jpeg_mask_cog.tif'), { window: [0, 0, 512, 512] }));
    const own = await nativeCodecs!.pngEncode(pixels, 512, 512, 3, EncodeSettings.png.compressionLevel);
    const ref = await sharp(pixels, { raw: { width: 512, height: 512, channels: 3 } }).png(EncodeSettings.png).toBuffer();
    assert.ok(own.length <= ref.length, `${own.length} bytes against sharp's ${ref.length}`);
  });

  it('map tiles (Up filter, NativePng.level) are smaller than sharp’s PNG at its level 6 with no filter, on real imagery', { skip: hasGdalPython && hasRealFixtures ? false : 'no GDAL or no corpus' }, async () => {
    const pixels = new Uint8Array(gdalPixels(path.join(realFixturesDir, 'aerial_rgb_3857_jpeg_mask_cog.tif'), { window: [0, 0, 512, 512] }));
    for (const rgba of [withAlpha(pixels, 512, 512), withAlpha(pixels, 512, 512).map((v, i) => (i % 4 === 3 ? 255 : v))]) {
      const tile = await encodeTile(rgba, 512, 'png');
      const opaque = rgba.every((v, i) => i % 4 !== 3 || v === 255);
      const ref = await sharp(opaque ? pixels : rgba, { raw: { width: 512, height: 512, channels: opaque ? 3 : 4 } }).png(EncodeSettings.png).toBuffer();
      assert.ok(tile.length < ref.length * 0.9, `${opaque ? 'opaque' : 'transparent edges'}: ${tile.length} bytes against sharp's ${ref.length}`);
      const decoded = await sharp(tile).raw().toBuffer();
      assert.equal(Buffer.compare(decoded, Buffer.from(opaque ? pixels : rgba)), 0, 'the tile holds the pixels');
    }
  });

  it('refuses bad arguments at once', () => {
    const px = new Uint8Array(12);
    assert.throws(() => nativeCodecs!.pngEncode(px, 2, 2, 2 as 3, 6), /components must be an integer from 3 to 4/);
    assert.throws(() => nativeCodecs!.pngEncode(px, 3, 2, 3, 6), /fewer bytes/);
    assert.throws(() => nativeCodecs!.pngEncode(px, 2, 2, 3, 13), /level must be an integer from 1 to 12/);
    assert.throws(() => nativeCodecs!.pngEncode(px, 2, 2, 3, 6, 1 as 2), /filter must be 0 \(None\) or 2 \(Up\)/);
    assert.throws(() => nativeCodecs!.pngEncode(px, 2, 2, 3, 6, 3 as 2), /filter must be an integer from 0 to 2/);
  });
});

describe('map tiles through the addon', { skip }, () => {
  const rgb = synthImage(256, 256, 3, 'uint8', 4) as Uint8Array;
  const opaque = withAlpha(rgb, 256, 256).map((v, i) => (i % 4 === 3 ? 255 : v));
  const transparent = withAlpha(rgb, 256, 256);

  it('an opaque JPEG tile is the same bytes as sharp writes with the tile settings', async () => {
    const ref = await sharp(rgb, { raw: { width: 256, height: 256, channels: 3 } }).jpeg(EncodeSettings.jpg).toBuffer();
    assert.equal(Buffer.compare(await encodeTile(opaque, 256, 'jpg'), ref), 0);
  });

  for (const [name, rgba, channels] of [['opaque', opaque, 3], ['partly transparent', transparent, 4]] as const) {
    it(`a ${name} PNG tile holds the tile's pixels (${channels} channels)`, async () => {
      const { data, info } = await sharp(await encodeTile(rgba, 256, 'png')).raw().toBuffer({ resolveWithObject: true });
      assert.equal(info.channels, channels);
      const want = channels === 4 ? Buffer.from(rgba) : Buffer.from(rgb);
      assert.equal(Buffer.compare(data, want), 0);
    });
  }
});

describe('the codec addon writes zlib streams (DEFLATE and mask tiles)', { skip }, () => {
  const inputs: [string, Uint8Array][] = [
    ['empty', new Uint8Array(0)],
    ['one byte', new Uint8Array([42])],
    ['synthetic 512² RGB', synthImage(512, 512, 3, 'uint8', 9) as Uint8Array],
    ['an all-valid packed mask tile', new Uint8Array(32 * 1024).fill(255)],
    ['random bytes', Uint8Array.from({ length: 70_000 }, (_, i) => (i * 2654435761) >>> 24)],
  ];
  for (const [name, bytes] of inputs) {
    for (const level of [1, 6, 9, 12]) {
      it(`${name}, level ${level}: node's zlib inflates it to the same bytes`, async () => {
        const stream = await nativeCodecs!.zlibEncode(bytes, level);
        assert.equal(stream[0]! & 0x0f, 8, 'CM = 8 (deflate)');
        assert.equal(((stream[0]! << 8) | stream[1]!) % 31, 0, 'FCHECK');
        assert.equal(Buffer.compare(inflateSync(stream), Buffer.from(bytes)), 0);
      });
    }
  }
  it('is no larger than node:zlib at the same level on real imagery', { skip: hasGdalPython && hasRealFixtures ? false : 'no GDAL or no corpus' }, async () => {
    const pixels = new Uint8Array(gdalPixels(path.join(realFixturesDir, 'aerial_rgb_3857_jpeg_mask_cog.tif'), { window: [0, 0, 512, 512] }));
    const own = await nativeCodecs!.zlibEncode(pixels, 6);
    const ref = deflateSync(pixels, { level: 6, memLevel: 9 });
    assert.ok(own.length <= ref.length, `${own.length} bytes against zlib's ${ref.length}`);
  });
  it('refuses a level outside 1-12', () => {
    assert.throws(() => nativeCodecs!.zlibEncode(new Uint8Array(4), 0), /level must be an integer from 1 to 12/);
  });
});

describe('the codec addon writes GDAL mask tiles (maskEncode: packed to bits on the pool thread, then deflated)', { skip }, () => {
  /** From the definition: 1 bit a pixel, the first pixel in the most significant bit, each row padded to a byte, 1 = valid. */
  function bitsOf(mask: Uint8Array, width: number, height: number): Buffer {
    const rowBytes = Math.ceil(width / 8);
    const out = Buffer.alloc(rowBytes * height);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if (mask[y * width + x] !== 0) out[y * rowBytes + (x >> 3)]! |= 0x80 >> (x % 8);
    return out;
  }
  it('inflates to the packed bits, and is the stream zlibEncode makes of packMaskBits, for discs, noise, odd widths and any non-zero value', async () => {
    let seed = 99;
    const next = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    for (let t = 0; t < 40; t++) {
      const width = t % 4 === 0 ? 512 : 1 + Math.floor(next() * 300);
      const height = 1 + Math.floor(next() * 200);
      const [cx, cy, r] = [next() * width, next() * height, next() * width];
      const mask = Uint8Array.from({ length: width * height }, (_, i) => (t % 3 === 0 ? (next() < 0.5 ? 0 : 1 + Math.floor(next() * 255)) : Math.hypot((i % width) - cx, Math.floor(i / width) - cy) < r ? 255 : 0));
      const level = [1, 6, 9][t % 3]!;
      const stream = await nativeCodecs!.maskEncode(mask, width, height, level);
      assert.equal(Buffer.compare(inflateSync(stream), bitsOf(mask, width, height)), 0, `case ${t}: ${width}x${height}`);
      assert.equal(Buffer.compare(stream, await nativeCodecs!.zlibEncode(packMaskBits(mask, width, height), level)), 0, `case ${t}: the same stream`);
    }
  });
  it('refuses a mask smaller than width x height', () => {
    assert.throws(() => nativeCodecs!.maskEncode(new Uint8Array(10), 4, 4, 6), /fewer bytes/);
  });
});
