/**
 * geopera's JPEG addon against sharp, its reference: the same bytes from every encode, the same pixels
 * from every decode and every half-size decode, the same failures. Pixels and streams come from the real
 * corpus' JPEG COGs (tiles written by GDAL, with their JPEGTables) and windows of real imagery, plus
 * synthetic pixels, at the settings geopera writes: qualities, 4:2:0 and 4:4:4, one band.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { jpegDecode, sharpJpegDecode, spliceJpegTables } from '../../../src/raster/decode/codec.jpeg.js';
import { sharpJpegEncode } from '../../../src/raster/encode/jpeg.encode.js';
import { sharpHalfJpeg } from '../../../src/raster/clip/tile.half.js';
import { nativeCodecs, nativeCodecsMissing } from '../../../src/raster/native/codecs.native.js';
import { readRasterInfo } from '../../../src/raster/read/raster.open.js';
import { FileSource } from '../../../src/raster/read/source.js';
import { readTileBytes } from '../../../src/raster/read/tile.reader.js';
import { gdalPixels, hasGdalPython, hasRealFixtures, realFixturesDir } from '../../support/gdal.js';
import { synthImage } from '../cog/cog.fixture.js';

const skipNative = nativeCodecs ? false : `the JPEG addon is ${nativeCodecsMissing}`;
const skipCorpus = skipNative || (hasGdalPython && hasRealFixtures ? false : 'no GDAL or no corpus');
const jpegCogs = ['hro_rgb_utm13n_jpeg_cog.tif', 'aerial_rgb_3857_jpeg_mask_cog.tif'];

/** Up to `count` complete JPEG streams (JPEGTables spliced in) from each level of a JPEG COG. */
async function cogStreams(file: string, count: number): Promise<{ stream: Uint8Array; width: number; height: number; bands: 1 | 3; where: string }[]> {
  const source = await FileSource.open(path.join(realFixturesDir, file));
  try {
    const info = await readRasterInfo(source);
    const out = [];
    for (let level = 0; level < info.levels.length; level++) {
      const lvl = info.levels[level]!;
      for (let i = 0; i < Math.min(count, lvl.tilesAcross * lvl.tilesDown); i++) {
        const tx = i % lvl.tilesAcross;
        const ty = Math.floor(i / lvl.tilesAcross);
        const [bytes] = await readTileBytes(source, info, level, tx, ty);
        if (!bytes) continue;
        const stream = spliceJpegTables(lvl.jpegTables ?? info.jpegTables, bytes);
        out.push({ stream, width: lvl.tileWidth, height: lvl.tileHeight, bands: info.bands as 1 | 3, where: `${file} level ${level} tile ${tx},${ty}` });
      }
    }
    return out;
  } finally {
    await source.close();
  }
}

/** The 2x2 average (unrounded) of pixel-interleaved bytes. */
function boxAverage(px: Uint8Array, w: number, h: number, bands: number): Float64Array {
  const out = new Float64Array((w / 2) * (h / 2) * bands);
  for (let y = 0; y < h / 2; y++) {
    for (let x = 0; x < w / 2; x++) {
      for (let c = 0; c < bands; c++) {
        const at = (yy: number, xx: number): number => px[(yy * w + xx) * bands + c]!;
        out[(y * (w / 2) + x) * bands + c] = (at(2 * y, 2 * x) + at(2 * y, 2 * x + 1) + at(2 * y + 1, 2 * x) + at(2 * y + 1, 2 * x + 1)) / 4;
      }
    }
  }
  return out;
}

function meanAbs(a: Uint8Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < b.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / b.length;
}

function grey(rgb: Uint8Array): Uint8Array {
  const out = new Uint8Array(rgb.length / 3);
  for (let i = 0; i < out.length; i++) out[i] = rgb[i * 3 + 1]!;
  return out;
}

describe('the codec addon: JPEG', () => {
  it('is built where CI runs (.ci/run installs libjpeg62-turbo-dev and libdeflate-dev)', { skip: process.env.CI ? false : 'not in CI' }, () => {
    assert.ok(nativeCodecs, `the JPEG addon is ${nativeCodecsMissing}`);
    assert.equal(nativeCodecs.libjpegVersion, 62);
  });

  describe('encodes the same bytes as sharp', { skip: skipNative }, () => {
    const images: { name: string; pixels: Uint8Array; width: number; height: number }[] = [
      { name: 'synthetic 512²', pixels: synthImage(512, 512, 3, 'uint8', 7) as Uint8Array, width: 512, height: 512 },
      { name: 'synthetic 200x56', pixels: synthImage(200, 56, 3, 'uint8', 3) as Uint8Array, width: 200, height: 56 },
    ];
    if (hasGdalPython && hasRealFixtures) {
      images.push({ name: 'aerial window 512²', pixels: new Uint8Array(gdalPixels(path.join(realFixturesDir, 'aerial_rgb_3857_jpeg_mask_cog.tif'), { window: [256, 256, 512, 512] })), width: 512, height: 512 });
      images.push({ name: 'hro window 128²', pixels: new Uint8Array(gdalPixels(path.join(realFixturesDir, 'hro_rgb_utm13n_jpeg_cog.tif'), { window: [100, 60, 128, 128] })), width: 128, height: 128 });
    }
    for (const { name, pixels, width, height } of images) {
      for (const quality of [40, 75, 90, 100]) {
        for (const sub of [2, 1] as const) {
          it(`${name}, quality ${quality}, ${sub === 2 ? '4:2:0' : '4:4:4'}`, async () => {
            const mine = await nativeCodecs!.jpegEncode(pixels, width, height, 3, quality, sub);
            const ref = await sharpJpegEncode(pixels, width, height, 3, quality, sub === 2 ? '4:2:0' : '4:4:4');
            assert.equal(Buffer.compare(mine, ref), 0, `${mine.length} bytes against sharp's ${ref.length}`);
          });
        }
      }
      it(`${name}, one band, quality 75`, async () => {
        const g = grey(pixels);
        const mine = await nativeCodecs!.jpegEncode(g, width, height, 1, 75, 2);
        const ref = await sharpJpegEncode(g, width, height, 1, 75, '4:2:0');
        assert.equal(Buffer.compare(mine, ref), 0, `${mine.length} bytes against sharp's ${ref.length}`);
      });
    }
  });

  describe('decodes GDAL-written tiles to the same pixels as sharp', { skip: skipCorpus }, () => {
    for (const file of jpegCogs) {
      it(file, async () => {
        const streams = await cogStreams(file, 6);
        assert.ok(streams.length >= 6, `${streams.length} tiles read`);
        for (const { stream, width, height, bands, where } of streams) {
          const ref = await sharpJpegDecode(stream, width, height, bands, where);
          const mine = await nativeCodecs!.jpegDecode(stream, bands, 1, width * height);
          assert.ok(mine, where);
          assert.deepEqual([mine.width, mine.height], [width, height], where);
          assert.equal(Buffer.compare(mine.data, ref), 0, `${where}: pixels differ`);
          // The engine's entry point takes the addon: the same pixels again.
          assert.equal(Buffer.compare(await jpegDecode(stream, undefined, width, height, bands, where), ref), 0, where);
        }
      });
      it(`${file}: half-size decodes (libjpeg's DCT scaling) are the 2x2 average of the full decode, closer than sharp's shrink-on-load`, async () => {
        for (const { stream, width, height, bands, where } of await cogStreams(file, 4)) {
          const full = await sharpJpegDecode(stream, width, height, bands, where);
          const mine = await nativeCodecs!.jpegDecode(stream, bands, 2, width * height);
          assert.ok(mine, where);
          assert.deepEqual([mine.width, mine.height], [width / 2, height / 2], where);
          const average = boxAverage(full, width, height, bands);
          const own = meanAbs(mine.data, average);
          const viaSharp = meanAbs(await sharpHalfJpeg(stream, width, height, bands), average);
          // Measured: 0.07-0.42 (aerial), 0.70-1.11 (hro, busier 128² tiles); sharp's 0.31-2.70, always at least twice as far.
          assert.ok(own < 1.5, `${where}: mean difference from the 2x2 average ${own.toFixed(3)}`);
          assert.ok(own <= viaSharp / 2, `${where}: ${own.toFixed(3)} against sharp's ${viaSharp.toFixed(3)}`);
        }
      });
    }
  });

  describe('fails where sharp fails', { skip: skipNative }, () => {
    const pixels = synthImage(64, 64, 3, 'uint8', 5) as Uint8Array;
    it('a truncated stream is an error (sharp: failOn error)', async () => {
      const whole = await nativeCodecs!.jpegEncode(pixels, 64, 64, 3, 75, 2);
      const cut = whole.subarray(0, whole.length >> 1);
      await assert.rejects(sharpJpegDecode(cut, 64, 64, 3, 'cut'), /cannot decode the JPEG tile/);
      await assert.rejects(nativeCodecs!.jpegDecode(cut, 3, 1, 64 * 64), /Premature end of JPEG file/);
      await assert.rejects(jpegDecode(cut, undefined, 64, 64, 3, 'tile 0,0'), (err: Error & { code?: string }) => err.code === 'invalid_tiff' && /^tile 0,0: cannot decode the JPEG tile \(Premature end/.test(err.message));
    });
    it('decodes into a given buffer when it holds the pixels: the same pixels, and that buffer is the data', async () => {
      const whole = await nativeCodecs!.jpegEncode(pixels, 64, 64, 3, 75, 2);
      const fresh = await nativeCodecs!.jpegDecode(whole, 3, 1, 64 * 64);
      const into = new Uint8Array(64 * 64 * 3).fill(9);
      const reused = await nativeCodecs!.jpegDecode(whole, 3, 1, 64 * 64, into);
      assert.equal(reused!.data, into);
      assert.equal(Buffer.compare(reused!.data, fresh!.data), 0);
      // A buffer too small is left alone: the pixels come in a new one.
      const small = new Uint8Array(64 * 64).fill(7);
      const elsewhere = await nativeCodecs!.jpegDecode(whole, 3, 1, 64 * 64, small);
      assert.notEqual(elsewhere!.data.buffer, small.buffer);
      assert.equal(Buffer.compare(elsewhere!.data, fresh!.data), 0);
      assert.ok(small.every((v) => v === 7));
      // Through the engine's entry point, into a view at an offset.
      const backing = new Uint8Array(64 * 64 * 3 + 16);
      const view = backing.subarray(16);
      const viaEngine = await jpegDecode(whole, undefined, 64, 64, 3, 'tile', view);
      assert.equal(viaEngine.buffer, backing.buffer);
      assert.equal(Buffer.compare(view, fresh!.data), 0);
    });
    it('a failed decode into a given buffer leaves the buffer to its owner', async () => {
      const whole = await nativeCodecs!.jpegEncode(pixels, 64, 64, 3, 75, 2);
      const into = new Uint8Array(64 * 64 * 3);
      await assert.rejects(nativeCodecs!.jpegDecode(whole.subarray(0, whole.length >> 1), 3, 1, 64 * 64, into), /Premature end of JPEG file/);
      // Still usable (not freed by the addon): the next decode into it works.
      assert.ok(await nativeCodecs!.jpegDecode(whole, 3, 1, 64 * 64, into));
    });
    it('bytes that are no JPEG are an error', async () => {
      await assert.rejects(nativeCodecs!.jpegDecode(new Uint8Array([1, 2, 3, 4, 5]), 3, 1, 100), /Not a JPEG file/);
    });
    it('a stream larger than the tile is refused before it is decoded', async () => {
      const whole = await nativeCodecs!.jpegEncode(pixels, 64, 64, 3, 75, 2);
      await assert.rejects(nativeCodecs!.jpegDecode(whole, 3, 1, 64 * 32), /more than the 2048 pixels expected/);
      await assert.rejects(sharpJpegDecode(whole, 64, 32, 3, 'tall'), /cannot decode the JPEG tile/);
    });
    it('a stream with other components than asked for is left to sharp (null)', async () => {
      const whole = await nativeCodecs!.jpegEncode(pixels, 64, 64, 3, 75, 2);
      assert.equal(await nativeCodecs!.jpegDecode(whole, 1, 1, 64 * 64), null);
      // jpegDecode then converts through sharp, as it did before the addon.
      const viaSharp = await sharpJpegDecode(whole, 64, 64, 1, 'grey');
      assert.equal(Buffer.compare(await jpegDecode(whole, undefined, 64, 64, 1, 'grey'), viaSharp), 0);
    });
    it('bad arguments are thrown at once', () => {
      assert.throws(() => nativeCodecs!.jpegEncode(pixels, 64, 64, 2 as 3, 75, 2), /components must be 1 or 3/);
      assert.throws(() => nativeCodecs!.jpegEncode(pixels, 65, 64, 3, 75, 2), /fewer bytes/);
      assert.throws(() => nativeCodecs!.jpegEncode([] as unknown as Uint8Array, 1, 1, 3, 75, 2), /expected a Uint8Array/);
      assert.throws(() => nativeCodecs!.jpegEncode(pixels, 64, 64, 3, 101, 2), /quality must be an integer from 1 to 100/);
      const stream = new Uint8Array(100);
      assert.throws(() => nativeCodecs!.jpegDecode(stream, 3, 1, 100, new Uint16Array(10) as never), /into must be a Uint8Array/);
      assert.throws(() => nativeCodecs!.jpegDecode(stream.subarray(0, 50), 3, 1, 100, stream.subarray(40)), /into must not overlap the stream/);
    });
  });
});
