"""Generate src/raster/geo/crs.datum.shifts.ts: for every current geographic CRS of the EPSG registry, the
transformations to WGS 84 PROJ picks from without grid files, in PROJ's order, as proj4 +towgs84 values with
their area of use, and the grid-based ones PROJ would prefer where the grid is installed.

PROJ applies, at each point, the first operation of that list whose area of use contains it (a ballpark
offset, no shift, when none does). The registry package's own +towgs84 is one fixed choice per CRS (and has
the rotations of coordinate-frame transformations with the wrong sign), so the engine uses this list instead.

  /usr/bin/python3 scripts/crs/crs.datum.shifts.py > src/raster/geo/crs.datum.shifts.ts
needs projinfo (PROJ's command-line tools) and GDAL's Python bindings.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

from osgeo import osr


def geographic_codes():
    wanted = (osr.OSR_CRS_TYPE_GEOGRAPHIC_2D, osr.OSR_CRS_TYPE_GEOGRAPHIC_3D)
    return sorted(int(i.code) for i in osr.GetCRSInfoListFromDatabase('EPSG') if not i.deprecated and i.type in wanted)


def projinfo(code, env, grid_check):
    args = ['projinfo', '-s', f'EPSG:{code}', '-t', 'EPSG:4326', '--spatial-test', 'intersects',
            '--grid-check', grid_check, '-o', 'PROJ,PROJJSON']
    out = subprocess.run(args, env=env, capture_output=True, text=True).stdout
    blocks = re.split(r'Operation No\. \d+:', out)
    return [block for block in blocks if 'PROJ string:' in block]


def helmert_of(pipeline):
    """Sum of the pipeline's Helmert steps as position-vector +towgs84 values, or None when it has other shifts."""
    total = [0.0] * 7
    found = False
    for step in pipeline.split('+step')[1:]:
        params = dict(re.findall(r'\+(\w+)=(\S+)', step))
        flags = set(re.findall(r'\+(\w+)(?=\s|$)', step))
        proj = params.get('proj')
        if proj in ('axisswap', 'unitconvert', 'push', 'pop', 'cart', 'longlat', 'noop'):
            continue
        if proj not in ('helmert', 'molodensky'):
            return None
        if any(k in params for k in ('dx', 'dy', 'dz', 'drx', 'dry', 'drz', 'ds', 't_epoch')) and proj == 'helmert':
            return None
        sign = -1.0 if 'inv' in flags else 1.0
        if proj == 'molodensky':
            v = [float(params.get(k, 0)) for k in ('dx', 'dy', 'dz')] + [0.0] * 4
        else:
            v = [float(params.get(k, 0)) for k in ('x', 'y', 'z', 'rx', 'ry', 'rz', 's')]
            if params.get('convention') == 'coordinate_frame':
                v[3:6] = [-r for r in v[3:6]]
        total = [t + sign * x for t, x in zip(total, v)]
        found = True
    return total if found else [0.0] * 7


def offshore(obj):
    area = obj.get('area') or (obj.get('usages') or [{}])[0].get('area') or ''
    return 1 if '- offshore' in area else 0


def bbox_of(obj):
    bbox = obj.get('bbox') or (obj.get('usages') or [{}])[0].get('bbox')
    if not bbox:
        return [-180, -90, 180, 90]
    return [bbox['west_longitude'], bbox['south_latitude'], bbox['east_longitude'], bbox['north_latitude']]


def fmt(v):
    return ','.join(f'{x:.10g}' for x in v)


def operations(code, env, grid_check):
    ops = []
    for block in projinfo(code, env, grid_check):
        head = block.strip().splitlines()[0]
        pipeline = block.split('PROJ string:')[1].split('PROJJSON:')[0]
        obj = json.JSONDecoder().raw_decode(block.split('PROJJSON:')[1].strip())[0]
        ballpark = 'ballpark' in head.lower()
        accuracy = obj.get('accuracy')
        grids = re.findall(r'\+grids=(\S+)', pipeline)
        ops.append({'name': obj.get('name', ''), 'ballpark': ballpark, 'accuracy': float(accuracy) if accuracy else None,
                    'bbox': bbox_of(obj), 'offshore': offshore(obj), 'grids': grids, 'helmert': None if ballpark or grids else helmert_of(pipeline)})
    return ops


def main():
    gridless = tempfile.mkdtemp()
    os.symlink('/usr/share/proj/proj.db', os.path.join(gridless, 'proj.db'))
    env_none = {**os.environ, 'PROJ_DATA': gridless, 'PROJ_LIB': gridless, 'PROJ_NETWORK': 'OFF'}
    env_all = {**os.environ, 'PROJ_NETWORK': 'OFF'}
    shifts, grids = {}, {}
    for code in geographic_codes():
        rows = []
        for op in operations(code, env_none, 'discard_missing'):
            if op['ballpark']:
                rows.append(['ballpark', None, -180, -90, 180, 90, 0])
                break
            if op['helmert'] is None:
                continue
            rows.append([fmt(op['helmert']), op['accuracy'], *op['bbox'], op['offshore']])
        shifts[code] = rows
        preferred = [op for op in operations(code, env_all, 'none') if op['grids'] and not op['ballpark']]
        if preferred:
            grids[code] = [[' '.join(op['grids']), op['accuracy'], *op['bbox'], op['offshore']] for op in preferred[:6]]
        sys.stderr.write(f'\r{code}')
    out = sys.stdout
    registry = json.load(open(os.path.join(os.path.dirname(__file__), '../../node_modules/epsg-index/all.json')))
    bases = {}
    for info in osr.GetCRSInfoListFromDatabase('EPSG'):
        entry = registry.get(info.code)
        if info.deprecated or info.type != osr.OSR_CRS_TYPE_PROJECTED or not entry or not entry['proj4'] or entry['wkt']:
            continue
        srs = osr.SpatialReference()
        srs.ImportFromEPSG(int(info.code))
        base = srs.GetAuthorityCode('GEOGCS')
        if base:
            bases[int(info.code)] = int(base)
    out.write('/**\n * Generated by scripts/crs/crs.datum.shifts.py from PROJ ' + osr.GetPROJVersionMajor().__str__() + '.'
              + osr.GetPROJVersionMinor().__str__() + "'s EPSG database: do not edit by hand.\n"
              ' * SHIFTS: geographic CRS code → the transformations to WGS 84 PROJ picks from without grid files, in PROJ\'s\n'
              ' * order ("ballpark": PROJ\'s ballpark, no shift): [+towgs84 values (position vector), accuracy m (null unknown), west, south, east, north, offshore].\n'
              ' * GRIDS: geographic CRS code → grid-based transformations PROJ prefers where their grid is installed:\n'
              ' * [grid names, accuracy m, west, south, east, north, offshore].\n */\n')
    out.write('/** One transformation: values, accuracy in metres, its area of use in degrees, 1 when that area is offshore. */\n')
    out.write('export type Shift = readonly [string, number | null, number, number, number, number, 0 | 1];\n\n')
    out.write('/** Helmert transformations to WGS 84, in PROJ\'s order, by geographic CRS code. */\n')
    out.write('export const SHIFTS: Readonly<Record<number, readonly Shift[]>> = {\n')
    for code, rows in shifts.items():
        out.write(f'  {code}: {json.dumps(rows)},\n')
    out.write('};\n\n/** Geographic base CRS of the projected CRSs whose registry entry has no WKT to read it from. */\n')
    out.write('export const BASES: Readonly<Record<number, number>> = ' + json.dumps(bases).replace('"', '') + ';\n\n')
    out.write('/** Grid transformations PROJ prefers where the grid is installed, by geographic CRS code. */\n')
    out.write('export const GRIDS: Readonly<Record<number, readonly Shift[]>> = {\n')
    for code, rows in grids.items():
        out.write(f'  {code}: {json.dumps(rows)},\n')
    out.write('};\n')


main()
