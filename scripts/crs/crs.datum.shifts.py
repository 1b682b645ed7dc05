"""Generate src/raster/geo/crs.datum.shifts.ts: the datum shifts to WGS 84 PROJ chooses from without grid files,
for every current geographic CRS (2D and 3D) and every current projected CRS of the EPSG registry.

For a CRS, PROJ (proj_create_crs_to_crs, as GDAL calls it) lists the candidate operations to WGS 84 whose area
of use meets the CRS's, in its own order, and at each point takes the most accurate one whose area of use (its
bounding box carried into the CRS's own coordinates) holds the point, or else the first one. The candidates of
a projected CRS are not always those of its geographic CRS (its area of use is smaller), so both are listed.

Each candidate is reduced to what proj4js applies: the sum of the pipeline's Helmert steps as position-vector
+towgs84 values (a Molodensky-Badekas step as the 7-parameter Helmert it equals: the same rotation and scale,
the translation moved by P - (1 + s)·R·P), the prime meridian PROJ's pipeline reads longitudes from when it is
not the CRS's own (`+inv +proj=longlat +pm=...`), or PROJ's ballpark (no shift). A candidate with any other
step (a geographic offset, an affine, a time-dependent Helmert, ...) is kept as "unsupported", so the engine
refuses the places where PROJ would choose it instead of placing them differently.

  /usr/bin/python3 scripts/crs/crs.datum.shifts.py > src/raster/geo/crs.datum.shifts.ts
needs projinfo (Debian proj-bin) and GDAL's Python bindings; about 15 minutes on two cores.
"""
import json
import math
import os
import re
import subprocess
import sys
import tempfile
from multiprocessing import Pool

from osgeo import osr

HERE = os.path.dirname(os.path.abspath(__file__))
PRIME_MERIDIANS = {'greenwich': 0.0, 'lisbon': -9.131906111111, 'paris': 2.337229166667, 'bogota': -74.080916666667,
                   'madrid': -3.687938888889, 'rome': 12.452333333333, 'bern': 7.439583333333, 'jakarta': 106.807719444444,
                   'ferro': -17.666666666667, 'brussels': 4.367975, 'stockholm': 18.058277777778, 'athens': 23.7163375,
                   'oslo': 10.722916666667, 'copenhagen': 12.57788}
# Steps that only reorder axes, change units or carry the height: no effect on where a point lands.
NEUTRAL = ('axisswap', 'unitconvert', 'push', 'pop', 'cart', 'noop')


def current_codes(types):
    return sorted(int(i.code) for i in osr.GetCRSInfoListFromDatabase('EPSG') if not i.deprecated and i.type in types)


def degrees_of(pm):
    """A +pm value (a name or degrees) in degrees."""
    return PRIME_MERIDIANS[pm.lower()] if pm.lower() in PRIME_MERIDIANS else float(pm)


def split_steps(pipeline):
    """The steps of a PROJ string as (proj, params, inverse) tuples."""
    text = ' '.join(pipeline.split())
    parts = text.split('+step')[1:] if '+proj=pipeline' in text else [text]
    steps = []
    for part in parts:
        params = dict(re.findall(r'\+(\w+)=(\S+)', part))
        flags = set(re.findall(r'\+(\w+)(?=\s|$)', part))
        steps.append((params.get('proj', ''), params, 'inv' in flags))
    return steps


def rotation(rx, ry, rz):
    """PROJ's small-angle position-vector rotation matrix (angles in radians)."""
    return [[1, -rz, ry], [rz, 1, -rx], [-ry, rx, 1]]


def helmert_values(params):
    """(tx, ty, tz, rx, ry, rz arc-seconds position vector, s ppm) of a helmert or molobadekas step."""
    v = [float(params.get(k, 0)) for k in ('x', 'y', 'z', 'rx', 'ry', 'rz', 's')]
    if params.get('convention') == 'coordinate_frame':
        v[3:6] = [-r for r in v[3:6]]
    if params.get('proj') == 'molobadekas':
        # X' = T + M·R·(X - P) + P = M·R·X + (T + P - M·R·P)
        p = [float(params.get(k, 0)) for k in ('px', 'py', 'pz')]
        sec = math.pi / 180 / 3600
        r = rotation(v[3] * sec, v[4] * sec, v[5] * sec)
        m = 1 + v[6] * 1e-6
        rp = [m * sum(r[i][j] * p[j] for j in range(3)) for i in range(3)]
        v[0:3] = [v[i] + p[i] - rp[i] for i in range(3)]
    return v


def shift_of(pipeline):
    """What proj4js can apply for one pipeline: {'towgs84': [...], 'pm': deg or None} or {'unsupported': why}.

    The prime meridian is the one the CRS's proj4 definition must carry for proj4js to read longitudes as PROJ
    does (None: its own). PROJ's pipeline may re-read them: `+proj=longlat +pm=X` counts Greenwich longitudes
    from X, `+inv +proj=longlat +pm=Y` takes longitudes counted from Y back to Greenwich, after the CRS's own
    (the projection step's +pm). A time-dependent Helmert is taken at its reference epoch, as PROJ takes it for
    coordinates without a time (GDAL gives none).
    """
    total = [0.0] * 7
    pm = 0.0
    pm_steps = False
    seen_datum_step = False
    for proj, params, inverse in split_steps(pipeline):
        if proj in NEUTRAL:
            seen_datum_step = seen_datum_step or proj == 'cart'
            continue
        if proj == 'longlat':
            if 'pm' in params:
                pm += degrees_of(params['pm']) if inverse else -degrees_of(params['pm'])
                pm_steps = True
            continue
        if proj in ('helmert', 'molobadekas'):
            if 'exact' in pipeline or 'theta' in params:
                return {'unsupported': f'a {proj} step with exact rotations'}
            v = helmert_values(params)
            sign = -1.0 if inverse else 1.0
            total = [t + sign * x for t, x in zip(total, v)]
            seen_datum_step = True
            continue
        if inverse and not seen_datum_step:
            pm = degrees_of(params['pm']) if 'pm' in params else 0.0
            continue  # the projected CRS's own inverse projection
        return {'unsupported': f'a {proj} step'}
    return {'towgs84': total, 'pm': pm if pm_steps else None}


def accuracy_and_area(head):
    """Accuracy (metres, None when unknown) and area text of an operation's summary line."""
    m = re.search(r', (\d+(?:\.\d+)?) m, (.*)$', head)
    if m:
        return float(m.group(1)), m.group(2)
    m = re.search(r', unknown accuracy, (.*)$', head)
    return None, (m.group(1) if m else '')


def bbox_of(obj):
    bbox = obj.get('bbox') or ((obj.get('usages') or [{}])[0].get('bbox'))
    if not bbox:
        return [-180, -90, 180, 90]
    return [bbox['west_longitude'], bbox['south_latitude'], bbox['east_longitude'], bbox['north_latitude']]


def projinfo(code, env, grid_check):
    args = ['projinfo', '-s', f'EPSG:{code}', '-t', 'EPSG:4326', '--spatial-test', 'intersects',
            '--grid-check', grid_check, '-o', 'PROJ,PROJJSON']
    out = subprocess.run(args, env=env, capture_output=True, text=True).stdout
    return [b for b in re.split(r'Operation No\. \d+:', out)[1:] if 'PROJJSON:' in b]


def operations(code, env, grid_check='discard_missing'):
    ops = []
    for block in projinfo(code, env, grid_check):
        head = block.strip().splitlines()[0].strip()
        pipeline = block.split('PROJ string:')[1].split('PROJJSON:')[0] if 'PROJ string:' in block else ''
        obj = json.JSONDecoder().raw_decode(block.split('PROJJSON:')[1].strip())[0]
        accuracy, area = accuracy_and_area(head)
        op = {'name': obj.get('name', ''), 'accuracy': accuracy, 'bbox': bbox_of(obj), 'offshore': 1 if '- offshore' in area else 0,
              'grids': re.findall(r'\+grids=(\S+)', pipeline)}
        if 'ballpark' in head.lower():
            op['kind'] = 'ballpark'
        elif 'Error when exporting' in pipeline or not pipeline.strip():
            op.update(kind='unsupported', why='no PROJ pipeline')
        elif not op['grids']:
            s = shift_of(pipeline)
            if 'unsupported' in s:
                op.update(kind='unsupported', why=s['unsupported'])
            else:
                op.update(kind='helmert', towgs84=s['towgs84'], pm=s['pm'])
        ops.append(op)
    return ops


def fmt(v):
    return ','.join(f'{x:.10g}' for x in v)


def row_of(op):
    """One table row: [shift, accuracy, west, south, east, north, offshore(, pm)]."""
    if op['kind'] == 'ballpark':
        shift = 'ballpark'
    elif op['kind'] == 'unsupported':
        shift = f"unsupported: {op['name']} ({op['why']})"
    else:
        shift = fmt(op['towgs84'])
    row = [shift, op['accuracy'], *op['bbox'], op['offshore']]
    if op.get('pm') is not None:
        row.append(round(op['pm'], 12))
    return row


def work(task):
    code, kind = task
    env_none = {**os.environ, 'PROJ_DATA': GRIDLESS, 'PROJ_LIB': GRIDLESS, 'PROJ_NETWORK': 'OFF'}
    rows = [row_of(op) for op in operations(code, env_none) if not op['grids']]
    grids = None
    if kind == 'geographic':
        env_all = {**os.environ, 'PROJ_NETWORK': 'OFF'}
        preferred = [op for op in operations(code, env_all, 'none') if op['grids'] and op.get('kind') != 'ballpark']
        grids = [[' '.join(op['grids']), op['accuracy'], *op['bbox'], op['offshore']] for op in preferred[:6]]
    return code, kind, rows, grids


GRIDLESS = tempfile.mkdtemp()
os.symlink('/usr/share/proj/proj.db', os.path.join(GRIDLESS, 'proj.db'))


def main():
    geographic = current_codes((osr.OSR_CRS_TYPE_GEOGRAPHIC_2D, osr.OSR_CRS_TYPE_GEOGRAPHIC_3D))
    projected = current_codes((osr.OSR_CRS_TYPE_PROJECTED,))
    if '--codes' in sys.argv:  # a quick look at a few codes (prints rows, writes no table)
        for code in [int(c) for c in sys.argv[sys.argv.index('--codes') + 1].split(',')]:
            print(code, json.dumps(work((code, 'geographic' if code in geographic else 'projected'))[2:]))
        return
    tasks = [(c, 'geographic') for c in geographic] + [(c, 'projected') for c in projected]
    with Pool(int(os.environ.get('JOBS', '2'))) as pool:
        results = {}
        for i, (code, kind, rows, grids) in enumerate(pool.imap_unordered(work, tasks, chunksize=8)):
            results[(kind, code)] = (rows, grids)
            if i % 200 == 0:
                sys.stderr.write(f'\r{i}/{len(tasks)}')
    base_of = {}
    for code in projected:
        srs = osr.SpatialReference()
        srs.ImportFromEPSG(code)
        base = ((json.loads(srs.ExportToPROJJSON()).get('base_crs') or {}).get('id') or {}).get('code')
        if base:
            base_of[code] = int(base)
    pool_rows, index = [], {}

    def ids(rows):
        out = []
        for row in rows:
            key = json.dumps(row)
            if key not in index:
                index[key] = len(pool_rows)
                pool_rows.append(row)
            out.append(index[key])
        return out

    lists = {}
    for code in geographic:
        lists[code] = ids(results[('geographic', code)][0])
    for code in projected:
        own = ids(results[('projected', code)][0])
        if own != lists.get(base_of.get(code), None):
            lists[code] = own
    out = sys.stdout
    out.write('/**\n * Generated by scripts/crs/crs.datum.shifts.py from PROJ ' + f'{osr.GetPROJVersionMajor()}.{osr.GetPROJVersionMinor()}'
              + "'s EPSG database: do not edit by hand.\n"
              ' * OPS: every transformation to WGS 84 PROJ picks from without grid files: [shift, accuracy m (null unknown),\n'
              ' * west, south, east, north (its area of use, degrees), 1 when that area is offshore, and the prime meridian\n'
              ' * (degrees) PROJ reads longitudes from when it is not the CRS\'s own]. The shift is position-vector +towgs84\n'
              ' * values, "ballpark" (PROJ\'s ballpark: no shift) or "unsupported: <name> (<why>)".\n'
              ' * CANDIDATES: CRS code → its candidates (indices into OPS) in PROJ\'s order; a projected CRS listed only when\n'
              ' * its candidates differ from its geographic CRS\'s.\n'
              ' * GRIDS: geographic CRS code → grid-based transformations PROJ prefers where their grid is installed:\n'
              ' * [grid names, accuracy m, west, south, east, north, offshore].\n */\n')
    out.write('/** One transformation: shift, accuracy in metres, its area of use in degrees, 1 when that area is offshore, its prime meridian. */\n')
    out.write('export type Shift = readonly [string, number | null, number, number, number, number, 0 | 1, number?];\n\n')
    out.write('/** Every transformation to WGS 84 some CRS chooses from. */\n')
    out.write('export const OPS: readonly Shift[] = [\n')
    for row in pool_rows:
        out.write(f'  {json.dumps(row, ensure_ascii=False)},\n')
    out.write('];\n\n/** CRS code → its candidate transformations (indices into OPS), in PROJ\'s order. */\n')
    out.write('export const CANDIDATES: Readonly<Record<number, readonly number[]>> = {\n')
    for code in sorted(lists):
        out.write(f'  {code}: {json.dumps(lists[code])},\n')
    out.write('};\n\n')
    out.write('/** Grid transformations PROJ prefers where the grid is installed, by geographic CRS code. */\n')
    out.write('export const GRIDS: Readonly<Record<number, readonly Shift[]>> = {\n')
    for code in geographic:
        grids = results[('geographic', code)][1]
        if grids:
            out.write(f'  {code}: {json.dumps(grids, ensure_ascii=False)},\n')
    out.write('};\n')


if __name__ == '__main__':
    main()
