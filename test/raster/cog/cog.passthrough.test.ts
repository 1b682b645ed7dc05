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
import type { CogSpec } from '../../../src/raster/cog/cog.spec.js';
import { Compression } from '../../../src/raster/raster.types.js';
import type { GeoTransform } from '../../../src/raster/raster.types.js';
import { gdalInfo, gdalPixels, gdalPy, run, skipUnlessGdal, validateCog } from '../../support/gdal.js';
import { inspectTiff, psnr, rawTile, tempDir, writeCog } from './cog.fixture.js';
import type { InspectedTiff } from './cog.fixture.js';

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

function sourceSpec(): CogSpec {
  const ifd0 = src.ifds[0]!.tags;
  const scale = ifd0.get(33550) as number[];
  const tie = ifd0.get(33922) as number[];
  const transform: GeoTransform = [tie[3]!, scale[0]!, 0, tie[4]!, 0, -scale[1]!];
  const images = src.ifds.filter((d) => ((d.tags.get(254) as number[] | undefined)?.[0] ?? 0) <= 1);
  return {
    levels: images.map((d) => ({ width: (d.tags.get(256) as number[])[0]!, height: (d.tags.get(257) as number[])[0]! })),
    tileWidth: T,
    tileHeight: T,
    bands: 3,
    dataType: 'uint8',
    compression: Compression.Jpeg,
    predictor: 1,
    photometric: 6,
    extraSamples: [],
    jpegTables: ifd0.get(347) as Uint8Array,
    ycbcrSubsampling: [2, 2],
    nodata: null,
    hasMask: true,
    geo: {
      transform,
      geoKeyDirectory: ifd0.get(34735) as number[],
      geoAsciiParams: Buffer.from(ifd0.get(34737) as Uint8Array).toString('latin1').replace(/\0$/, ''),
    },
  };
}

describe('cog writer passthrough', { skip: skipUnlessGdal }, () => {
  it('copies source JPEG tiles byte for byte beside freshly encoded ones, and GDAL reads both', async () => {
    const spec = sourceSpec();
    assert.equal(spec.levels.length, 3);
    const across = Math.ceil(W / T);
    const srcImage = src.ifds[0]!;
    const srcMask = src.ifds[1]!;
    // Source pixels as GDAL decodes them, per level: the input of the freshly encoded tiles.
    const levels = spec.levels.map((_, l) => new Uint8Array(gdalPixels(source, { level: l })));
    const masks = spec.levels.map((_, l) => new Uint8Array(gdalPixels(source, { level: l, mask: true })));
    // Column 0 of level 0 stands for boundary tiles (re-encoded); the rest pass through.
    const passthrough = (l: number, tx: number): boolean => l === 0 && tx > 0;
    const { file } = await writeCog(dir, 'out.tif', spec, levels, {
      masks,
      encode: { jpegQuality: 90 },
      raw: (l, tx, ty) => (passthrough(l, tx) ? rawTile(src, srcImage, ty * across + tx) : undefined),
    });

    assert.deepEqual(validateCog(file), { errors: [], warnings: [] });
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
    assert.ok(gdalPixels(file, { window: win }).equals(gdalPixels(source, { window: win })));
    const edge: [number, number, number, number] = [0, 0, T, H];
    assert.ok(psnr(gdalPixels(file, { window: edge }), gdalPixels(source, { window: edge })) >= 35);
    for (let l = 1; l < spec.levels.length; l++) assert.ok(psnr(gdalPixels(file, { level: l }), gdalPixels(source, { level: l })) >= 35, `overview ${l}`);
    for (let l = 0; l < spec.levels.length; l++) assert.ok(gdalPixels(file, { level: l, mask: true }).equals(gdalPixels(source, { level: l, mask: true })), `mask ${l}`);

    const a = gdalInfo(file);
    const b = gdalInfo(source);
    assert.deepEqual(a.geoTransform, b.geoTransform);
    assert.equal(a.coordinateSystem?.wkt, b.coordinateSystem?.wkt);
    assert.deepEqual(a.bands.map((x) => x.colorInterpretation), ['Red', 'Green', 'Blue']);
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
