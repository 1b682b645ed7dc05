#!/usr/bin/python3
"""Make geopera's small GDAL-made raster test fixtures, the AOIs that go with them, and what GDAL
says about each fixture (so tests can check a reader without GDAL present).

usage: /usr/bin/python3 scripts/make_test_fixtures.py [FIXTURES_DIR]     (default: ./test/fixtures)

Writes (overwriting; deterministic):
  FIXTURES_DIR/raster/*.tif            one small GeoTIFF per layout/codec/type case
  FIXTURES_DIR/raster/README.md        table: file, the exact gdal_translate options, what it covers
  FIXTURES_DIR/raster/expected.json    GDAL's view of every fixture (sizes, blocks, overviews, georeferencing,
                                       nodata, mask flags, compression, checksums, pixel probes, raw TIFF tags)
  FIXTURES_DIR/aoi/*.geojson           EPSG:4326 AOIs matched to the fixtures' footprints, valid and invalid
  FIXTURES_DIR/aoi/README.md           which fixture each AOI targets and what it exercises
  FIXTURES_DIR/aoi/index.json          the same, machine-readable

Each fixture is `gdal.Translate(out, src, options=ARGS)` (the same as `gdal_translate ARGS src.tif out.tif`)
from an in-memory source made with numpy (smooth gradients and shapes, so compression is realistic),
sometimes followed by `gdaladdo`. Needs GDAL's Python bindings (Debian python3-gdal) and numpy.
"""
import hashlib
import json
import math
import os
import re
import struct
import sys

import numpy as np
from osgeo import gdal, osr

gdal.UseExceptions()

# ---------------------------------------------------------------- footprints (groups of fixtures)


def srs_of(code_or_proj):
    s = osr.SpatialReference()
    if isinstance(code_or_proj, int):
        s.ImportFromEPSG(code_or_proj)
    else:
        s.ImportFromProj4(code_or_proj)
    s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return s


WGS84 = srs_of(4326)


def merc_origin(lon, lat):
    x, y, _ = osr.CoordinateTransformation(WGS84, srs_of(3857)).TransformPoint(lon, lat)
    return math.floor(x / 10) * 10.0, math.ceil(y / 10) * 10.0


# name: (crs, x0, y0 (top-left), width, height in CRS units)
GROUPS = {
    # Po valley near Bologna, Italy
    "3857": (3857, *merc_origin(11.30, 44.52), 1000.0, 900.0),
    # Vienna, Austria (UTM zone 33N)
    "utm33n": (32633, 600000.0, 5340000.0, 5000.0, 4400.0),
    # the Inn valley near Innsbruck, Austria
    "4326": (4326, 11.30, 47.30, 0.1, 0.08),
}
LCC = "+proj=lcc +lat_0=44.5 +lon_0=11.25 +lat_1=44 +lat_2=45 +x_0=500000 +y_0=100000 +datum=WGS84 +units=m +no_defs"


def group_grid(group, res):
    crs, x0, y0, w, h = GROUPS[group]
    return crs, (x0, res, 0.0, y0, 0.0, -res), int(round(w / res)), int(round(h / res))


# ---------------------------------------------------------------- pixel content


def coords(h, w):
    """Pixel-centre coordinates as fractions of the width and height (broadcastable)."""
    x = ((np.arange(w) + 0.5) / w)[None, :]
    y = ((np.arange(h) + 0.5) / h)[:, None]
    return x, y


def shapes(h, w):
    """Masks of a few shapes, in fractions of the raster (aspect-corrected circles)."""
    x, y = coords(h, w)
    asp = w / h
    circle = ((x - 0.28) * asp) ** 2 + (y - 0.30) ** 2 < 0.16 ** 2
    ring = np.abs(np.sqrt(((x - 0.72) * asp) ** 2 + (y - 0.68) ** 2) - 0.15) < 0.025
    rect = (x > 0.55) & (x < 0.85) & (y > 0.12) & (y < 0.33)
    tri = (y > 0.55) & (y < 0.9) & (np.abs(x - 0.3) < (y - 0.55) * 0.5)
    band = np.abs((x - y) * 0.7071 - 0.05) < 0.02
    return circle, ring, rect, tri, band


def rgb(h, w):
    x, y = coords(h, w)
    r = 40 + 170 * x + 0 * y
    g = 50 + 150 * y + 0 * x
    b = 120 + 80 * np.cos(np.sqrt((x - 0.5) ** 2 + (y - 0.5) ** 2) * 9)
    img = np.stack([r, g, b]).astype(np.float64)
    circle, ring, rect, tri, band = shapes(h, w)
    for m, col in ((circle, (200, 60, 50)), (rect, (40, 70, 170)), (tri, (230, 210, 60)), (ring, (245, 245, 240)),
                   (band, (20, 20, 25))):
        for c in range(3):
            img[c][m] = col[c]
    return np.clip(np.rint(img), 1, 255).astype(np.uint8)


def dem(h, w):
    """Smooth terrain in metres: a valley between two ridges, a few hills, a gentle tilt."""
    x, y = coords(h, w)
    z = 600 + 900 * np.abs(y - 0.5 - 0.1 * np.sin(x * 6)) ** 1.3 * 2
    for cx, cy, s, a in ((0.2, 0.2, 0.08, 380), (0.75, 0.25, 0.12, 520), (0.6, 0.8, 0.1, 300), (0.15, 0.75, 0.06, 240)):
        z = z + a * np.exp(-(((x - cx) ** 2 + (y - cy) ** 2) / (2 * s * s)))
    z = z + 120 * x
    return z


def landcover(h, w):
    """Classes 1..7 from the terrain and shapes (0 is nodata in a corner)."""
    z = dem(h, w)
    x, y = coords(h, w)
    cls = np.full((h, w), 3, np.uint8)            # grassland
    cls[z < 700] = 2                               # cropland
    cls[z > 1050] = 4                              # forest
    cls[z > 1250] = 6                              # bare rock
    circle, ring, rect, tri, band = shapes(h, w)
    cls[rect] = 5                                  # built-up
    cls[np.abs(y - 0.5 - 0.1 * np.sin(x * 6)) < 0.015] = 1   # river
    cls[circle & (z < 900)] = 7                    # wetland
    cls[(x + y) < 0.12 + 0 * x] = 0                # nodata collar (top-left)
    return cls


PALETTE = {0: (0, 0, 0, 0), 1: (40, 90, 200, 255), 2: (230, 200, 90, 255), 3: (150, 200, 90, 255),
           4: (30, 110, 50, 255), 5: (200, 40, 40, 255), 6: (160, 160, 160, 255), 7: (90, 180, 190, 255)}


def collar_right(h, w, frac=0.08, slope=0.05):
    """True on a slanted strip of nodata along the east edge (a scene edge)."""
    x, y = coords(h, w)
    return x > 1 - frac - slope * y


def collar_corner(h, w):
    x, y = coords(h, w)
    return (x + y) < 0.25


# ---------------------------------------------------------------- sources and fixtures


def mem(arrs, gdal_type, group=None, res=None, gt=None, crs=None, colors=None, names=None):
    arrs = np.asarray(arrs)
    if arrs.ndim == 2:
        arrs = arrs[None]
    bands, h, w = arrs.shape
    if colors is None and bands == 3 and gdal_type == gdal.GDT_Byte:
        colors = [gdal.GCI_RedBand, gdal.GCI_GreenBand, gdal.GCI_BlueBand]
    ds = gdal.GetDriverByName("MEM").Create("", w, h, bands, gdal_type)
    if group is not None:
        crs_, gt_, gw, gh = group_grid(group, res)
        assert (gw, gh) == (w, h), (group, res, gw, gh, w, h)
        crs = crs if crs is not None else crs_
        gt = gt if gt is not None else gt_
    ds.SetGeoTransform(gt)
    ds.SetProjection(srs_of(crs).ExportToWkt())
    for i in range(bands):
        b = ds.GetRasterBand(i + 1)
        b.WriteArray(arrs[i])
        if colors:
            b.SetColorInterpretation(colors[i])
        if names:
            b.SetDescription(names[i])
    return ds


def size_of(group, res):
    _, _, w, h = group_grid(group, res)
    return h, w


def fx_rgb_jpeg():
    h, w = size_of("3857", 1.0)
    return mem(rgb(h, w), gdal.GDT_Byte, "3857", 1.0), "RGB uint8 1000x900, EPSG:3857, 1 m"


def fx_rgba(h, w, holes=True):
    a = rgb(h, w)
    x, y = coords(h, w)
    asp = w / h
    # opaque inside a rotated ellipse, transparent outside and in a small square hole
    xr = (x - 0.5) * asp * math.cos(0.5) + (y - 0.5) * math.sin(0.5)
    yr = -(x - 0.5) * asp * math.sin(0.5) + (y - 0.5) * math.cos(0.5)
    alpha = ((xr / 0.62) ** 2 + (yr / 0.42) ** 2 < 1).astype(np.uint8) * 255
    if holes:
        alpha[(np.abs(x - 0.62) < 0.05) & (np.abs(y - 0.5) < 0.06)] = 0
    alpha = np.broadcast_to(alpha, (h, w))
    return np.concatenate([a, alpha[None]], axis=0)


def fx_rgb_jpeg_mask():
    h, w = size_of("3857", 1.0)
    return (mem(fx_rgba(h, w), gdal.GDT_Byte, "3857", 1.0,
                colors=[gdal.GCI_RedBand, gdal.GCI_GreenBand, gdal.GCI_BlueBand, gdal.GCI_AlphaBand]),
            "RGBA uint8 1000x900, EPSG:3857, 1 m; alpha 255 inside a rotated ellipse (with a square hole), 0 outside")


def fx_rgba_webp():
    h, w = size_of("3857", 1.0)
    return (mem(fx_rgba(h, w), gdal.GDT_Byte, "3857", 1.0,
                colors=[gdal.GCI_RedBand, gdal.GCI_GreenBand, gdal.GCI_BlueBand, gdal.GCI_AlphaBand]),
            "RGBA uint8 1000x900, EPSG:3857, 1 m; alpha 255 inside a rotated ellipse, 0 outside")


def fx_rgb_utm_deflate():
    h, w = size_of("utm33n", 5.0)
    a = np.maximum(rgb(h, w) // 4 * 4, 1)
    a[:, collar_corner(h, w)] = 0
    return mem(a, gdal.GDT_Byte, "utm33n", 5.0), \
        "RGB uint8 1000x880 (values in steps of 4), EPSG:32633, 5 m; 0 in a triangle at the top-left corner"


def fx_u16_4b():
    h, w = size_of("utm33n", 10.0)
    base = rgb(h, w).astype(np.float64)
    z = dem(h, w)
    nir = 1500 + 2500 * (z - z.min()) / (z.max() - z.min())
    bands = np.stack([base[0] * 12 + 200, base[1] * 11 + 250, base[2] * 9 + 300, nir])
    bands = np.clip(np.rint(bands), 1, 10000).astype(np.uint16)
    bands[:, collar_right(h, w)] = 0
    return (mem(bands, gdal.GDT_UInt16, "utm33n", 10.0, names=["red", "green", "blue", "nir"]),
            "4 x uint16 500x440 (reflectance-like 200..10000, NIR from terrain), EPSG:32633, 10 m; 0 on a slanted strip at the east edge")


def fx_i16():
    h, w = size_of("utm33n", 10.0)
    z = dem(h, w) - 700      # below sea level in the valley
    a = np.rint(z).astype(np.int16)
    x, y = coords(h, w)
    a[((x - 0.85) * w / h) ** 2 + (y - 0.85) ** 2 < 0.08 ** 2] = -32768
    return mem(a, gdal.GDT_Int16, "utm33n", 10.0), "int16 500x440 terrain (-100..1100 m), EPSG:32633, 10 m; -32768 in a disc (a void)"


def fx_f32_p3():
    h, w = size_of("4326", 0.0002)
    z = np.rint(dem(h, w) * 16) / 16
    x, y = coords(h, w)
    z[((x - 0.45) * w / h) ** 2 + (y - 0.5) ** 2 < 0.06 ** 2] = -9999   # a lake without data
    z[collar_corner(h, w)] = -9999
    return mem(z.astype(np.float32), gdal.GDT_Float32, "4326", 0.0002), \
        "float32 500x400 terrain in 1/16 m steps, EPSG:4326, 0.0002 deg; -9999 in a disc and the top-left corner"


def fx_f64():
    h, w = size_of("4326", 0.0002)
    z = dem(h, w)
    slope = np.hypot(*np.gradient(z)) / 10
    return mem(np.rint(slope * 32) / 32, gdal.GDT_Float64, "4326", 0.0002), \
        "float64 500x400 slope of the terrain (in 1/32 steps), EPSG:4326, 0.0002 deg"


def fx_planar():
    h, w = size_of("3857", 3.125)
    return mem(rgb(h, w), gdal.GDT_Byte, "3857", 3.125), "RGB uint8 320x288, EPSG:3857, 3.125 m"


def fx_u16_be():
    h, w = size_of("utm33n", 10.0)
    z = dem(h, w)
    return mem(np.rint(z * 10).astype(np.uint16), gdal.GDT_UInt16, "utm33n", 10.0), \
        "uint16 500x440 terrain in decimetres (6000..16000), EPSG:32633, 10 m"


def fx_bigtiff_zstd():
    h, w = size_of("4326", 0.0001)
    z = dem(h, w)
    gy, gx = np.gradient(z)
    shade = np.clip(180 + (gx - gy) * 6, 1, 255)    # a hillshade
    return mem(np.rint(shade).astype(np.uint8), gdal.GDT_Byte, "4326", 0.0001), \
        "uint8 1000x800 hillshade, EPSG:4326, 0.0001 deg"


def fx_lerc():
    h, w = size_of("4326", 0.0002)
    z = dem(h, w).astype(np.float32)
    x, y = coords(h, w)
    z[((x - 0.45) * w / h) ** 2 + (y - 0.5) ** 2 < 0.06 ** 2] = -9999
    return mem(z, gdal.GDT_Float32, "4326", 0.0002), "float32 500x400 terrain (full precision), EPSG:4326, 0.0002 deg; -9999 in a disc"


def fx_i8():
    h, w = size_of("3857", 2.5)
    x, y = coords(h, w)
    v = np.rint(100 * np.sin(x * 5) * np.cos(y * 4)).astype(np.int16)
    v[collar_corner(h, w)] = -128
    ds = mem((v & 0xFF).astype(np.uint8), gdal.GDT_Byte, "3857", 2.5)
    ds.GetRasterBand(1).SetMetadataItem("PIXELTYPE", "SIGNEDBYTE", "IMAGE_STRUCTURE")
    return ds, "int8 400x360 (-100..100; GDAL 3.6 has no Int8 type: Byte with PIXELTYPE=SIGNEDBYTE), EPSG:3857, 2.5 m; -128 in the top-left corner"


def fx_u32():
    h, w = size_of("utm33n", 10.0)
    x, y = coords(h, w)
    v = np.rint(3_000_000_000 + 1_200_000_000 * x * y + 1000 * np.sin(y * 20)).astype(np.uint64)
    v[collar_right(h, w)] = 0
    return mem(v.astype(np.uint32), gdal.GDT_UInt32, "utm33n", 10.0), \
        "uint32 500x440 (3.0e9..4.2e9, above 2^31), EPSG:32633, 10 m; 0 on a strip at the east edge"


def fx_i32():
    h, w = size_of("4326", 0.0002)
    z = dem(h, w)
    v = np.rint((z - 900) * 100).astype(np.int64)      # centimetres, negative in the valley
    v[collar_corner(h, w)] = -2147483648
    return mem(v.astype(np.int32), gdal.GDT_Int32, "4326", 0.0002), \
        "int32 500x400 terrain in cm relative to 900 m (negative and positive), EPSG:4326, 0.0002 deg; INT32_MIN in the top-left corner"


def fx_packbits():
    h, w = size_of("3857", 2.5)
    cls = landcover(h, w)
    grey = np.array([0, 40, 200, 150, 70, 230, 120, 100], np.uint8)[cls]
    return mem(grey, gdal.GDT_Byte, "3857", 2.5), "uint8 400x360 posterised classes (flat runs), EPSG:3857, 2.5 m"


def fx_palette():
    h, w = size_of("3857", 2.0)
    ds = mem(landcover(h, w), gdal.GDT_Byte, "3857", 2.0)
    ct = gdal.ColorTable()
    for k, c in PALETTE.items():
        ct.SetColorEntry(k, c)
    b = ds.GetRasterBand(1)
    b.SetRasterColorTable(ct)
    b.SetRasterColorInterpretation(gdal.GCI_PaletteIndex)
    return ds, "uint8 500x450 land-cover classes 0..7 with an 8-entry colour table, EPSG:3857, 2 m; class 0 (nodata) in the top-left corner"


def fx_sparse():
    h, w = size_of("3857", 1.0)
    a = rgb(h, w)[1]
    x, y = coords(h, w)
    a[~((np.abs(x - 0.5) < 0.3) & (np.abs(y - 0.5) < 0.25)) & ~((x < 0.25) & (y > 0.8))] = 0
    return mem(a, gdal.GDT_Byte, "3857", 1.0), "uint8 1000x900, EPSG:3857, 1 m; 0 everywhere but a central rectangle and the bottom-left corner"


def fx_pixelispoint():
    h, w = size_of("4326", 0.0002)
    z = dem(h, w)
    return mem(np.rint((z - z.min()) / (z.max() - z.min()) * 250 + 1).astype(np.uint8), gdal.GDT_Byte, "4326", 0.0002), \
        "uint8 500x400 scaled terrain, EPSG:4326, 0.0002 deg"


def fx_rotated():
    _, x0, y0, _, _ = GROUPS["utm33n"]
    h, w = 400, 450
    a = rgb(h, w)[0]
    ang = math.radians(10.0)
    res = 10.0
    # GDAL geotransform with rotation terms -> TIFF ModelTransformationTag
    gt = (x0 + 500.0, res * math.cos(ang), res * math.sin(ang), y0 - 200.0, res * math.sin(ang), -res * math.cos(ang))
    return mem(a, gdal.GDT_Byte, gt=gt, crs=32633), \
        "uint8 450x400, EPSG:32633, 10 m pixels rotated 10 degrees (geotransform with rotation terms)"


def fx_custom_crs():
    crs, x0, y0, w_m, h_m = GROUPS["3857"]
    lcc = srs_of(LCC)
    tr = osr.CoordinateTransformation(srs_of(3857), lcc)
    pts = [tr.TransformPoint(x, y)[:2] for x in (x0, x0 + w_m) for y in (y0, y0 - h_m)]
    res = 2.5
    lx0 = math.floor(min(p[0] for p in pts) / res) * res
    ly0 = math.ceil(max(p[1] for p in pts) / res) * res
    w = int(math.ceil((max(p[0] for p in pts) - lx0) / res))
    h = int(math.ceil((ly0 - min(p[1] for p in pts)) / res))
    return mem(rgb(h, w), gdal.GDT_Byte, gt=(lx0, res, 0.0, ly0, 0.0, -res), crs=LCC), \
        f"RGB uint8 {w}x{h}, a user-defined Lambert conformal conic CRS ({LCC}), 2.5 m, over the 3857 group's footprint"


COG = ["-of", "COG"]
NOTES = {
    "i8_3857_deflate_cog.tif": "GDAL 3.6 reads this file as Byte with PIXELTYPE=SIGNEDBYTE and ignores its nodata -128 "
                               "(out of Byte range): mask_flags are ALL_VALID and valid_pixels counts every pixel. "
                               "GDAL 3.7+ reads Int8 and honours the nodata. A reader should treat -128 as nodata.",
}
FIXTURES = [
    # file, source, gdal_translate args, gdaladdo args or None, covers, is_cog, group
    ("rgb_u8_3857_jpeg_cog.tif", fx_rgb_jpeg,
     COG + ["-co", "COMPRESS=JPEG", "-co", "QUALITY=85", "-co", "BLOCKSIZE=256"], None,
     "JPEG in YCbCr with JPEGTables, 256 px tiles, partial edge tiles, 2 overviews", True, "3857"),
    ("rgb_u8_3857_jpeg_mask_cog.tif", fx_rgb_jpeg_mask,
     ["-b", "1", "-b", "2", "-b", "3", "-mask", "4"] + COG + ["-co", "COMPRESS=JPEG", "-co", "QUALITY=85", "-co", "BLOCKSIZE=256"], None,
     "GDAL internal mask (per-dataset: a 1-bit DEFLATE mask IFD, NewSubfileType 4, after the full-resolution IFD, and mask overviews, type 5) beside JPEG YCbCr", True, "3857"),
    ("rgb_u8_utm33n_deflate_cog.tif", fx_rgb_utm_deflate,
     ["-a_nodata", "0"] + COG + ["-co", "COMPRESS=DEFLATE", "-co", "BLOCKSIZE=256"], None,
     "DEFLATE without predictor, pixel-interleaved RGB, nodata 0 (GDAL_NODATA), a UTM CRS, 2 overviews", True, "utm33n"),
    ("rgba_u8_3857_webp_cog.tif", fx_rgba_webp,
     COG + ["-co", "COMPRESS=WEBP", "-co", "QUALITY=90", "-co", "BLOCKSIZE=256"], None,
     "WEBP (lossy, with alpha), 4 bands with an alpha band (ExtraSamples=2 unassociated alpha)", True, "3857"),
    ("u16_4b_utm33n_deflate_p2_cog.tif", fx_u16_4b,
     ["-a_nodata", "0"] + COG + ["-co", "COMPRESS=DEFLATE", "-co", "PREDICTOR=2", "-co", "BLOCKSIZE=256"], None,
     "uint16, 4 bands pixel-interleaved, horizontal predictor on 16-bit samples, nodata 0, band descriptions", True, "utm33n"),
    ("i16_utm33n_lzw_tiled.tif", fx_i16,
     ["-a_nodata", "-32768", "-of", "GTiff", "-co", "TILED=YES", "-co", "BLOCKXSIZE=256", "-co", "BLOCKYSIZE=128",
      "-co", "COMPRESS=LZW", "-co", "PREDICTOR=2"], ["-r", "average", "2", "4"],
     "int16 with negative values, LZW + predictor 2, non-square 256x128 tiles, NOT a COG: overviews appended by gdaladdo after the full-resolution data, nodata -32768", False, "utm33n"),
    ("f32_4326_deflate_p3_cog.tif", fx_f32_p3,
     ["-a_nodata", "-9999"] + COG + ["-co", "COMPRESS=DEFLATE", "-co", "PREDICTOR=3", "-co", "BLOCKSIZE=256"], None,
     "float32, floating-point predictor (3), EPSG:4326 (geographic, degrees), nodata -9999", True, "4326"),
    ("f64_4326_lzw.tif", fx_f64,
     ["-of", "GTiff", "-co", "COMPRESS=LZW"], None,
     "float64, LZW, striped (GDAL's default RowsPerStrip), no overviews, no nodata", False, "4326"),
    ("u8_planar_3b_striped.tif", fx_planar,
     ["-of", "GTiff", "-co", "INTERLEAVE=BAND", "-co", "BLOCKYSIZE=20", "-co", "COMPRESS=NONE"], None,
     "PlanarConfiguration=2 (band-interleaved), uncompressed strips of 20 rows (the last strip partial: 288 = 14 x 20 + 8)", False, "3857"),
    ("u16_be_tiled.tif", fx_u16_be,
     ["-of", "GTiff", "-co", "ENDIANNESS=BIG", "-co", "TILED=YES", "-co", "BLOCKXSIZE=256", "-co", "BLOCKYSIZE=256",
      "-co", "COMPRESS=DEFLATE", "-co", "PREDICTOR=2"], None,
     "big-endian TIFF ('MM'), uint16 samples and predictor 2 in big-endian order, tiled, no overviews", False, "utm33n"),
    ("u8_bigtiff_zstd_cog.tif", fx_bigtiff_zstd,
     COG + ["-co", "BIGTIFF=YES", "-co", "COMPRESS=ZSTD", "-co", "PREDICTOR=2", "-co", "BLOCKSIZE=512"], None,
     "BigTIFF (version 43, 8-byte offsets), ZSTD + predictor 2, 512 px tiles, 1 overview", True, "4326"),
    ("f32_lerc_cog.tif", fx_lerc,
     ["-a_nodata", "-9999"] + COG + ["-co", "COMPRESS=LERC", "-co", "MAX_Z_ERROR=0.05", "-co", "BLOCKSIZE=256"], None,
     "LERC (lossy, max error 0.05), float32, nodata -9999 (LERC blobs carry a valid-pixel mask)", True, "4326"),
    ("i8_3857_deflate_cog.tif", fx_i8,
     ["-a_nodata", "-128"] + COG + ["-co", "COMPRESS=DEFLATE", "-co", "BLOCKSIZE=256"], None,
     "int8 (SampleFormat=2, 8 bits), negative values, nodata -128", True, "3857"),
    ("u32_utm33n_zstd_cog.tif", fx_u32,
     ["-a_nodata", "0"] + COG + ["-co", "COMPRESS=ZSTD", "-co", "PREDICTOR=2", "-co", "BLOCKSIZE=256"], None,
     "uint32 values above 2^31, ZSTD + predictor 2 on 32-bit samples, nodata 0", True, "utm33n"),
    ("i32_4326_deflate_cog.tif", fx_i32,
     ["-a_nodata", "-2147483648"] + COG + ["-co", "COMPRESS=DEFLATE", "-co", "PREDICTOR=2", "-co", "BLOCKSIZE=256"], None,
     "int32 negative and positive, predictor 2 on 32-bit samples, nodata INT32_MIN", True, "4326"),
    ("u8_packbits.tif", fx_packbits,
     ["-of", "GTiff", "-co", "COMPRESS=PACKBITS"], None,
     "PackBits, striped, single band", False, "3857"),
    ("palette_u8_cog.tif", fx_palette,
     ["-a_nodata", "0"] + COG + ["-co", "COMPRESS=DEFLATE", "-co", "BLOCKSIZE=256"], None,
     "Photometric=Palette with a ColorMap, categorical data (COG overviews resampled NEAREST), nodata 0", True, "3857"),
    # ---- beyond the brief's list: georeferencing and layout cases the reader must handle or refuse clearly
    ("u8_sparse_3857_deflate_cog.tif", fx_sparse,
     ["-a_nodata", "0"] + COG + ["-co", "COMPRESS=DEFLATE", "-co", "BLOCKSIZE=256", "-co", "SPARSE_OK=TRUE"], None,
     "sparse COG: tiles that are all nodata are not written (TileOffsets and TileByteCounts 0), as clip outputs are", True, "3857"),
    ("u8_4326_pixelispoint.tif", fx_pixelispoint,
     ["-mo", "AREA_OR_POINT=Point", "-of", "GTiff", "-co", "TILED=YES", "-co", "COMPRESS=DEFLATE"], None,
     "GTRasterTypeGeoKey = RasterPixelIsPoint: the tiepoint is a pixel centre (GDAL's geotransform is shifted by half a pixel)", False, "4326"),
    ("u8_utm33n_rotated.tif", fx_rotated,
     ["-of", "GTiff", "-co", "TILED=YES", "-co", "COMPRESS=DEFLATE"], None,
     "ModelTransformationTag (a rotated grid) instead of ModelPixelScale + ModelTiepoint: clip must handle or refuse it clearly", False, "utm33n"),
    ("rgb_u8_lcc_custom_crs.tif", fx_custom_crs,
     ["-of", "GTiff", "-co", "TILED=YES", "-co", "COMPRESS=DEFLATE", "-co", "PREDICTOR=2"], None,
     "a user-defined projected CRS (ProjectedCSTypeGeoKey 32767, LCC parameters in GeoKeys), no EPSG code", False, "3857"),
]


# ---------------------------------------------------------------- AOIs


def to_lonlat(group, fx, fy):
    crs, x0, y0, w, h = GROUPS[group]
    x = x0 + fx * w
    y = y0 - fy * h
    if crs == 4326:
        return [round(x, 7), round(y, 7)]
    lon, lat, _ = osr.CoordinateTransformation(srs_of(crs), WGS84).TransformPoint(x, y)
    return [round(lon, 7), round(lat, 7)]


def signed_area(ring):
    return sum(ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1] for i in range(len(ring) - 1)) / 2


def ring(group, pts, hole=False, close=True):
    r = [to_lonlat(group, x, y) for x, y in pts]
    if close:
        r.append(list(r[0]))
        # RFC 7946: exterior rings counter-clockwise, holes clockwise
        if (signed_area(r) < 0) != hole:
            r.reverse()
    return r


def regular(cx, cy, rx, ry, n, rot=0.0):
    return [(cx + rx * math.cos(rot + 2 * math.pi * k / n), cy + ry * math.sin(rot + 2 * math.pi * k / n)) for k in range(n)]


def poly(*rings):
    return {"type": "Polygon", "coordinates": list(rings)}


def feature(geom, **props):
    return {"type": "Feature", "properties": props, "geometry": geom}


def targets(group):
    return [f for f, _, _, _, _, _, g in FIXTURES if g == group]


def make_aois():
    """(file, geojson, valid, what it exercises, footprint) tuples."""
    out = []
    g = "3857"
    out.append(("3857_rect_inside.geojson", poly(ring(g, [(0.12, 0.1), (0.88, 0.1), (0.88, 0.9), (0.12, 0.9)])), True,
                "inside the raster, many whole tiles (passthrough) and a boundary on four sides", g))
    out.append(("3857_multipolygon_two_parts.geojson",
                {"type": "MultiPolygon", "coordinates": [
                    [ring(g, [(0.08, 0.08), (0.45, 0.15), (0.2, 0.5)])],
                    [ring(g, regular(0.68, 0.62, 0.22, 0.25, 5, 0.3))]]}, True,
                "a MultiPolygon of two disjoint parts (a triangle and a pentagon), both inside", g))
    out.append(("3857_partly_outside.geojson",
                feature(poly(ring(g, [(0.55, -0.25), (1.3, -0.1), (1.2, 0.55), (0.5, 0.45)])), name="partly outside"), True,
                "a Feature whose polygon crosses the north and east edges: the output is cut to the raster", g))
    out.append(("3857_covers_all.geojson", poly(ring(g, [(-0.1, -0.1), (1.1, -0.1), (1.1, 1.1), (-0.1, 1.1)])), True,
                "larger than the raster on every side: the whole raster, every tile passthrough", g))
    out.append(("3857_entirely_outside.geojson", poly(ring(g, [(1.25, 0.2), (1.6, 0.2), (1.6, 0.7), (1.25, 0.7)])), True,
                "valid but does not touch the raster: aoi_outside_area", g))
    out.append(("3857_small_in_one_tile.geojson", poly(ring(g, regular(0.4, 0.4, 0.03, 0.04, 12))), True,
                "a small 12-gon inside one 256 px tile of the 1 m rasters (output of one tile, no overview needed)", g))
    g = "utm33n"
    out.append(("utm33n_hole_inside.geojson",
                poly(ring(g, [(0.15, 0.12), (0.85, 0.1), (0.92, 0.6), (0.7, 0.9), (0.2, 0.86), (0.08, 0.5)]),
                     ring(g, [(0.38, 0.34), (0.62, 0.34), (0.62, 0.58), (0.38, 0.58)], hole=True)), True,
                "a polygon with a hole, all inside: pixels in the hole are masked", g))
    out.append(("utm33n_partly_outside.geojson", poly(ring(g, regular(0.0, 1.0, 0.45, 0.5, 24))), True,
                "a 24-gon centred on the south-west corner: three quarters outside", g))
    out.append(("utm33n_entirely_outside.geojson", poly(ring(g, [(-0.6, 0.2), (-0.2, 0.2), (-0.2, 0.6), (-0.6, 0.6)])), True,
                "valid but west of the raster: aoi_outside_area", g))
    g = "4326"
    out.append(("4326_featurecollection.geojson",
                {"type": "FeatureCollection", "features": [
                    feature(poly(ring(g, [(0.1, 0.1), (0.45, 0.12), (0.4, 0.45), (0.12, 0.4)])), name="field A"),
                    feature({"type": "MultiPolygon", "coordinates": [
                        [ring(g, [(0.55, 0.55), (0.9, 0.6), (0.7, 0.9)])],
                        [ring(g, regular(0.75, 0.25, 0.1, 0.12, 8))]]}, name="fields B and C")]}, True,
                "a FeatureCollection of a Polygon and a MultiPolygon: the union of all three parts", g))
    out.append(("4326_hole_inside.geojson",
                feature(poly(ring(g, [(0.1, 0.1), (0.9, 0.1), (0.9, 0.9), (0.1, 0.9)]),
                             ring(g, regular(0.3, 0.5, 0.1, 0.15, 16), hole=True),
                             ring(g, [(0.6, 0.3), (0.8, 0.3), (0.8, 0.7), (0.6, 0.7)], hole=True)), name="two holes"), True,
                "a Feature: a polygon with two holes (one a 16-gon over the nodata lake of the float rasters)", g))
    g = "3857"
    out.append(("invalid_bowtie.geojson", poly(ring(g, [(0.2, 0.2), (0.8, 0.8), (0.8, 0.2), (0.2, 0.8)])), False,
                "self-intersecting ring (a bow-tie): rejected, or repaired and reported", g))
    r = ring(g, [(0.2, 0.2), (0.8, 0.2), (0.8, 0.8), (0.2, 0.8)], close=False)
    out.append(("invalid_unclosed_ring.geojson", poly(r), False, "exterior ring whose last position is not its first", g))
    r = ring(g, [(0.2, 0.2), (0.8, 0.2)], close=False)
    out.append(("invalid_ring_three_positions.geojson", poly(r + [list(r[0])]), False,
                "a closed ring of only 3 positions (RFC 7946 needs 4 or more)", g))
    r = ring(g, [(0.2, 0.2), (0.8, 0.2), (0.8, 0.8), (0.2, 0.8)])
    r[2] = [200.0, r[2][1]]
    out.append(("invalid_lon_200.geojson", poly(r), False, "a longitude of 200 (outside -180..180)", g))
    out.append(("invalid_hole_outside_shell.geojson",
                poly(ring(g, [(0.1, 0.1), (0.45, 0.1), (0.45, 0.9), (0.1, 0.9)]),
                     ring(g, [(0.6, 0.3), (0.8, 0.3), (0.8, 0.6), (0.6, 0.6)], hole=True)), False,
                "a hole that lies outside its exterior ring", g))
    out.append(("invalid_point_geometry.geojson", {"type": "Point", "coordinates": to_lonlat(g, 0.5, 0.5)}, False,
                "a Point: not a Polygon, MultiPolygon, Feature or FeatureCollection of them", g))
    return out


def check_aoi(name, geom, valid):
    """Cross-check with GEOS (through OGR) that each AOI is as valid or invalid as its name says."""
    from osgeo import ogr
    ogr.UseExceptions()
    geoms = [f["geometry"] for f in geom["features"]] if geom["type"] == "FeatureCollection" else \
        [geom["geometry"] if geom["type"] == "Feature" else geom]
    ok = True
    for gj in geoms:
        if gj["type"] not in ("Polygon", "MultiPolygon"):
            ok = False
            continue
        polys = [gj["coordinates"]] if gj["type"] == "Polygon" else gj["coordinates"]
        for rings in polys:
            for r in rings:
                if len(r) < 4 or r[0] != r[-1] or any(not (-180 <= p[0] <= 180 and -90 <= p[1] <= 90) for p in r):
                    ok = False
        if ok:
            g = ogr.CreateGeometryFromJson(json.dumps(gj))
            gdal.PushErrorHandler("CPLQuietErrorHandler")
            ok = g is not None and g.IsValid()
            gdal.PopErrorHandler()
    if ok != valid:
        raise SystemExit(f"AOI {name}: GEOS says valid={ok}, expected {valid}")


# ---------------------------------------------------------------- TIFF tags, read directly


TYPES = {1: ("B", 1), 2: ("s", 1), 3: ("H", 2), 4: ("I", 4), 5: ("II", 8), 6: ("b", 1), 7: ("B", 1), 8: ("h", 2),
         9: ("i", 4), 10: ("ii", 8), 11: ("f", 4), 12: ("d", 8), 16: ("Q", 8), 17: ("q", 8), 18: ("Q", 8)}


def read_tiff(path):
    """The raw TIFF structure: header, and for each IFD its tags of interest (values short-listed)."""
    with open(path, "rb") as f:
        data = f.read()
    bo = data[:2].decode()
    e = "<" if bo == "II" else ">"
    version = struct.unpack(e + "H", data[2:4])[0]
    big = version == 43
    if big:
        off = struct.unpack(e + "Q", data[8:16])[0]
    else:
        off = struct.unpack(e + "I", data[4:8])[0]
    ifds = []
    while off:
        if big:
            n = struct.unpack(e + "Q", data[off:off + 8])[0]
            p = off + 8
            esz = 20
        else:
            n = struct.unpack(e + "H", data[off:off + 2])[0]
            p = off + 2
            esz = 12
        tags = {}
        for i in range(n):
            ent = data[p + i * esz:p + (i + 1) * esz]
            tag, typ = struct.unpack(e + "HH", ent[:4])
            if big:
                cnt = struct.unpack(e + "Q", ent[4:12])[0]
                raw = ent[12:20]
            else:
                cnt = struct.unpack(e + "I", ent[4:8])[0]
                raw = ent[8:12]
            fmt, sz = TYPES[typ]
            total = sz * cnt
            if total > len(raw):
                voff = struct.unpack(e + ("Q" if big else "I"), raw)[0]
                buf = data[voff:voff + total]
            else:
                buf = raw[:total]
            if typ == 2:
                val = buf.rstrip(b"\0").decode("latin-1")
            elif typ in (5, 10):
                v = struct.unpack(e + fmt[0] * (2 * cnt), buf)
                val = [v[2 * k] / v[2 * k + 1] if v[2 * k + 1] else None for k in range(cnt)]
            elif typ == 7:
                val = buf
            else:
                val = list(struct.unpack(e + fmt * cnt, buf))
            tags[tag] = (typ, cnt, val)
        p += n * esz
        off = struct.unpack(e + ("Q" if big else "I"), data[p:p + (8 if big else 4)])[0]
        ifds.append(tags)
    ghost = data[16 if big else 8:16 + 400].split(b"\n")[0].decode("latin-1") if b"GDAL_STRUCTURAL_METADATA" in data[:200] else None
    return {"byte_order": bo, "bigtiff": big, "ghost": ghost}, ifds, len(data)


def first(tags, t, default=None):
    return tags[t][2][0] if t in tags else default


def summarise_ifd(tags):
    tiled = 322 in tags
    offs = tags[324 if tiled else 273][2]
    counts = tags[325 if tiled else 279][2]
    s = {
        "subfile_type": first(tags, 254, 0),
        "width": first(tags, 256), "height": first(tags, 257),
        "bits_per_sample": tags[258][2] if 258 in tags else [1],
        "samples_per_pixel": first(tags, 277, 1),
        "sample_format": tags[339][2] if 339 in tags else [1],
        "compression": first(tags, 259, 1),
        "photometric": first(tags, 262),
        "planar_config": first(tags, 284, 1),
        "predictor": first(tags, 317, 1),
        "tiled": tiled,
        "block": [first(tags, 322), first(tags, 323)] if tiled else [first(tags, 256), first(tags, 278, first(tags, 257))],
        "chunk_count": len(offs),
        "empty_chunks": sum(1 for o, c in zip(offs, counts) if o == 0 and c == 0),
        "chunk_bytes": sum(counts),
    }
    if 338 in tags:
        s["extra_samples"] = tags[338][2]
    if 347 in tags:
        s["jpeg_tables_bytes"] = tags[347][1]
    if 530 in tags:
        s["ycbcr_subsampling"] = tags[530][2]
    if 42113 in tags:
        s["gdal_nodata"] = tags[42113][2]
    if 320 in tags:
        s["color_map_entries"] = tags[320][1] // 3
    return s


GEOKEY_NAMES = {1024: "GTModelTypeGeoKey", 1025: "GTRasterTypeGeoKey", 1026: "GTCitationGeoKey",
                2048: "GeographicTypeGeoKey", 2049: "GeogCitationGeoKey", 2050: "GeogGeodeticDatumGeoKey",
                2054: "GeogAngularUnitsGeoKey", 2056: "GeogEllipsoidGeoKey", 2057: "GeogSemiMajorAxisGeoKey",
                2058: "GeogSemiMinorAxisGeoKey", 2059: "GeogInvFlatteningGeoKey", 2061: "GeogPrimeMeridianLongGeoKey",
                3072: "ProjectedCSTypeGeoKey", 3073: "PCSCitationGeoKey", 3074: "ProjectionGeoKey",
                3075: "ProjCoordTransGeoKey", 3076: "ProjLinearUnitsGeoKey", 3078: "ProjStdParallel1GeoKey",
                3079: "ProjStdParallel2GeoKey", 3080: "ProjNatOriginLongGeoKey", 3081: "ProjNatOriginLatGeoKey",
                3082: "ProjFalseEastingGeoKey", 3083: "ProjFalseNorthingGeoKey", 3084: "ProjFalseOriginLongGeoKey",
                3085: "ProjFalseOriginLatGeoKey", 3086: "ProjFalseOriginEastingGeoKey",
                3087: "ProjFalseOriginNorthingGeoKey", 3088: "ProjCenterLongGeoKey", 3089: "ProjCenterLatGeoKey",
                3092: "ProjScaleAtNatOriginGeoKey", 4096: "VerticalCSTypeGeoKey"}


def geokeys(tags):
    if 34735 not in tags:
        return None
    d = tags[34735][2]
    dbl = tags[34736][2] if 34736 in tags else []
    asc = tags[34737][2] if 34737 in tags else ""
    out = {}
    for k in range(d[3]):
        key, loc, cnt, val = d[4 + 4 * k:8 + 4 * k]
        if loc == 0:
            v = val
        elif loc == 34736:
            v = dbl[val:val + cnt] if cnt > 1 else dbl[val]
        elif loc == 34737:
            v = asc[val:val + cnt].rstrip("|")
        else:
            v = None
        out[GEOKEY_NAMES.get(key, str(key))] = v
    return out


# ---------------------------------------------------------------- what GDAL says


DTYPES = {"Byte": "uint8", "UInt16": "uint16", "Int16": "int16", "UInt32": "uint32", "Int32": "int32",
          "Float32": "float32", "Float64": "float64"}
MASK_FLAGS = {1: "ALL_VALID", 2: "PER_DATASET", 4: "ALPHA", 8: "NODATA"}


def jnum(v):
    if isinstance(v, (np.floating, float)):
        v = float(v)
        if math.isnan(v):
            return "nan"
        return int(v) if v.is_integer() and abs(v) < 2 ** 53 else v
    if isinstance(v, (np.integer,)):
        return int(v)
    return v


def describe(path, is_cog):
    ds = gdal.Open(path)
    b1 = ds.GetRasterBand(1)
    srs = ds.GetSpatialRef()
    epsg = None
    if srs is not None:
        code = srs.GetAuthorityCode(None)
        epsg = int(code) if code and srs.GetAuthorityName(None) == "EPSG" else None
    ist = ds.GetMetadata("IMAGE_STRUCTURE")
    signed = b1.GetMetadataItem("PIXELTYPE", "IMAGE_STRUCTURE") == "SIGNEDBYTE"
    dtype = "int8" if signed else DTYPES[gdal.GetDataTypeName(b1.DataType)]
    header, ifds, size = read_tiff(path)
    bands = []
    for i in range(ds.RasterCount):
        b = ds.GetRasterBand(i + 1)
        flags = b.GetMaskFlags()
        nd = b.GetNoDataValue()
        arr = b.ReadAsArray()
        if signed:
            arr = arr.astype(np.int8)
        valid = b.GetMaskBand().ReadAsArray() > 0
        vals = arr[valid]
        ct = b.GetColorTable()
        bd = {
            "band": i + 1,
            "description": b.GetDescription() or None,
            "color_interp": gdal.GetColorInterpretationName(b.GetColorInterpretation()),
            "nodata": jnum(nd) if nd is not None else None,
            "mask_flags": flags,
            "mask_flag_names": [n for bit, n in MASK_FLAGS.items() if flags & bit],
            "checksum": b.Checksum(),
            "mask_checksum": b.GetMaskBand().Checksum(),
            "valid_pixels": int(valid.sum()),
            "min": jnum(vals.min()) if vals.size else None,
            "max": jnum(vals.max()) if vals.size else None,
            "sha256": hashlib.sha256(np.ascontiguousarray(arr).astype(arr.dtype.newbyteorder("<")).tobytes()).hexdigest(),
            "overviews": [],
        }
        if ct is not None:
            bd["color_table"] = [list(ct.GetColorEntry(k)) for k in range(ct.GetCount())]
        for o in range(b.GetOverviewCount()):
            ov = b.GetOverview(o)
            bd["overviews"].append({"width": ov.XSize, "height": ov.YSize, "block": list(ov.GetBlockSize()),
                                    "checksum": ov.Checksum(), "mask_checksum": ov.GetMaskBand().Checksum()})
        bands.append(bd)
    h, w = ds.RasterYSize, ds.RasterXSize
    probes = []
    for (x, y) in [(0, 0), (w - 1, 0), (0, h - 1), (w - 1, h - 1), (w // 2, h // 2), (min(300, w - 1), min(140, h - 1)),
                   (min(w - 1, 257), min(h - 1, 511)), (w // 8, h // 8)]:
        vals = []
        for i in range(ds.RasterCount):
            v = ds.GetRasterBand(i + 1).ReadAsArray(x, y, 1, 1)[0, 0]
            if signed:
                v = np.int8(np.uint8(v))
            vals.append(jnum(v))
        m = int(ds.GetRasterBand(1).GetMaskBand().ReadAsArray(x, y, 1, 1)[0, 0])
        probes.append({"x": x, "y": y, "values": vals, "mask": m})
    cog = None
    if True:
        from osgeo_utils.samples import validate_cloud_optimized_geotiff as v
        try:
            warnings, errors, _ = v.validate(path, full_check=True)
        except v.ValidateCloudOptimizedGeoTIFFException as ex:
            warnings, errors = [], [str(ex)]
        cog = {"valid": not errors, "errors": errors, "warnings": warnings}
    first_ifd = ifds[0]
    geo = {
        "model_pixel_scale": first_ifd[33550][2] if 33550 in first_ifd else None,
        "model_tiepoint": first_ifd[33922][2] if 33922 in first_ifd else None,
        "model_transformation": first_ifd[34264][2] if 34264 in first_ifd else None,
        "geokeys": geokeys(first_ifd),
    }
    out = {
        "file_size": size,
        "width": w, "height": h, "band_count": ds.RasterCount,
        "data_type": dtype, "gdal_data_type": gdal.GetDataTypeName(b1.DataType),
        "block": list(b1.GetBlockSize()),
        "compression": ist.get("COMPRESSION", "NONE"),
        "interleave": ist.get("INTERLEAVE"),
        "layout": ist.get("LAYOUT"),
        "overviews": [[o["width"], o["height"]] for o in bands[0]["overviews"]],
        "geotransform": [jnum(v) for v in ds.GetGeoTransform()],
        "epsg": epsg,
        "proj4": srs.ExportToProj4() if srs is not None else None,
        "area_or_point": ds.GetMetadataItem("AREA_OR_POINT"),
        "nodata": bands[0]["nodata"],
        "mask_flags": bands[0]["mask_flags"],
        "has_internal_mask": any(t[254][2][0] & 4 for t in ifds if 254 in t),
        "bands": bands,
        "probes": probes,
        "cog": cog,
        "made_as_cog": is_cog,
        "tiff": {**header, "ifds": [summarise_ifd(t) for t in ifds], "georef": geo},
    }
    ds = None
    return out


# ---------------------------------------------------------------- main


def pretty_json(obj):
    """Indented JSON with every list of numbers (a geotransform, a colour entry) on one line."""
    text = json.dumps(obj, indent=1)
    return re.sub(r"\[\s*(-?[0-9.eE+-]+(?:,\s*-?[0-9.eE+-]+)*)\s*\]",
                  lambda m: "[" + ", ".join(x.strip() for x in m.group(1).split(",")) + "]", text) + "\n"


def cli(args, src_name, out_name):
    def q(a):
        return a if re.fullmatch(r"[A-Za-z0-9_.=:/+-]+", a) else "'" + a + "'"
    return "gdal_translate " + " ".join(q(a) for a in args) + f" {src_name} {out_name}"


def main():
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join("test", "fixtures"))
    rdir = os.path.join(root, "raster")
    adir = os.path.join(root, "aoi")
    os.makedirs(rdir, exist_ok=True)
    os.makedirs(adir, exist_ok=True)
    gdal.SetConfigOption("GDAL_PAM_ENABLED", "NO")
    expected = {"generator": "scripts/make_test_fixtures.py", "gdal_version": gdal.__version__, "fixtures": {}}
    rows = []
    failed = []
    for name, make, args, addo, covers, is_cog, group in FIXTURES:
        out = os.path.join(rdir, name)
        for p in (out, out + ".aux.xml", out + ".ovr"):
            if os.path.exists(p):
                os.remove(p)
        src, src_desc = make()
        try:
            gdal.Translate(out, src, options=args)
            if addo:
                ds = gdal.Open(out, gdal.GA_Update)
                resampling = addo[addo.index("-r") + 1]
                levels = [int(a) for a in addo if a.isdigit()]
                ds.BuildOverviews(resampling.upper(), levels)
                ds = None
        except RuntimeError as ex:
            failed.append((name, str(ex)))
            print(f"FAILED {name}: {ex}")
            if os.path.exists(out):
                os.remove(out)
            continue
        src = None
        how = cli(args, "src.tif", name)
        if addo:
            how += " && gdaladdo " + " ".join(addo[:2]) + f" {name} " + " ".join(addo[2:])
        info = describe(out, is_cog)
        info.update({"group": group, "source": src_desc, "command": how, "covers": covers})
        if name in NOTES:
            info["note"] = NOTES[name]
        expected["fixtures"][name] = info
        cogtxt = ("valid COG" if info["cog"]["valid"] else "not a COG") if info["cog"] else "?"
        if is_cog and not info["cog"]["valid"]:
            print(f"WARNING {name}: made as a COG but validate says: {info['cog']}")
        rows.append((name, src_desc, how, covers, info, cogtxt))
        print(f"{info['file_size']:>9,d}  {name}  ({cogtxt})")
    expected["failed"] = [{"file": n, "error": e} for n, e in failed]
    with open(os.path.join(rdir, "expected.json"), "w") as f:
        f.write(pretty_json(expected))

    # ---- raster README
    lines = [
        "# Raster test fixtures",
        "",
        "Made by `scripts/make_test_fixtures.py` (run `/usr/bin/python3 scripts/make_test_fixtures.py`; GDAL "
        f"{gdal.__version__} from Debian's `gdal-bin python3-gdal`). Do not edit by hand: change the script and rerun it.",
        "",
        "Each file is `gdal.Translate(out, src, options=ARGS)`, which is `gdal_translate ARGS src.tif out.tif`, where "
        "`src.tif` is the in-memory source described in the second column (numpy: smooth gradients, terrain and shapes, "
        "so compression is realistic and files stay small). `-a_nodata` and `-mask` are part of ARGS; colour tables, "
        "band descriptions, colour interpretation and rotated geotransforms are set on the source.",
        "",
        "The fixtures come in three footprints so that the AOIs in `../aoi/` fit them: `3857` (EPSG:3857, 1000 m x 900 m "
        "near Bologna), `utm33n` (EPSG:32633, 5000 m x 4400 m at Vienna) and `4326` (0.1 x 0.08 degrees near Innsbruck).",
        "",
        "`expected.json` holds what GDAL says about every file, so tests can check a reader without GDAL present: size, "
        "bands, data type, block size, overview sizes, geotransform, EPSG code, PROJ string, nodata, mask flags "
        "(1 ALL_VALID, 2 PER_DATASET, 4 ALPHA, 8 NODATA), compression, `gdalinfo -checksum` per band and per overview "
        "(and of the mask band), the sha256 of each band's decoded pixels (little-endian, row-major), valid-pixel min "
        "and max, pixel probes (values and mask at a few positions), the result of "
        "`validate_cloud_optimized_geotiff.py`, and the raw TIFF structure read directly (byte order, BigTIFF, the "
        "ghost header, and per IFD: subfile type, size, bits, sample format, compression code, photometric, planar "
        "configuration, predictor, tile or strip size, chunk count, empty chunks, ExtraSamples, JPEGTables size, "
        "GDAL_NODATA, ColorMap size; and the GeoKeys, ModelPixelScale, ModelTiepoint, ModelTransformation).",
        "",
        "| file | footprint | source | how made | covers | size | blocks | overviews | COG |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, src_desc, how, covers, info, cogtxt in rows:
        lines.append(f"| `{name}` | `{info['group']}` | {src_desc} | `{how}` | {covers} | {info['file_size']:,} B | "
                     f"{info['block'][0]}x{info['block'][1]} | {', '.join(f'{a}x{b}' for a, b in info['overviews']) or 'none'} | {cogtxt} |")
    if failed:
        lines += ["", "Not made by this GDAL:", ""] + [f"- `{n}`: {e}" for n, e in failed]
    lines += ["", "Notes:", "",
              "- GDAL 3.6 has no Int8 data type: `i8_3857_deflate_cog.tif` is written from a Byte source with "
              "`PIXELTYPE=SIGNEDBYTE` band metadata (SampleFormat 2, 8 bits). GDAL 3.6 reads it back as Byte with that "
              "metadata item, so `expected.json` gives the signed values (`data_type: int8`); its `checksum`s are GDAL's "
              "over the unsigned bytes.",
              "- `u8_4326_pixelispoint.tif`: GDAL reports the geotransform of the pixel corners; the file's tiepoint is "
              "the centre of the first pixel (see `tiff.georef.model_tiepoint`).",
              "- Probes with `mask` 0 are outside the valid data (nodata, mask or alpha).",
              "- The COG column is what `validate_cloud_optimized_geotiff.py` says. It also passes small plain GeoTIFFs "
              "(512 px or less a side, no overviews needed); `layout` (`COG` from GDAL's COG driver) and "
              "`tiff.ghost` (the `GDAL_STRUCTURAL_METADATA` header) in `expected.json` tell the COG-driver files apart.",
              "- Checksums and sha256 of JPEG and WEBP files are of GDAL's decode (libjpeg-turbo, libwebp); another "
              "decoder may differ by a few levels: compare those with a tolerance, the lossless ones exactly.",
              ""]
    with open(os.path.join(rdir, "README.md"), "w") as f:
        f.write("\n".join(lines))

    # ---- AOIs
    index = {}
    alines = [
        "# AOI test fixtures",
        "",
        "Made by `scripts/make_test_fixtures.py` with the rasters in `../raster/`. All GeoJSON in EPSG:4326 "
        "(RFC 7946: exterior rings counter-clockwise, holes clockwise), positions rounded to 7 decimals. Each AOI "
        "is drawn in fractions of a footprint (`3857`, `utm33n` or `4326`, see `../raster/README.md`) and projected "
        "to longitude/latitude, so it targets every raster of that footprint. `index.json` holds this table.",
        "",
        "Rasters of each footprint:",
        "",
    ]
    for g in GROUPS:
        alines.append(f"- `{g}`: " + ", ".join("`" + t + "`" for t in targets(g)))
    alines += [
        "",
        "| file | valid | footprint | exercises |",
        "|---|---|---|---|",
    ]
    for name, geom, valid, what, g in make_aois():
        with open(os.path.join(adir, name), "w") as f:
            json.dump(geom, f)
            f.write("\n")
        check_aoi(name, geom, valid)
        index[name] = {"valid": valid, "footprint": g, "exercises": what, "targets": targets(g)}
        alines.append(f"| `{name}` | {'yes' if valid else '**no**'} | `{g}` | {what} |")
    with open(os.path.join(adir, "index.json"), "w") as f:
        f.write(pretty_json(index))
    with open(os.path.join(adir, "README.md"), "w") as f:
        f.write("\n".join(alines) + "\n")

    total = sum(os.path.getsize(os.path.join(rdir, n)) for n in os.listdir(rdir) if n.endswith(".tif"))
    print(f"{total:>9,d}  total of {len(rows)} rasters ({total / 1e6:.2f} MB); {len(index)} AOIs")
    if failed:
        print("not made:", ", ".join(n for n, _ in failed))


if __name__ == "__main__":
    main()
