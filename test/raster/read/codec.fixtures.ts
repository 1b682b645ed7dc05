/**
 * GDAL-made test files for every codec and layout the reader claims, made in one Python run:
 * a deterministic pattern (smooth waves plus a fine ramp) of 301 x 203 pixels, so 128-pixel tiles
 * and strips have partial edges, written with `gdal.Translate(creationOptions=...)`. For each file,
 * GDAL's own reads of every level (and mask) are saved beside it as raw little-endian bytes.
 */
import { gdalPy } from '../../support/gdal.js';
import type { DataType } from '../../../src/raster/raster.types.js';

/** One file to make. */
export interface CodecVariant {
  name: string;
  dataType: DataType;
  bands: number;
  /** GTiff (or COG) creation options */
  co: string[];
  format?: 'GTiff' | 'COG';
  /** GDAL nodata to set on the source */
  nodata?: number;
  /** Fill the first 128 x 128 block with nodata (so SPARSE_OK leaves it out) */
  nodataBlock?: boolean;
  /** Make the first 128 x 128 block 0 in every band (alpha included: fully transparent) */
  transparentBlock?: boolean;
  /** Write bands 1-3 and turn band 4 (alpha) into an internal mask (gdal_translate -b 1 -b 2 -b 3 -mask 4) */
  maskFromAlpha?: boolean;
  /** Put NaNs into float data */
  nans?: boolean;
  /** Internal overview factors to build after writing */
  overviews?: number[];
}

/** What Python reports per file: its GDAL reads, or why GDAL could not make it. */
export interface MadeVariant {
  error?: string;
  /** Level sizes GDAL sees: [width, height] of level 0 and each overview */
  levels?: [number, number][];
  /** True when GDAL sees a per-dataset (internal) mask */
  mask?: boolean;
}

const CODE = `
import sys, json, numpy as np
from osgeo import gdal
gdal.UseExceptions()
gdal.SetConfigOption('GDAL_TIFF_INTERNAL_MASK', 'YES')
out_dir = sys.argv[1]
variants = json.load(open(sys.argv[2]))
H, W = 203, 301
RANGES = {'uint8': (0, 255), 'int8': (-128, 127), 'uint16': (0, 65535), 'int16': (-32768, 32767),
          'uint32': (0, 4294967295), 'int32': (-2147483648, 2147483647), 'float32': (-500, 1500), 'float64': (-1e6, 3e6)}
GDT = {'uint8': gdal.GDT_Byte, 'int8': gdal.GDT_Byte, 'uint16': gdal.GDT_UInt16, 'int16': gdal.GDT_Int16,
       'uint32': gdal.GDT_UInt32, 'int32': gdal.GDT_Int32, 'float32': gdal.GDT_Float32, 'float64': gdal.GDT_Float64}
def band_data(v, b):
    y, x = np.mgrid[0:H, 0:W].astype('float64')
    base = (np.sin((x + 13 * b) / 17.0) * np.cos((y - 7 * b) / 23.0) + 1) / 2 * 0.9 + ((x * 3 + y * 5 + b) % 11) / 110.0
    lo, hi = RANGES[v['dataType']]
    a = lo + base * (hi - lo)
    if v['dataType'].startswith('float'):
        if v.get('nans'): a[(x % 37 == 0) | ((y > 150) & (x > 250))] = np.nan
        return a
    a = np.clip(np.round(a), lo, hi)
    if v['bands'] == 4 and b == 3: a = np.where(x < 50, 0, 255)
    return a
results = {}
for v in variants:
    src = gdal.GetDriverByName('MEM').Create('', W, H, v['bands'], GDT[v['dataType']])
    src.SetGeoTransform([1000, 10, 0, 5000, 0, -10])
    for b in range(v['bands']):
        a = band_data(v, b)
        if v.get('nodataBlock'): a[:128, :128] = v['nodata']
        if v.get('transparentBlock'): a[:128, :128] = 0
        if v['dataType'] == 'int8': a = a.astype(np.int8).view(np.uint8)
        band = src.GetRasterBand(b + 1)
        band.WriteArray(a)
        if 'nodata' in v: band.SetNoDataValue(v['nodata'])
        if v['bands'] == 4 and b == 3 and v['dataType'] == 'uint8': band.SetColorInterpretation(gdal.GCI_AlphaBand)
    co = list(v['co']) + (['PIXELTYPE=SIGNEDBYTE'] if v['dataType'] == 'int8' else [])
    path = f"{out_dir}/{v['name']}.tif"
    try:
        extra = {'bandList': [1, 2, 3], 'maskBand': 4} if v.get('maskFromAlpha') else {}
        gdal.Translate(path, src, format=v.get('format', 'GTiff'), creationOptions=co, **extra)
        if v.get('overviews'):
            ds = gdal.Open(path, gdal.GA_Update); ds.BuildOverviews('NEAREST', v['overviews']); ds = None
        ds = gdal.Open(path)
    except Exception as e:
        results[v['name']] = {'error': str(e)}
        continue
    b1 = ds.GetRasterBand(1)
    levels = [[ds.RasterXSize, ds.RasterYSize]] + [[b1.GetOverview(i).XSize, b1.GetOverview(i).YSize] for i in range(b1.GetOverviewCount())]
    mask = b1.GetMaskFlags() == gdal.GMF_PER_DATASET
    for level in range(len(levels)):
        for is_mask in ([False, True] if mask else [False]):
            bands = [ds.GetRasterBand(i + 1) for i in range(ds.RasterCount)]
            if level > 0: bands = [b.GetOverview(level - 1) for b in bands]
            if is_mask: bands = [bands[0].GetMaskBand()]
            arr = np.stack([b.ReadAsArray() for b in bands], axis=-1)
            suffix = ('.mask' if is_mask else '') + f'.L{level}.bin'
            arr.astype(arr.dtype.newbyteorder('<')).tofile(path + suffix)
    results[v['name']] = {'levels': levels, 'mask': mask}
print(json.dumps(results))
`;

/** Make every variant in `dir`; returns what GDAL made of each. */
export function makeCodecVariants(dir: string, variantsJson: string): Record<string, MadeVariant> {
  return JSON.parse(gdalPy(CODE, [dir, variantsJson]).toString('utf8')) as Record<string, MadeVariant>;
}
