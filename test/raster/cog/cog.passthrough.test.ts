/**
 * Passthrough: tiles lifted byte for byte out of a GDAL-made JPEG COG (with its JPEGTables and its
 * 1-bit mask tiles), mixed with freshly encoded tiles and overviews, must make a valid COG whose
 * passthrough tiles are byte-identical and decode exactly as the source's. The same run checks that
 * our IFDs carry the same tags as GDAL's, IFD for IFD.
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import type { CogSpec } from '../../../src/raster/cog/cog.spec.js';
import { Compression } from '../../../src/raster/raster.types.js';
import type { GeoTransform } from '../../../src/raster/raster.types.js';
import { gdalPy, realFixturesDir, run, skipUnlessGdal, skipUnlessRealFixtures } from '../../support/gdal.js';
import { gdalOracle } from '../../support/gdal.oracle.js';
import { inspectTiff, psnr, rawTile, tempDir, writeCog } from './cog.fixture.js';
import type { InspectedTiff } from './cog.fixture.js';

const gdal = gdalOracle();

const W = 1000;
const H = 700;
const T = 256;

let dir: string;
let source: string;
let src: InspectedTiff;

before(async () => {
  if (skipUnlessGdal) return;
  dir = await tempDir('geopera-passthrough-');
  const rgba = path.join(dir, 'rgba.tif');
  // An RGB image with a disc of valid pixels in its alpha band, made into a JPEG COG with a mask.
  gdalPy(
    `
import sys, numpy as np

from osgeo import gdal, osr
gdal.UseExceptions()
w, h = ${W}, ${H}
ds = gdal.GetDriverByName('GTiff').Create(sys.argv[1], w, h, 4, gdal.GDT_Byte, ['PHOTOMETRIC=RGB', 'ALPHA=YES'])
ds.SetGeoTransform([500000, 0.5, 0, 4000000, 0, -0.5])
srs = osr.SpatialReference(); srs.ImportFromEPSG(32633); ds.SetProjection(srs.ExportToWkt())
y, x = np.mgrid[0:h, 0:w]
bands = [128 + 100 * np.sin(x / 40.0), 128 + 100 * np.cos(y / 30.0), (x + y) % 256, np.where((x - 500) ** 2 + (y - 350) ** 2 < 330 ** 2, 255, 0)]
for i, a in enumerate(bands): ds.GetRasterBand(i + 1).WriteArray(a.astype(np.uint8))
`,
    [rgba],
  );
  source = path.join(dir, 'source.tif');
  run('gdal_translate', ['-q', '-b', '1', '-b', '2', '-b', '3', '-mask', '4', '-of', 'COG', '-co', 'COMPRESS=JPEG', '-co', 'QUALITY=85', '-co', `BLOCKSIZE=${T}`, rgba, source]);
  src = await inspectTiff(source);
});
after(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A COG spec with the structure, codec settings and georeferencing of an inspected JPEG COG. */
function specFrom(tiff: InspectedTiff): CogSpec {
  const ifd0 = tiff.ifds[0]!.tags;
  const scale = ifd0.get(33550) as number[];
  const tie = ifd0.get(33922) as number[];
  const transform: GeoTransform = [tie[3]! - tie[0]! * scale[0]!, scale[0]!, 0, tie[4]! + tie[1]! * scale[1]!, 0, -scale[1]!];
  const images = tiff.ifds.filter((d) => ((d.tags.get(254) as number[] | undefined)?.[0] ?? 0) <= 1);
  return {
    levels: images.map((d) => ({ width: (d.tags.get(256) as number[])[0]!, height: (d.tags.get(257) as number[])[0]! })),
    tileWidth: (ifd0.get(322) as number[])[0]!,
    tileHeight: (ifd0.get(323) as number[])[0]!,
    bands: 3,
    dataType: 'uint8',
    compression: Compression.Jpeg,
    predictor: 1,
    photometric: 6,
    extraSamples: [],
    jpegTables: ifd0.get(347) as Uint8Array,
    ycbcrSubsampling: [2, 2],
    nodata: null,
    hasMask: tiff.ifds.some((d) => (d.tags.get(254) as number[] | undefined)?.[0] === 4),
    geo: {
      transform,
      geoKeyDirectory: ifd0.get(34735) as number[],
      ...(ifd0.has(34737) ? { geoAsciiParams: Buffer.from(ifd0.get(34737) as Uint8Array).toString('latin1').replace(/\0$/, '') } : {}),
      ...(ifd0.has(34736) ? { geoDoubleParams: ifd0.get(34736) as number[] } : {}),
    },
  };
}

describe('cog writer passthrough', { skip: skipUnlessGdal }, () => {
  it('copies source JPEG tiles byte for byte beside freshly encoded ones, and GDAL reads both', async () => {
    const spec = specFrom(src);
    assert.equal(spec.levels.length, 3);
    const across = Math.ceil(W / T);
    const srcImage = src.ifds[0]!;
    const srcMask = src.ifds[1]!;
    // Source pixels as GDAL decodes them, per level: the input of the freshly encoded tiles.
    const levels = await Promise.all(spec.levels.map(async (_, l) => new Uint8Array(await gdal.pixelsOf(source, { level: l }))));
    const masks = await Promise.all(spec.levels.map(async (_, l) => new Uint8Array(await gdal.pixelsOf(source, { level: l, mask: true }))));
    // Column 0 of level 0 stands for boundary tiles (re-encoded); the rest pass through.
    const passthrough = (l: number, tx: number): boolean => l === 0 && tx > 0;
    const { file } = await writeCog(dir, 'out.tif', spec, levels, {
      masks,
      encode: { jpegQuality: 90 },
      raw: (l, tx, ty) => (passthrough(l, tx) ? rawTile(src, srcImage, ty * across + tx) : undefined),
    });

    assert.deepEqual(await gdal.validateCog(file), { errors: [], warnings: [] });
    const out = await inspectTiff(file);
    for (let ty = 0; ty < Math.ceil(H / T); ty++) {
      for (let tx = 1; tx < across; tx++) {
        const i = ty * across + tx;
        assert.deepEqual(rawTile(out, out.ifds[0]!, i), rawTile(src, srcImage, i), `tile ${tx},${ty} is byte-identical`);
        // Our mask tiles are our own encoding, but they decode the same (checked below); GDAL's have their own zlib settings.
        assert.ok(rawTile(src, srcMask, i).length > 0);
      }
    }
    // Passthrough tiles decode exactly as the source's; re-encoded tiles within JPEG tolerance.
    const win: [number, number, number, number] = [T, 0, W - T, H];
    assert.ok((await gdal.pixelsOf(file, { window: win })).equals(await gdal.pixelsOf(source, { window: win })));
    const edge: [number, number, number, number] = [0, 0, T, H];
    assert.ok(psnr(await gdal.pixelsOf(file, { window: edge }), await gdal.pixelsOf(source, { window: edge })) >= 35);
    for (let l = 1; l < spec.levels.length; l++) assert.ok(psnr(await gdal.pixelsOf(file, { level: l }), await gdal.pixelsOf(source, { level: l })) >= 35, `overview ${l}`);
    for (let l = 0; l < spec.levels.length; l++) assert.ok((await gdal.pixelsOf(file, { level: l, mask: true })).equals(await gdal.pixelsOf(source, { level: l, mask: true })), `mask ${l}`);

    const a = await gdal.info(file);
    const b = await gdal.info(source);
    assert.deepEqual(a.geoTransform, b.geoTransform);
    assert.equal(a.coordinateSystem?.wkt, b.coordinateSystem?.wkt);
    assert.deepEqual(a.bands.map((x) => x.colorInterpretation), ['Red', 'Green', 'Blue']);
  });

  it('freshly encoded JPEG tiles still decode when a reader splices the IFD\'s JPEGTables in front', async () => {
    const tables = src.ifds[0]!.tags.get(347) as Uint8Array;
    const out = await inspectTiff(path.join(dir, 'out.tif'));
    const fresh = rawTile(out, out.ifds[0]!, 0); // column 0 was re-encoded by sharp
    const spliced = Buffer.concat([tables.subarray(0, tables.length - 2), fresh.subarray(2)]);
    const decoded = await sharp(spliced).raw().toBuffer();
    const direct = await sharp(fresh).raw().toBuffer();
    assert.ok(decoded.equals(direct));
  });

  it('writes the same IFD sequence, tag set and ghost header as GDAL', async () => {
    const out = await inspectTiff(path.join(dir, 'out.tif'));
    assert.equal(out.ghost.replace(/\0+$/, ''), src.ghost.replace(/\0+$/, ''));
    assert.equal(out.ifds.length, src.ifds.length);
    out.ifds.forEach((ifd, i) => {
      const theirs = src.ifds[i]!;
      assert.deepEqual([...ifd.tags.keys()], [...theirs.tags.keys()], `IFD ${i} tags`);
      for (const tag of [254, 256, 257, 258, 259, 262, 277, 284, 317, 322, 323, 339, 347, 530, 532, 33550, 33922, 34735, 34737]) {
        assert.deepEqual(ifd.tags.get(tag), theirs.tags.get(tag), `IFD ${i} tag ${tag}`);
      }
    });
  });
});

describe('cog writer passthrough of a real rasterio/GDAL JPEG COG', { skip: skipUnlessRealFixtures }, () => {
  it('passes every full-resolution image and mask tile through and re-encodes the overviews', async () => {
    const real = path.join(realFixturesDir, 'aerial_rgb_3857_jpeg_mask_cog.tif');
    const tiff = await inspectTiff(real);
    const spec = specFrom(tiff);
    assert.equal(spec.hasMask, true);
    const maskIfd = tiff.ifds.find((d) => (d.tags.get(254) as number[] | undefined)?.[0] === 4)!;
    const levels = await Promise.all(spec.levels.map(async (_, l) => (l === 0 ? new Uint8Array(0) : new Uint8Array(await gdal.pixelsOf(real, { level: l })))));
    const masks = await Promise.all(spec.levels.map(async (_, l) => new Uint8Array(await gdal.pixelsOf(real, { level: l, mask: true }))));
    const across = Math.ceil(spec.levels[0]!.width / spec.tileWidth);
    const outDir = await tempDir('geopera-passthrough-real-');
    try {
      const { file } = await writeCog(outDir, 'real.tif', spec, levels, {
        masks,
        rawMask: (l, tx, ty) => (l === 0 ? rawTile(tiff, maskIfd, ty * across + tx) : undefined),
        raw: (l, tx, ty) => (l === 0 ? rawTile(tiff, tiff.ifds[0]!, ty * across + tx) : undefined),
      });
      assert.deepEqual(await gdal.validateCog(file), { errors: [], warnings: [] });
      assert.ok((await gdal.pixelsOf(file)).equals(await gdal.pixelsOf(real)));
      for (let l = 0; l < spec.levels.length; l++) assert.ok((await gdal.pixelsOf(file, { level: l, mask: true })).equals(await gdal.pixelsOf(real, { level: l, mask: true })), `mask ${l}`);
      for (let l = 1; l < spec.levels.length; l++) assert.ok(psnr(await gdal.pixelsOf(file, { level: l }), await gdal.pixelsOf(real, { level: l })) >= 35, `overview ${l}`);
      const [a, b] = [await gdal.info(file), await gdal.info(real)];
      assert.deepEqual(a.geoTransform, b.geoTransform);
      assert.equal(a.coordinateSystem?.wkt, b.coordinateSystem?.wkt);
    } finally {
      await rm(outDir, { recursive: true, force: true });
    }
  });
});
