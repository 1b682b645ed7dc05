/**
 * The Python functions (GDAL's bindings, numpy) behind the GDAL oracle: the long-lived process of
 * gdal.oracle.ts serves them, and gdal.ts' one-shot helpers call them in a process each. Each returns
 * `(result, blobs)`: JSON-able data, and byte strings.
 */
export const GdalPyLib = `
import sys, json, struct, numpy as np
from osgeo import gdal
from osgeo_utils.samples import validate_cloud_optimized_geotiff as cogcheck
gdal.UseExceptions()

def pixels(reads):
    out = []
    for r in reads:
        ds = gdal.Open(r['file'])
        bands = [ds.GetRasterBand(i + 1) for i in range(ds.RasterCount)]
        if r.get('mask'): bands = [bands[0].GetMaskBand()]
        if r.get('level', 0) > 0: bands = [b.GetOverview(r['level'] - 1) for b in bands]
        w = r.get('window') or [0, 0, bands[0].XSize, bands[0].YSize]
        arr = np.stack([b.ReadAsArray(w[0], w[1], w[2], w[3]) for b in bands], axis=-1)
        out.append(arr.astype(arr.dtype.newbyteorder('<')).tobytes())
        ds = None
    return None, out

def stats(file, level):
    ds = gdal.Open(file); out = []
    for i in range(ds.RasterCount):
        band = ds.GetRasterBand(i + 1)
        if level > 0: band = band.GetOverview(level - 1)
        mask = band.GetMaskBand()
        a = band.ReadAsArray().astype(np.float64); v = a[mask.ReadAsArray() > 0]; v = v[np.isfinite(v)]
        out.append(None if v.size == 0 else dict(minimum=float(v.min()), maximum=float(v.max()), mean=float(v.mean()), stddev=float(v.std()), valid_percent=100.0 * v.size / a.size))
    return out, []

def validate(file):
    try:
        warnings, errors, details = cogcheck.validate(file, full_check=True)
    except cogcheck.ValidateCloudOptimizedGeoTIFFException as e:
        warnings, errors = [], [str(e)]
    return dict(errors=errors, warnings=warnings), []

def warp(src, dst, args):
    gdal.Warp(dst, src, options=args)
    return None, []

def info(file, args):
    return gdal.Info(file, options=['-json'] + args), []
`;
