#!/usr/bin/python3
"""Make the seed corpus of the `tiff` fuzz target: tiny GDAL-written GeoTIFFs (24x20 pixels, 16x16 tiles
where tiled, so every image has a partial edge tile and, for COGs, one overview), one per layout,
codec, predictor, byte order and data type the reader handles, plus a few it refuses.

usage: /usr/bin/python3 scripts/fuzz/make_tiff_seeds.py [OUT_DIR]   (default: test/fuzz/corpus/tiff)

Each file is `gdal.Translate(out, src, options=ARGS)` (`gdal_translate ARGS src.tif out.tif`) from an
in-memory source; the ARGS of each are in the table below. Deterministic; overwrites.
"""
import os
import sys

import numpy as np
from osgeo import gdal, osr

gdal.UseExceptions()
W, H = 24, 20


def source(dtype, bands, crs=3857, transform=(1234560.0, 10.0, 0.0, 5543210.0, 0.0, -10.0), nodata=None, palette=False):
    gdt = gdal.GetDataTypeByName(dtype)
    ds = gdal.GetDriverByName('MEM').Create('', W, H, bands, gdt)
    srs = osr.SpatialReference()
    if isinstance(crs, int):
        srs.ImportFromEPSG(crs)
    else:
        srs.ImportFromProj4(crs)
    ds.SetProjection(srs.ExportToWkt())
    ds.SetGeoTransform(transform)
    y, x = np.mgrid[0:H, 0:W]
    for b in range(bands):
        v = (x * 7 + y * 5 + b * 40) % 200 + (3 if dtype.startswith('Float') else 0)
        if dtype.startswith('Float'):
            v = v * 0.37 - 20.5
        if dtype in ('Int8', 'Int16', 'Int32'):
            v = v - 100
        band = ds.GetRasterBand(b + 1)
        band.WriteArray(v.astype(gdal_array_type(dtype)))
        if nodata is not None:
            band.SetNoDataValue(nodata)
    if palette:
        ct = gdal.ColorTable()
        for i in range(256):
            ct.SetColorEntry(i, (i, 255 - i, (i * 3) % 256, 255))
        ds.GetRasterBand(1).SetRasterColorTable(ct)
    return ds


def gdal_array_type(dtype):
    return {'Byte': np.uint8, 'Int8': np.int8, 'UInt16': np.uint16, 'Int16': np.int16, 'UInt32': np.uint32,
            'Int32': np.int32, 'Float32': np.float32, 'Float64': np.float64}[dtype]


TILED = ['-co', 'TILED=YES', '-co', 'BLOCKXSIZE=16', '-co', 'BLOCKYSIZE=16']
COG = ['-of', 'COG', '-co', 'BLOCKSIZE=16', '-co', 'OVERVIEW_RESAMPLING=NEAREST']
UTM = 32633
UTM_T = (600000.0, 10.0, 0.0, 5340000.0, 0.0, -10.0)
LL_T = (11.3, 0.001, 0.0, 47.3, 0.0, -0.001)

# name: (source kwargs, gdal_translate args, mask?)
SEEDS = {
    'u8_cog_deflate_p2': (dict(dtype='Byte', bands=1), COG + ['-co', 'COMPRESS=DEFLATE', '-co', 'PREDICTOR=2'], False),
    'rgb_cog_jpeg': (dict(dtype='Byte', bands=3), COG + ['-co', 'COMPRESS=JPEG', '-co', 'QUALITY=80'], False),
    'rgb_jpeg_ycbcr_mask': (dict(dtype='Byte', bands=3), TILED + ['-co', 'COMPRESS=JPEG', '-co', 'PHOTOMETRIC=YCBCR'], True),
    'rgb_deflate_mask': (dict(dtype='Byte', bands=3), TILED + ['-co', 'COMPRESS=DEFLATE'], True),
    'rgba_cog_webp': (dict(dtype='Byte', bands=4), COG + ['-co', 'COMPRESS=WEBP', '-co', 'QUALITY=70'], False),
    'f32_cog_lerc': (dict(dtype='Float32', bands=1, crs=4326, transform=LL_T), COG + ['-co', 'COMPRESS=LERC', '-co', 'MAX_Z_ERROR=0.01'], False),
    'f32_lerc_deflate': (dict(dtype='Float32', bands=2), TILED + ['-co', 'COMPRESS=LERC_DEFLATE'], False),
    'u16_lerc_zstd': (dict(dtype='UInt16', bands=1), TILED + ['-co', 'COMPRESS=LERC_ZSTD'], False),
    'f32_lzw_p3': (dict(dtype='Float32', bands=1, nodata=-9999), TILED + ['-co', 'COMPRESS=LZW', '-co', 'PREDICTOR=3'], False),
    'f64_zstd_p3': (dict(dtype='Float64', bands=1, nodata=float('nan')), TILED + ['-co', 'COMPRESS=ZSTD', '-co', 'PREDICTOR=3'], False),
    'f64_be_none': (dict(dtype='Float64', bands=1), TILED + ['-co', 'ENDIANNESS=BIG'], False),
    'i16_be_lzw_p2': (dict(dtype='Int16', bands=1, crs=UTM, transform=UTM_T), TILED + ['-co', 'COMPRESS=LZW', '-co', 'PREDICTOR=2', '-co', 'ENDIANNESS=BIG'], False),
    'u16_4b_planar_packbits_strips': (dict(dtype='UInt16', bands=4), ['-co', 'INTERLEAVE=BAND', '-co', 'COMPRESS=PACKBITS', '-co', 'BLOCKYSIZE=7'], False),
    'u32_zstd_p2': (dict(dtype='UInt32', bands=1), TILED + ['-co', 'COMPRESS=ZSTD', '-co', 'PREDICTOR=2'], False),
    'i32_deflate_nodata': (dict(dtype='Int32', bands=1, nodata=-100), TILED + ['-co', 'COMPRESS=DEFLATE'], False),
    'i8_deflate': (dict(dtype='Byte', bands=1), TILED + ['-co', 'COMPRESS=DEFLATE', '-co', 'PIXELTYPE=SIGNEDBYTE'], False),
    'u8_palette_lzw': (dict(dtype='Byte', bands=1, palette=True), TILED + ['-co', 'COMPRESS=LZW'], False),
    'u8_bigtiff_none': (dict(dtype='Byte', bands=2), TILED + ['-co', 'BIGTIFF=YES'], False),
    'u8_bigtiff_be_zstd': (dict(dtype='Byte', bands=1), TILED + ['-co', 'BIGTIFF=YES', '-co', 'ENDIANNESS=BIG', '-co', 'COMPRESS=ZSTD'], False),
    'u8_strips_none_4326_point': (dict(dtype='Byte', bands=1, crs=4326, transform=LL_T), ['-co', 'BLOCKYSIZE=3', '-mo', 'AREA_OR_POINT=Point'], False),
    'u8_rotated': (dict(dtype='Byte', bands=1, crs=UTM, transform=(600000.0, 8.0, 3.0, 5340000.0, 2.0, -9.0)), [], False),
    'rgb_lcc_custom': (dict(dtype='Byte', bands=3, crs='+proj=lcc +lat_0=44.5 +lon_0=11.25 +lat_1=44 +lat_2=45 +x_0=500000 +y_0=100000 +datum=WGS84 +units=m +no_defs'), TILED + ['-co', 'COMPRESS=DEFLATE'], False),
    'u8_sparse_cog': (dict(dtype='Byte', bands=1, nodata=0), COG + ['-co', 'COMPRESS=DEFLATE', '-co', 'SPARSE_OK=TRUE'], False),
    'u8_1bit_refused': (dict(dtype='Byte', bands=1), ['-co', 'NBITS=1'], False),
}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join('test', 'fuzz', 'corpus', 'tiff')
    os.makedirs(out, exist_ok=True)
    for name, (src_args, args, mask) in SEEDS.items():
        src = source(**src_args)
        if name == 'u8_sparse_cog':
            src.GetRasterBand(1).WriteArray(np.zeros((16, 16), np.uint8))
        if mask:
            src.CreateMaskBand(gdal.GMF_PER_DATASET)
            m = np.full((H, W), 255, np.uint8)
            m[:6, :9] = 0
            src.GetRasterBand(1).GetMaskBand().WriteArray(m)
        path = os.path.join(out, f'seed-{name}.tif')
        gdal.SetConfigOption('GDAL_TIFF_INTERNAL_MASK', 'YES')
        gdal.Translate(path, src, options=args)
        for aux in (path + '.aux.xml', path + '.msk'):
            if os.path.exists(aux):
                os.remove(aux)
        print(f'{os.path.getsize(path):6d}  {path}  {" ".join(args)}')


main()
