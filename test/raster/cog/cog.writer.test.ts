/**
 * The COG writer against GDAL: files written from synthetic pixels through our encoders must pass
 * `validate_cloud_optimized_geotiff.py --full-check`, and GDAL must read back the structure, the
 * georeferencing and the pixels (exactly for lossless codecs, >= 35 dB PSNR for JPEG and WEBP).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { CogSpec } from '../../../src/raster/cog/cog.spec.js';
import { Compression } from '../../../src/raster/raster.types.js';
import type { PixelArray } from '../../../src/raster/raster.types.js';
import { skipUnlessGdal } from '../../support/gdal.js';
import { gdalOracle } from '../../support/gdal.oracle.js';
import { bytesOf, discMask, inspectTiff, psnr, synthImage, tempDir, writeCog } from './cog.fixture.js';
import type { WriteCogOptions } from './cog.fixture.js';

const gdal = gdalOracle();

/** GeoKeys naming EPSG:32633 (projected, PixelIsArea). */
const UTM33 = [1, 1, 0, 3, 1024, 0, 1, 1, 1025, 0, 1, 1, 3072, 0, 1, 32633];
/** GeoKeys naming EPSG:4326 (geographic, PixelIsArea). */
const WGS84 = [1, 1, 0, 3, 1024, 0, 1, 2, 1025, 0, 1, 1, 2048, 0, 1, 4326];

/** Halving overview sizes down to one tile, as GDAL makes them. */
function pyramid(width: number, height: number, tile: number): { width: number; height: number }[] {
  const out = [{ width, height }];
  while (out.at(-1)!.width > tile || out.at(-1)!.height > tile) {
    const p = out.at(-1)!;
    out.push({ width: Math.ceil(p.width / 2), height: Math.ceil(p.height / 2) });
  }
  return out;
}

function baseSpec(over: Partial<CogSpec> & Pick<CogSpec, 'bands' | 'dataType' | 'compression' | 'photometric'>): CogSpec {
  return {
    levels: pyramid(1000, 700, 256),
    tileWidth: 256,
    tileHeight: 256,
    predictor: 1,
    extraSamples: [],
    nodata: null,
    hasMask: false,
    geo: { transform: [500000, 0.5, 0, 4000000, 0, -0.5], geoKeyDirectory: UTM33 },
    ...over,
  };
}

/** A written case and what GDAL must see. */
interface Case {
  name: string;
  spec: CogSpec;
  opts?: WriteCogOptions;
  lossy?: boolean;
  colorInterp: string[];
}

let dir: string;
before(async () => {
  dir = await tempDir();
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Write a case and check everything GDAL can tell about it. */
async function checkCase(c: Case): Promise<{ file: string; images: PixelArray[] }> {
  const images = c.spec.levels.map((l, i) => synthImage(l.width, l.height, c.spec.bands, c.spec.dataType, i));
  const masks = c.spec.hasMask ? c.spec.levels.map((l) => discMask(l.width, l.height)) : undefined;
  const { file, result } = await writeCog(dir, `${c.name}.tif`, c.spec, images, { ...(masks ? { masks } : {}), ...c.opts });

  const bytes = await readFile(file);
  assert.equal(result.size, bytes.length, 'reported size');
  assert.equal(result.sha256, createHash('sha256').update(bytes).digest('hex'), 'reported sha256');
  assert.deepEqual(await readdir(dir).then((f) => f.filter((n) => n.startsWith(`${c.name}.tif.`))), [], 'no temp files left');

  assert.deepEqual(await gdal.validateCog(file), { errors: [], warnings: [] });
  const info = await gdal.info(file);
  assert.deepEqual(info.size, [c.spec.levels[0]!.width, c.spec.levels[0]!.height]);
  assert.deepEqual(
    info.bands[0]!.overviews?.map((o) => o.size),
    c.spec.levels.slice(1).map((l) => [l.width, l.height]),
  );
  assert.deepEqual(info.bands.map((b) => b.colorInterpretation), c.colorInterp);
  assert.deepEqual(info.bands[0]!.block, [c.spec.tileWidth, c.spec.tileHeight]);
  if (c.spec.hasMask) assert.deepEqual(info.bands[0]!.mask?.flags, ['PER_DATASET']);
  if (c.spec.nodata !== null) assert.equal(Number(info.bands[0]!.noDataValue), c.spec.nodata);
  else assert.equal(info.bands[0]!.noDataValue, undefined);
  assert.deepEqual(info.geoTransform, c.spec.geo.transform);

  for (let l = 0; l < c.spec.levels.length; l++) {
    const got = await gdal.pixelsOf(file, { level: l });
    const want = bytesOf(images[l]!);
    if (c.opts?.skip) continue; // sparse cases compare separately
    if (c.lossy) {
      const db = psnr(got, want);
      assert.ok(db >= 35, `level ${l}: PSNR ${db.toFixed(1)} dB < 35`);
    } else assert.ok(got.equals(want), `level ${l}: pixels differ from the input`);
    if (masks) assert.ok((await gdal.pixelsOf(file, { level: l, mask: true })).equals(Buffer.from(masks[l]!)), `level ${l}: mask differs`);
  }
  return { file, images };
}

describe('cog writer', { skip: skipUnlessGdal }, () => {
  it('writes uint8 RGB JPEG (YCbCr 2x2) with an internal mask and overviews', async () => {
    const spec = baseSpec({ bands: 3, dataType: 'uint8', compression: Compression.Jpeg, photometric: 6, hasMask: true, ycbcrSubsampling: [2, 2] });
    const { file } = await checkCase({ name: 'rgb-jpeg-mask', spec, opts: { encode: { jpegQuality: 90 } }, lossy: true, colorInterp: ['Red', 'Green', 'Blue'] });
    const info = await gdal.info(file);
    assert.equal(info.metadata?.IMAGE_STRUCTURE?.COMPRESSION, 'YCbCr JPEG');
    assert.equal(info.metadata?.IMAGE_STRUCTURE?.LAYOUT, 'COG');
    assert.match(info.coordinateSystem!.wkt, /ID\["EPSG",32633\]\]$/);
  });

  it('writes 1-band greyscale JPEG and YCbCr JPEG without chroma subsampling (1,1)', async () => {
    const grey = baseSpec({ bands: 1, dataType: 'uint8', compression: Compression.Jpeg, photometric: 1, levels: pyramid(600, 400, 256) });
    await checkCase({ name: 'grey-jpeg', spec: grey, opts: { encode: { jpegQuality: 85 } }, lossy: true, colorInterp: ['Gray'] });
    const full = baseSpec({ bands: 3, dataType: 'uint8', compression: Compression.Jpeg, photometric: 6, ycbcrSubsampling: [1, 1], hasMask: true, levels: pyramid(600, 400, 256) });
    await checkCase({ name: 'rgb-jpeg-444', spec: full, opts: { encode: { jpegQuality: 85 } }, lossy: true, colorInterp: ['Red', 'Green', 'Blue'] });
  });

  it('writes uint8 RGBA lossy WEBP with an alpha band', async () => {
    const spec = baseSpec({ bands: 4, dataType: 'uint8', compression: Compression.Webp, photometric: 2, extraSamples: [2] });
    await checkCase({ name: 'rgba-webp', spec, opts: { encode: { webpQuality: 90 } }, lossy: true, colorInterp: ['Red', 'Green', 'Blue', 'Alpha'] });
  });

  it('writes uint8 RGB lossless WEBP exactly', async () => {
    const spec = baseSpec({ bands: 3, dataType: 'uint8', compression: Compression.Webp, photometric: 2 });
    await checkCase({ name: 'rgb-webp-lossless', spec, opts: { encode: { webpLossless: true } }, colorInterp: ['Red', 'Green', 'Blue'] });
  });

  it('writes uint16 4-band DEFLATE with predictor 2 and nodata', async () => {
    const spec = baseSpec({ bands: 4, dataType: 'uint16', compression: Compression.AdobeDeflate, predictor: 2, photometric: 1, extraSamples: [0, 0, 0], nodata: 0 });
    await checkCase({ name: 'u16-deflate-p2', spec, colorInterp: ['Gray', 'Undefined', 'Undefined', 'Undefined'] });
  });

  it('writes float32 DEFLATE with the floating-point predictor, nodata -9999, in EPSG:4326', async () => {
    const spec = baseSpec({
      bands: 1,
      dataType: 'float32',
      compression: Compression.Deflate,
      predictor: 3,
      photometric: 1,
      nodata: -9999,
      geo: { transform: [10, 0.001, 0, 50, 0, -0.001], geoKeyDirectory: WGS84 },
    });
    const { file } = await checkCase({ name: 'f32-deflate-p3', spec, colorInterp: ['Gray'] });
    assert.match((await gdal.info(file)).coordinateSystem!.wkt, /ID\["EPSG",4326\]\]$/);
  });

  it('writes float64 with two bands LZW and predictor 3', async () => {
    const spec = baseSpec({ bands: 2, dataType: 'float64', compression: Compression.Lzw, predictor: 3, photometric: 1, extraSamples: [0] });
    await checkCase({ name: 'f64-lzw-p3', spec, colorInterp: ['Gray', 'Undefined'] });
  });

  it('writes int16 LZW, and int16 LZW with predictor 2', async () => {
    for (const predictor of [1, 2] as const) {
      const spec = baseSpec({ bands: 1, dataType: 'int16', compression: Compression.Lzw, predictor, photometric: 1, nodata: -32768 });
      await checkCase({ name: `i16-lzw-p${predictor}`, spec, colorInterp: ['Gray'] });
    }
  });

  it('writes uint8 RGB with LZW, PackBits and no compression exactly', async () => {
    for (const compression of [Compression.Lzw, Compression.PackBits, Compression.None]) {
      const spec = baseSpec({ bands: 3, dataType: 'uint8', compression, photometric: 2, levels: pyramid(600, 300, 256) });
      await checkCase({ name: `rgb-${compression}`, spec, colorInterp: ['Red', 'Green', 'Blue'] });
    }
  });

  it('writes int32, uint32 and int8 DEFLATE exactly', async () => {
    for (const dataType of ['int32', 'uint32', 'int8'] as const) {
      const spec = baseSpec({ bands: 2, dataType, compression: Compression.AdobeDeflate, predictor: 2, photometric: 1, extraSamples: [0], levels: pyramid(520, 300, 256) });
      await checkCase({ name: `${dataType}-deflate`, spec, colorInterp: ['Gray', 'Undefined'] });
    }
  });

  it('writes a 1-band uint8 palette image with its ColorMap', async () => {
    const colorMap = new Array<number>(768).fill(0);
    for (let i = 0; i < 256; i++) {
      colorMap[i] = (i * 257) & 0xffff;
      colorMap[256 + i] = ((255 - i) * 257) & 0xffff;
      colorMap[512 + i] = ((i * 7) % 256) * 257;
    }
    const spec = baseSpec({ bands: 1, dataType: 'uint8', compression: Compression.AdobeDeflate, photometric: 3, colorMap });
    const { file } = await checkCase({ name: 'palette', spec, colorInterp: ['Palette'] });
    const table = ((await gdal.info(file)) as unknown as { bands: { colorTable: { entries: number[][] } }[] }).bands[0]!.colorTable.entries;
    assert.equal(table.length, 256);
    assert.deepEqual(table[3], [3, 252, 21, 255]);
  });

  it('writes BigTIFF when asked, and classic TIFF by default', async () => {
    const spec = baseSpec({ bands: 1, dataType: 'float32', compression: Compression.AdobeDeflate, predictor: 3, photometric: 1, bigTiff: true, hasMask: true });
    const { file } = await checkCase({ name: 'bigtiff', spec, colorInterp: ['Gray'] });
    const t = await inspectTiff(file);
    assert.equal(t.bigTiff, true);
    assert.equal((await inspectTiff(`${dir}/palette.tif`)).bigTiff, false);
  });

  it('leaves skipped tiles sparse (offset and byte count 0) and GDAL reads them as nodata', async () => {
    const spec = baseSpec({ bands: 1, dataType: 'uint16', compression: Compression.AdobeDeflate, predictor: 2, photometric: 1, nodata: 7 });
    const skip = (l: number, tx: number, ty: number): boolean => l === 0 && (tx + ty) % 2 === 1;
    const { file, images } = await checkCase({ name: 'sparse', spec, opts: { skip }, colorInterp: ['Gray'] });
    const t = await inspectTiff(file);
    const offsets = t.ifds[0]!.tags.get(324) as number[];
    const counts = t.ifds[0]!.tags.get(325) as number[];
    assert.deepEqual(offsets.map((o) => o === 0), [false, true, false, true, true, false, true, false, false, true, false, true]);
    assert.deepEqual(counts.map((o) => o === 0), offsets.map((o) => o === 0));
    const want = Uint16Array.from(images[0]!);
    for (let y = 0; y < 700; y++) for (let x = 0; x < 1000; x++) if ((Math.floor(x / 256) + Math.floor(y / 256)) % 2 === 1) want[y * 1000 + x] = 7;
    assert.ok((await gdal.pixelsOf(file)).equals(bytesOf(want)));
    assert.ok((await gdal.pixelsOf(file, { level: 1 })).equals(bytesOf(images[1]!)));
  });

  it('writes the same bytes whatever order the tiles arrive in', async () => {
    const spec = baseSpec({ bands: 3, dataType: 'uint8', compression: Compression.AdobeDeflate, photometric: 2, hasMask: true });
    const images = spec.levels.map((l, i) => synthImage(l.width, l.height, 3, 'uint8', i));
    const masks = spec.levels.map((l) => discMask(l.width, l.height));
    const a = await writeCog(dir, 'order-a.tif', spec, images, { masks });
    const b = await writeCog(dir, 'order-b.tif', spec, images, { masks, order: 'scrambled' });
    assert.equal(a.result.sha256, b.result.sha256);
    assert.deepEqual(await gdal.validateCog(b.file), { errors: [], warnings: [] });
  });

  it('writes a rotated geotransform as ModelTransformation and PixelIsPoint half a pixel in', async () => {
    const rotated = baseSpec({ bands: 1, dataType: 'uint8', compression: Compression.AdobeDeflate, photometric: 1, levels: pyramid(300, 200, 256) });
    rotated.geo = { transform: [500000, 0.4, 0.1, 4000000, 0.1, -0.4], geoKeyDirectory: UTM33 };
    const r = await checkCase({ name: 'rotated', spec: rotated, colorInterp: ['Gray'] });
    assert.ok((await inspectTiff(r.file)).ifds[0]!.tags.has(34264));

    const point = baseSpec({ bands: 1, dataType: 'uint8', compression: Compression.AdobeDeflate, photometric: 1, levels: pyramid(300, 200, 256) });
    point.geo = { transform: [499999.75, 0.5, 0, 4000000.25, 0, -0.5], geoKeyDirectory: UTM33.map((v, i) => (i === 11 ? 2 : v)), pixelIsPoint: true };
    const p = await checkCase({ name: 'point', spec: point, colorInterp: ['Gray'] });
    assert.deepEqual((await inspectTiff(p.file)).ifds[0]!.tags.get(33922), [0, 0, 0, 500000, 4000000, 0]);
    assert.equal((await gdal.info(p.file)).metadata?.['']?.AREA_OR_POINT, 'Point');
  });

  it('carries GDAL_METADATA and raw GeoAsciiParams/GeoDoubleParams over', async () => {
    const spec = baseSpec({ bands: 1, dataType: 'uint8', compression: Compression.AdobeDeflate, photometric: 1, levels: pyramid(300, 200, 256) });
    spec.gdalMetadata = '<GDALMetadata>\n  <Item name="CLOUD_COVER">0.25</Item>\n  <Item name="DESCRIPTION" sample="0" role="description">red band</Item>\n</GDALMetadata>\n';
    spec.geo = {
      transform: [10, 0.001, 0, 50, 0, -0.001],
      geoKeyDirectory: [1, 1, 0, 7, 1024, 0, 1, 2, 1025, 0, 1, 1, 2048, 0, 1, 4326, 2049, 34737, 7, 0, 2054, 0, 1, 9102, 2057, 34736, 1, 1, 2059, 34736, 1, 0],
      geoDoubleParams: [298.257223563, 6378137],
      geoAsciiParams: 'WGS 84|',
    };
    const { file } = await checkCase({ name: 'metadata', spec, colorInterp: ['Gray'] });
    const info = (await gdal.info(file)) as unknown as { metadata: Record<string, Record<string, string>>; bands: { description?: string }[] };
    assert.equal(info.metadata['']?.CLOUD_COVER, '0.25');
    assert.equal(info.bands[0]!.description, 'red band');
    const t = await inspectTiff(file);
    assert.deepEqual(t.ifds[0]!.tags.get(34736), [298.257223563, 6378137]);
  });

  it('removes every temp file on abort', async () => {
    const { CogWriter } = await import('../../../src/raster/cog/cog.writer.js');
    const spec = baseSpec({ bands: 1, dataType: 'uint8', compression: Compression.None, photometric: 1 });
    const w = await CogWriter.create(`${dir}/aborted.tif.tmp`, spec);
    await w.writeTile(0, 0, 0, new Uint8Array(256 * 256));
    await w.writeTile(1, 0, 0, new Uint8Array(256 * 256));
    assert.ok((await readdir(dir)).some((f) => f.startsWith('aborted.tif')));
    await w.abort();
    assert.deepEqual((await readdir(dir)).filter((f) => f.startsWith('aborted.tif')), []);
    await assert.rejects(w.writeTile(0, 1, 0, new Uint8Array(1)), /aborted/);
    await assert.rejects(stat(`${dir}/aborted.tif`));
  });
});
