#!/usr/bin/python3
"""Make geopera's sample area `demo-valley`: a synthetic but real-looking aerial scene on the
Canterbury Plains, New Zealand (near Dunsandel, by the Selwyn River).

usage: /usr/bin/python3 scripts/make_sample_data.py [DATA_DIR]      (default: ./data)

Writes (overwriting, deterministic for a fixed SEED):
  DATA_DIR/areas/demo-valley/area.json
  DATA_DIR/areas/demo-valley/mosaics/visual.tif      RGB uint8, EPSG:3857, 0.5 m, 4096 px, JPEG (YCbCr) COG
  DATA_DIR/areas/demo-valley/mosaics/analytic.tif    R,G,B,NIR uint16 reflectance x10000, 2 m, 1024 px,
                                                     DEFLATE + predictor 2 COG, nodata 0 (east collar)
  DATA_DIR/areas/demo-valley/capture_dates.geojson   dated capture polygons (EPSG:4326)
  DATA_DIR/areas/demo-valley/thumbnail.jpg           256 px preview (non-COG asset of the STAC Item)
  DATA_DIR/catalog/items/demo-valley-2025.json       STAC 1.0.0 Item, asset hrefs relative to the item

The scene is procedural (numpy only): rectangular paddocks in a rotated road grid (pasture,
centre-pivot circles, crops with tramlines, ploughed soil, stubble), shelterbelts, pine plantations,
a meandering gravel-bed river with willows, roads with a bridge, farmsteads and a small town grid,
with sun shading and cast shadows. Needs GDAL's Python bindings (Debian python3-gdal) and numpy.
"""
import json
import math
import os
import re
import sys

import numpy as np
from osgeo import gdal, osr

gdal.UseExceptions()

SEED = 20250314
AREA = "demo-valley"
ITEM_ID = "demo-valley-2025"
SIZE = 4096            # visual size in pixels (square)
RES = 0.5              # visual pixel size in EPSG:3857 metres
AFACTOR = 4            # analytic pixel = AFACTOR visual pixels (2 m)
LON0, LAT0 = 172.1800, -43.6600  # approximate north-west corner (WGS84)
SUN_AZIMUTH = 330.0    # degrees from north: the sun in the NNW (southern hemisphere)
SUN_ELEVATION = 45.0   # degrees
ANALYTIC_SCALE = (3800.0, 3800.0, 3800.0, 5200.0)  # reflectance x 10000 of display value 255 (R, G, B, NIR)

# ---------------------------------------------------------------- geometry of the footprint


def footprint():
    """Origin (3857, snapped to 2 m), the ground size of one visual pixel, and transforms."""
    wgs = osr.SpatialReference()
    wgs.ImportFromEPSG(4326)
    wgs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    merc = osr.SpatialReference()
    merc.ImportFromEPSG(3857)
    merc.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    to_merc = osr.CoordinateTransformation(wgs, merc)
    to_wgs = osr.CoordinateTransformation(merc, wgs)
    x0, y0, _ = to_merc.TransformPoint(LON0, LAT0)
    x0, y0 = math.floor(x0 / 2) * 2.0, math.floor(y0 / 2) * 2.0
    lat_c = to_wgs.TransformPoint(x0 + SIZE * RES / 2, y0 - SIZE * RES / 2)[1]
    ground = RES * math.cos(math.radians(lat_c))
    return x0, y0, ground, merc, to_wgs


# ---------------------------------------------------------------- noise


class Noise:
    """Value noise from a fixed random table (bilinear with smoothstep), and fBm over octaves."""

    def __init__(self, rng, n=1024):
        self.n = n
        self.tab = rng.random((n, n), dtype=np.float32)

    def __call__(self, u, v, cell, ou=0.0, ov=0.0):
        fu = u / np.float32(cell) + np.float32(ou)
        fv = v / np.float32(cell) + np.float32(ov)
        iu = np.floor(fu)
        iv = np.floor(fv)
        tu = fu - iu
        tv = fv - iv
        tu = tu * tu * (3 - 2 * tu)
        tv = tv * tv * (3 - 2 * tv)
        n = self.n
        iu = iu.astype(np.int64) % n
        iv = iv.astype(np.int64) % n
        iu1 = (iu + 1) % n
        iv1 = (iv + 1) % n
        t = self.tab
        a = t[iv, iu]
        b = t[iv, iu1]
        c = t[iv1, iu]
        d = t[iv1, iu1]
        return a + (b - a) * tu + (c - a) * tv + (a - b - c + d) * tu * tv

    def fbm(self, u, v, cell, octaves=4, gain=0.5, seed=0):
        total = 0.0
        amp = 1.0
        norm = 0.0
        for o in range(octaves):
            total = total + amp * self(u, v, cell / (2 ** o), 17.3 * (o + 1) + seed * 7.1, 31.7 * (o + 1) + seed * 3.3)
            norm += amp
            amp *= gain
        return total / np.float32(norm)


def crowns(x, y, cell, tab, rfac=0.6, jitter=0.7, keep=1.0, salt=0):
    """Worley-style tree crowns at jittered cell points. x, y: ground metres (1-D arrays).
    Returns (nd, nx, ny, hue): nd = squared distance / radius^2 to the nearest kept crown (>= 1 outside
    every crown), nx, ny = the offset from that crown centre over its radius, hue = a per-tree random."""
    n = tab.shape[0]
    fx = x / np.float32(cell)
    fy = y / np.float32(cell)
    ix = np.floor(fx).astype(np.int64)
    iy = np.floor(fy).astype(np.int64)
    best = np.full(x.shape, 9.0, np.float32)
    bx = np.zeros(x.shape, np.float32)
    by = np.zeros(x.shape, np.float32)
    hue = np.zeros(x.shape, np.float32)
    for dj in (-1, 0, 1):
        for di in (-1, 0, 1):
            cx = ix + di
            cy = iy + dj
            h1 = tab[(cy + salt) % n, cx % n]
            h2 = tab[(cy + 7 + salt) % n, (cx + 13) % n]
            h3 = tab[(cy + 19 + salt) % n, (cx + 29) % n]
            h4 = tab[(cy + 37 + salt) % n, (cx + 41) % n]
            px = cx + (1 - jitter) / 2 + jitter * h1
            py = cy + (1 - jitter) / 2 + jitter * h2
            r = rfac * (0.75 + 0.5 * h3)
            dx = (fx - px) / r
            dy = (fy - py) / r
            nd = dx * dx + dy * dy
            nd = np.where(h4 < keep, nd, 9.0).astype(np.float32)
            better = nd < best
            best = np.where(better, nd, best)
            bx = np.where(better, dx, bx)
            by = np.where(better, dy, by)
            hue = np.where(better, h3, hue)
    return best, bx, by, hue


# ---------------------------------------------------------------- the scene

# Colours: (R, G, B, NIR) in display units 0..255 (NIR on the same curve as the visible bands).
C = {
    "pasture_irr": (84, 118, 52, 232),
    "pasture_dry": (156, 150, 100, 190),
    "crop_green": (70, 104, 44, 236),
    "lucerne": (62, 98, 46, 238),
    "soil": (124, 102, 78, 165),
    "soil_dark": (96, 82, 66, 150),
    "stubble": (198, 180, 132, 195),
    "canola": (206, 196, 74, 225),
    "forest_floor": (58, 66, 42, 165),
    "young_pines": (128, 124, 86, 190),
    "verge": (112, 128, 74, 210),
    "asphalt": (84, 84, 82, 112),
    "shoulder": (122, 120, 114, 140),
    "gravel_road": (172, 162, 140, 178),
    "gravel_bar": (186, 180, 168, 182),
    "water_deep": (44, 70, 74, 34),
    "water_shallow": (104, 136, 134, 60),
    "riparian_grass": (118, 128, 78, 205),
    "concrete": (168, 166, 158, 172),
    "lawn": (96, 126, 64, 226),
    "yard_gravel": (150, 142, 124, 160),
}
ROOFS = [(148, 78, 60, 170), (68, 70, 74, 90), (118, 120, 122, 125), (196, 196, 190, 205),
         (76, 98, 88, 110), (110, 84, 66, 130), (90, 100, 112, 110), (150, 152, 150, 160)]
TREES = {  # colour, crown cell (m), radius factor, height (m)
    "pine": ((40, 60, 34, 200), 3.0, 0.62, 16.0),
    "belt": ((46, 70, 38, 205), 2.6, 0.68, 10.0),
    "willow": ((80, 108, 54, 228), 7.0, 0.55, 11.0),
    "garden": ((66, 96, 50, 222), 8.0, 0.42, 7.0),
    "young": ((70, 98, 46, 215), 2.8, 0.30, 2.0),
    "solitary": ((58, 86, 42, 220), 45.0, 0.11, 12.0),
    "scrub": ((92, 100, 52, 200), 2.2, 0.62, 1.5),
}
FIELD_TYPES = ["pasture_irr", "pasture_dry", "crop_green", "lucerne", "soil", "soil_dark", "stubble", "canola"]
FIELD_P = [0.27, 0.12, 0.16, 0.08, 0.12, 0.06, 0.16, 0.03]

THETA = math.radians(28.0)       # the road grid's rotation from north (Canterbury's NW-SE grid)
ROADS_U = [(-380.0, "gravel", 7.0), (180.0, "main", 10.0)]   # lines of constant u: (u, kind, reserve half-width)
ROADS_V = [(-330.0, "main", 10.0), (430.0, "gravel", 7.0)]   # lines of constant v
TOWN_A0, TOWN_B0 = 180.0 - 200.0, -330.0 - 160.0             # town origin in uv (streets every 100 m x 80 m)
TOWN_W, TOWN_H = 300.0, 320.0


def split_fields(rng, u0, u1, v0, v1, out, depth=0):
    """Recursive binary split of a block into paddocks (axis-aligned in the road grid)."""
    w, h = u1 - u0, v1 - v0
    if max(w, h) < 150 or (max(w, h) < 300 and rng.random() < 0.35) or depth > 7:
        out.append((u0, u1, v0, v1))
        return
    t = rng.uniform(0.3, 0.7)
    if w > h * rng.uniform(0.8, 1.4):
        c = u0 + w * t
        split_fields(rng, u0, c, v0, v1, out, depth + 1)
        split_fields(rng, c, u1, v0, v1, out, depth + 1)
    else:
        c = v0 + h * t
        split_fields(rng, u0, u1, v0, c, out, depth + 1)
        split_fields(rng, u0, u1, c, v1, out, depth + 1)


def make_fields(rng, D):
    """Paddock rectangles between the road reserves, over the uv square [-D, D]^2."""
    us = [(-D, 0.0)] + [(u, hw) for u, _, hw in ROADS_U] + [(D, 0.0)]
    vs = [(-D, 0.0)] + [(v, hw) for v, _, hw in ROADS_V] + [(D, 0.0)]
    rects = []
    for i in range(len(us) - 1):
        for j in range(len(vs) - 1):
            a0 = us[i][0] + us[i][1]
            a1 = us[i + 1][0] - us[i + 1][1]
            b0 = vs[j][0] + vs[j][1]
            b1 = vs[j + 1][0] - vs[j + 1][1]
            split_fields(rng, a0, a1, b0, b1, rects)
    return rects


def render(ground, rng):
    """The scene as float32 (H, W, 4) display values (R, G, B, NIR)."""
    H = W = SIZE
    L = SIZE * ground
    noise = Noise(rng)
    tab = rng.random((1024, 1024), dtype=np.float32)
    xs = ((np.arange(W, dtype=np.float32) + 0.5) * np.float32(ground))
    ys = ((np.arange(H, dtype=np.float32) + 0.5) * np.float32(ground))
    X = xs[None, :]
    Y = ys[:, None]
    cx = cy = np.float32(L / 2)
    ct, st = np.float32(math.cos(THETA)), np.float32(math.sin(THETA))
    U = (X - cx) * ct + (Y - cy) * st          # along-grid coordinates (m)
    V = -(X - cx) * st + (Y - cy) * ct
    D = math.ceil(L / 2 * math.sqrt(2)) + 2
    # sun direction (towards the sun) in x east / y south, and in uv
    az = math.radians(SUN_AZIMUTH)
    sx, sy = math.sin(az), -math.cos(az)
    su, sv = sx * math.cos(THETA) + sy * math.sin(THETA), -sx * math.sin(THETA) + sy * math.cos(THETA)

    # ---- paddocks
    rects = make_fields(rng, D)
    nf = len(rects) + 1
    idmap = np.zeros((2 * D, 2 * D), np.int16)
    R0 = np.zeros(nf, np.float32); R1 = np.zeros(nf, np.float32)
    Q0 = np.zeros(nf, np.float32); Q1 = np.zeros(nf, np.float32)
    for k, (a0, a1, b0, b1) in enumerate(rects, start=1):
        idmap[int(round(b0 + D)):int(round(b1 + D)), int(round(a0 + D)):int(round(a1 + D))] = k
        R0[k], R1[k], Q0[k], Q1[k] = a0, a1, b0, b1
    iu = np.clip(np.floor(U + D).astype(np.int32), 0, 2 * D - 1)
    iv = np.clip(np.floor(V + D).astype(np.int32), 0, 2 * D - 1)
    fid = idmap[iv, iu]
    del iu, iv

    # field attributes
    ftype = rng.choice(len(FIELD_TYPES), size=nf, p=FIELD_P)
    inner = np.zeros((nf, 4), np.float32)
    outer = np.zeros((nf, 4), np.float32)
    pivot = np.zeros(nf, bool)
    pu = np.zeros(nf, np.float32); pv = np.zeros(nf, np.float32); pr = np.zeros(nf, np.float32)
    row_amp = np.zeros(nf, np.float32); row_per = np.ones(nf, np.float32)
    swath_amp = np.zeros(nf, np.float32); tram = np.zeros(nf, np.float32)
    along_u = np.zeros(nf, bool)
    forest = np.zeros(nf, np.int8)   # 1 pines, 2 young plantation
    belts = rng.random((nf, 4)) < np.array([0.45, 0.2, 0.2, 0.45])   # u0, u1, v0, v1 edges
    for k in range(1, nf):
        w, h = R1[k] - R0[k], Q1[k] - Q0[k]
        name = FIELD_TYPES[ftype[k]]
        jit = np.array([1 + rng.normal(0, 0.02) for _ in range(4)], np.float32) * np.float32(1 + rng.normal(0, 0.05))
        col = np.array(C[name], np.float32) * jit
        inner[k] = outer[k] = col
        along_u[k] = w > h
        if name.startswith("pasture") and min(w, h) > 140 and rng.random() < 0.6:
            pivot[k] = True
            pr[k] = min(w, h) / 2 - 2
            pu[k] = (R0[k] + R1[k]) / 2 + (rng.uniform(-1, 1) * (w / 2 - pr[k] - 2) if w > h else 0)
            pv[k] = (Q0[k] + Q1[k]) / 2 + (rng.uniform(-1, 1) * (h / 2 - pr[k] - 2) if h > w else 0)
            inner[k] = np.array(C["pasture_irr"], np.float32) * jit
            outer[k] = np.array(C["pasture_dry"], np.float32) * jit
        if name in ("soil", "soil_dark"):
            row_amp[k], row_per[k] = 0.05, rng.uniform(0.9, 1.4)
        if name == "stubble":
            swath_amp[k] = 0.07
            row_amp[k], row_per[k] = 0.035, rng.uniform(1.1, 1.6)
        if name in ("crop_green", "lucerne", "canola"):
            tram[k] = 0.18
    # plantations: fields in the south-west, away from the river and the town
    fcu = (R0 + R1) / 2
    fcv = (Q0 + Q1) / 2
    fx = fcu * math.cos(THETA) - fcv * math.sin(THETA) + L / 2
    fy = fcu * math.sin(THETA) + fcv * math.cos(THETA) + L / 2
    order = np.argsort((fx - 0.3 * L) ** 2 + (fy - 0.87 * L) ** 2)
    picked = [k for k in order if k > 0 and min(R1[k] - R0[k], Q1[k] - Q0[k]) > 80][:3]
    for i, k in enumerate(picked):
        forest[k] = 2 if i == 1 else 1
        inner[k] = outer[k] = np.array(C["young_pines" if i == 1 else "forest_floor"], np.float32)
        pivot[k] = False
        row_amp[k] = swath_amp[k] = tram[k] = 0
    inner[0] = outer[0] = C["verge"]

    # per-pixel field colour and texture
    Ff = fid
    img = np.empty((H, W, 4), np.float32)
    du0 = U - R0[Ff]; du1 = R1[Ff] - U; dv0 = V - Q0[Ff]; dv1 = Q1[Ff] - V
    dedge = np.minimum(np.minimum(du0, du1), np.minimum(dv0, dv1))
    pin = pivot[Ff]
    dist_p = np.sqrt((U - pu[Ff]) ** 2 + (V - pv[Ff]) ** 2)
    inside = pin & (dist_p < pr[Ff])
    base = np.where(inside[..., None], inner[Ff], outer[Ff])
    del inside
    t_along = np.where(along_u[Ff], V, U)   # rows run along the long side: phase from the other axis
    tex = 1 + 0.24 * (noise.fbm(U + 37.0 * Ff, V, 80.0, 4) - 0.5)     # soil moisture, uneven growth
    tex += 0.05 * (noise(U, V, 5.0, 3.1, 9.2) - 0.5)
    tex += 0.05 * (noise(U, V, 0.8, 6.3, 1.9) - 0.5)                 # tussocks, clods
    tex += row_amp[Ff] * np.sin(t_along * np.float32(2 * math.pi) / row_per[Ff])
    tex += swath_amp[Ff] * np.sin(t_along * np.float32(2 * math.pi / 6.5))
    tr = np.abs(np.mod(t_along, 24.0) - 12.0)
    tex -= 0.6 * tram[Ff] * ((np.abs(tr - 1.0) < 0.35) | (np.abs(tr - 0.0) < 0.3)).astype(np.float32) * (1 - pin)
    ring = np.abs(np.mod(dist_p, 52.0) - 26.0) > 25.4
    tex -= 0.08 * (ring & pin & (dist_p < pr[Ff])).astype(np.float32)
    del tr, ring, dist_p, t_along
    img[:] = base * tex[..., None]
    del base, tex
    margin = (dedge < 1.1) & (Ff > 0)
    img[margin] = img[margin] * 0.5 + np.array(C["verge"], np.float32) * 0.45
    del margin
    # pastures: darker dung patches, and solitary paddock trees (painted with the other trees)
    past = np.nonzero(((ftype[Ff] <= 1) & (forest[Ff] == 0) & (Ff > 0)).ravel())[0]
    nd, _, _, _ = crowns(xs[past % W], ys[past // W], 5.0, tab, rfac=0.16, keep=0.45, salt=900)
    spot = past[nd < 1]
    img.reshape(-1, 4)[spot] *= np.array([0.88, 0.96, 0.86, 1.0], np.float32)
    del nd, spot

    Hgt = np.zeros((H, W), np.float32)   # heights (m) for cast shadows
    tree_kind = np.zeros((H, W), np.int8)  # 1 pine, 2 belt, 3 willow, 4 garden, 5 young
    # shelterbelts along flagged paddock edges
    bw = np.float32(6.0)
    belt = (((du0 < bw) & belts[Ff, 0]) | ((du1 < bw) & belts[Ff, 1]) |
            ((dv0 < bw) & belts[Ff, 2]) | ((dv1 < bw) & belts[Ff, 3])) & (Ff > 0) & (forest[Ff] == 0)
    belt &= noise(U, V, 25.0, 5.5, 1.5) > 0.18       # gaps in the belts
    tree_kind[belt] = 2
    tree_kind[forest[Ff] == 1] = 1
    tree_kind[(forest[Ff] == 2) & (dedge > 3)] = 5
    tree_kind.ravel()[past] = 6
    del past
    del belt, du0, du1, dv0, dv1, dedge

    # ---- roads
    road_tex = 1 + 0.05 * (noise(U, V, 1.5, 2.2, 7.7) - 0.5)
    for pos, kind, hw in ROADS_U + ROADS_V:
        d = np.abs((U if (pos, kind, hw) in ROADS_U else V) - np.float32(pos))
        if kind == "main":
            img[d < hw] = C["verge"]
            img[d < 6.0] = C["gravel_road"]
            img[d < 5.2] = C["shoulder"]
            sel = d < 3.8
            img[sel] = np.array(C["asphalt"], np.float32) * road_tex[sel][:, None]
            line = (np.abs(d - 3.55) < 0.12) | ((d < 0.09) & (np.mod((V if (pos, kind, hw) in ROADS_U else U), 12.0) < 4.0))
            img[line] = (205, 205, 200, 200)
        else:
            img[d < hw] = C["verge"]
            sel = d < 2.8
            img[sel] = np.array(C["gravel_road"], np.float32) * road_tex[sel][:, None]
            rut = (np.abs(d - 0.9) < 0.25)
            img[rut] *= 0.9
    del road_tex

    # ---- town (streets every 100 m x 80 m, parcels, houses with gable roofs, a shopping block, a park)
    a = U - np.float32(TOWN_A0)
    b = V - np.float32(TOWN_B0)
    town = (a > -7) & (a < TOWN_W + 7) & (b > -7) & (b < TOWN_H + 7)
    ti = np.nonzero(town.ravel())[0]
    ta = a.ravel()[ti]
    tb = b.ravel()[ti]
    del a, b, town
    tcol = np.empty((ti.size, 4), np.float32)
    theight = np.zeros(ti.size, np.float32)
    tk = np.zeros(ti.size, np.int8)
    da = np.abs(np.mod(ta + 50, 100.0) - 50)      # distance to the nearest street centre line
    db = np.abs(np.mod(tb + 40, 80.0) - 40)
    tcol[:] = np.array(C["lawn"], np.float32) * (1 + 0.12 * (noise(ta, tb, 9.0, 1.1, 2.2) - 0.5))[:, None]
    street = (da < 7) | (db < 7)
    ds = np.minimum(da, db)
    tcol[street & (ds < 7)] = C["lawn"]
    tcol[street & (ds < 6.2) & (ds > 4.6)] = C["concrete"]
    tcol[street & (ds < 4.0)] = C["asphalt"]
    kerb = street & (np.abs(ds - 4.0) < 0.2)
    tcol[kerb] = C["concrete"]
    p = np.mod(ta, 100.0) - 7                    # position inside the block (m), 0..86 x 0..66
    q = np.mod(tb, 80.0) - 7
    blk = ~street
    bi = np.floor(ta / 100).astype(np.int64)     # block indices
    bj = np.floor(tb / 80).astype(np.int64)
    shop = blk & (bi == 1) & (bj == 1)
    park = blk & (bi == 0) & (bj == 3)
    homes = blk & ~shop & ~park
    r = (q >= 33).astype(np.int64)
    c = np.clip(np.floor(p / 17.2).astype(np.int64), 0, 4)
    pp = p - c * 17.2
    qq = q - r * 33
    dq = np.where(r == 0, qq, 33 - qq)            # depth from the parcel's street front
    hsh = (bi * 131 + bj * 71 + r * 37 + c * 13) % 1024
    g1, g2, g3, g4 = tab[hsh, 3], tab[hsh, 101], tab[hsh, 211], tab[hsh, 307]
    g5, g6 = tab[hsh, 401], tab[hsh, 503]
    hw_ = 9 + 5 * g1
    hd = 8 + 4 * g2
    sb = 4.5 + 3.5 * g3
    off = 1 + (17.2 - hw_ - 2) * g4
    empty = g5 < 0.08
    house = homes & ~empty & (pp >= off) & (pp < off + hw_) & (dq >= sb) & (dq < sb + hd)
    # gable roof: the ridge along the longer side, the half facing the sun is brighter
    ridge_p = hw_ >= hd
    front = dq < sb + hd / 2
    n_front_v = np.where(r == 0, -1.0, 1.0)       # outward normal of the front half along v
    light_p = np.where(front, n_front_v, -n_front_v) * sv
    side = pp < off + hw_ / 2
    light_q = np.where(side, -1.0, 1.0) * su
    light = np.where(ridge_p, light_p, light_q).astype(np.float32)
    roof = np.array(ROOFS, np.float32)[(g6 * len(ROOFS)).astype(np.int64) % len(ROOFS)]
    tcol[house] = (roof * (1 + 0.2 * light)[:, None])[house]
    dist_ridge = np.where(ridge_p, np.abs(dq - (sb + hd / 2)) / (hd / 2), np.abs(pp - (off + hw_ / 2)) / (hw_ / 2))
    theight[house] = (4.0 + 1.6 * (1 - dist_ridge))[house]
    drive = homes & ~empty & ~house & (pp >= off + hw_ + 0.6) & (pp < off + hw_ + 3.6) & (dq < sb + hd * 0.8)
    tcol[drive] = C["concrete"]
    shed = homes & (g2 > 0.55) & (pp >= 17.2 - 7.5) & (pp < 17.2 - 1.5) & (dq >= 33 - 7.5) & (dq < 33 - 1.5)
    tcol[shed] = (150, 152, 150, 160)
    theight[shed] = 2.6
    # shopping block: two long flat roofs and a car park with marked bays
    sp = shop
    bld = sp & (((p > 6) & (p < 80) & (q > 36) & (q < 60)) | ((p > 50) & (p < 80) & (q > 4) & (q < 30)))
    carpark = sp & ~bld
    tcol[carpark] = C["asphalt"]
    bay = carpark & (np.mod(p, 2.6) < 0.14) & (q > 8) & (q < 30) & (p < 46)
    tcol[bay] = (200, 200, 196, 200)
    tcol[bld] = (182, 184, 184, 190)
    tcol[bld & (np.mod(p, 9.0) < 0.4)] = (160, 162, 162, 170)
    theight[bld] = 6.5
    # park: sports field with white lines, trees around
    tcol[park] = np.array(C["lawn"], np.float32) * 1.05
    fl = park & (np.abs(p - 43) < 35) & (np.abs(q - 33) < 24)
    edge = fl & ((np.abs(np.abs(p - 43) - 34.7) < 0.2) | (np.abs(np.abs(q - 33) - 23.7) < 0.2) | (np.abs(p - 43) < 0.15))
    tcol[edge] = (225, 228, 222, 215)
    tk[(homes | park) & ~house & ~drive & ~shed & ~fl] = 4
    img.reshape(-1, 4)[ti] = tcol
    Hgt.ravel()[ti] = theight
    tkr = tree_kind.ravel()
    tkr[ti] = tk
    del tcol, theight, tk, ta, tb, da, db, p, q, pp, qq, dq, hsh

    # ---- farmsteads: a house, two sheds and a yard with trees, beside a road
    for (fu, fv, flip) in [(-380 + 10, 180, 1), (180 + 12, 560, 1), (-380 - 10, -600, -1)]:
        au = (U - np.float32(fu)) * flip
        av = V - np.float32(fv)
        yard = (au > 0) & (au < 70) & (np.abs(av) < 40)
        img[yard] = C["yard_gravel"]
        tree_kind[yard] = 0
        tree_kind[yard & (np.abs(av) > 28)] = 4
        for (u0, u1, v0, v1, col, h) in [(12, 26, -30, -18, ROOFS[0], 5.0), (32, 62, -12, 8, (170, 172, 170, 170), 6.0),
                                         (30, 48, 14, 26, (140, 90, 70, 150), 4.5)]:
            m = (au > u0) & (au < u1) & (av > v0) & (av < v1)
            half = av < (v0 + v1) / 2
            shade = np.where(half, -sv, sv).astype(np.float32)
            img[m] = (np.array(col, np.float32)[None, :] * (1 + 0.18 * shade[m])[:, None])
            Hgt[m] = h
            tree_kind[m] = 0
        lawn = (au > 4) & (au < 30) & (av > -38) & (av < -8) & ~((au > 12) & (au < 26) & (av > -30) & (av < -18))
        img[lawn] = C["lawn"]
    del au, av

    # ---- river (the Selwyn: a meandering gravel bed, a wandering low-flow channel, a braid, willows)
    xr = xs.astype(np.float64)
    k1, k2, k3 = 2 * math.pi / 900, 2 * math.pi / 330, 2 * math.pi / 120
    yc = 0.665 * L + 130 * np.sin(k1 * xr + 0.8) + 50 * np.sin(k2 * xr + 2.1) + 12 * np.sin(k3 * xr)
    dy1 = 130 * k1 * np.cos(k1 * xr + 0.8) + 50 * k2 * np.cos(k2 * xr + 2.1) + 12 * k3 * np.cos(k3 * xr)
    cosphi = (1 / np.sqrt(1 + dy1 ** 2)).astype(np.float32)
    zero = np.zeros_like(xs)
    wb = (16 + 14 * noise(xs, zero, 160.0, 0.3, 0.7))[None, :]            # gravel bed half-width (m)
    wc = (4.5 + 3.5 * noise(xs, zero, 90.0, 4.1, 2.9))[None, :]           # low-flow channel half-width
    off = (wb - wc - 1.5) * 0.85 * (2 * noise(xs, zero, 110.0, 7.7, 5.1)[None, :] - 1)
    wc2 = (3.0 * np.clip(noise(xs, zero, 140.0, 2.2, 8.8) * 3 - 1.6, 0, 1))[None, :]   # a braid, here and there
    sd = (Y - yc.astype(np.float32)[None, :]) * cosphi[None, :]           # signed distance (m)
    sd = sd + 5 * (noise(X, Y, 35.0, 8.8, 4.4) - 0.5)
    ad = np.abs(sd)
    corridor = ad < wb + 24
    img[corridor] = np.array(C["riparian_grass"], np.float32)[None, :] * (
        1 + 0.25 * (noise.fbm(X, Y, 12.0, 3, seed=5)[corridor] - 0.5)
        + 0.12 * (noise(X, Y, 0.9, 2.5, 8.5)[corridor] - 0.5))[:, None]
    Hgt[corridor] = 0
    tree_kind[corridor] = 0
    willow = corridor & (ad > wb + 1.5) & (noise.fbm(X, Y, 40.0, 2, seed=3) > 0.47)
    tree_kind[willow] = 3
    del willow
    bed = ad < wb
    gtex = (1 + 0.16 * (noise(X, Y, 0.7, 5.0, 6.0) - 0.5) + 0.12 * (noise(X, Y, 3.0, 1.0, 3.0) - 0.5)
            + 0.12 * (noise.fbm(X, Y, 25.0, 2, seed=9) - 0.5))
    dch = np.minimum(np.abs(sd - off) - wc, np.abs(sd + 0.6 * off) - wc2)   # distance to water (m)
    dch = dch + 2.0 * (noise(X, Y, 5.0, 4.4, 0.6) - 0.5)
    wet = np.clip(1 - dch / 4.0, 0, 1) * 0.18
    img[bed] = np.array(C["gravel_bar"], np.float32)[None, :] * (gtex * (1 - wet))[bed][:, None]
    scrub = bed & (dch > 3) & (noise.fbm(X, Y, 9.0, 3, seed=11) > 0.6)
    img[scrub] = np.array((124, 126, 82, 200), np.float32)[None, :] * gtex[scrub][:, None]
    tree_kind[scrub] = 7
    del gtex, wet, scrub
    water = bed & (dch < 0)
    depth_w = np.clip(-dch / 3.0, 0, 1)[water][:, None]
    deep = np.array(C["water_deep"], np.float32)
    shallow = np.array(C["water_shallow"], np.float32)
    ripple = (1 + 0.07 * (noise(X, Y, 2.0, 9.0, 1.0) - 0.5))[water][:, None]
    img[water] = (shallow * (1 - depth_w) + deep * depth_w) * ripple
    del depth_w, ripple, dch
    # roads cross the river on bridges (repainted over the corridor, with a deck height)
    for pos, kind, hw in ROADS_U:
        d = np.abs(U - np.float32(pos))
        span = corridor & (d < 5.0)
        img[span & (d < 4.2)] = C["asphalt"] if kind == "main" else C["concrete"]
        img[span & (d >= 4.2)] = C["concrete"]
        deck = span & (ad < wb + 4)
        Hgt[deck] = 3.0
    del corridor, water, ad, sd, bed

    # ---- trees: crowns shaded by the sun, heights for the shadows
    sun_z = math.sin(math.radians(SUN_ELEVATION))
    sun_h = math.cos(math.radians(SUN_ELEVATION))
    kinds = {1: "pine", 2: "belt", 3: "willow", 4: "garden", 5: "young", 6: "solitary", 7: "scrub"}
    flat_k = tree_kind.ravel()
    for code, name in kinds.items():
        idx = np.nonzero(flat_k == code)[0]
        if idx.size == 0:
            continue
        px = xs[idx % W]
        py = ys[idx // W]
        col, cell, rfac, h = TREES[name]
        if name == "young":   # planted rows: a regular grid, no jitter
            nd, nx, ny, hue = crowns(px, py, cell, tab, rfac=rfac, jitter=0.0, salt=code * 50)
        elif name == "garden":
            nd, nx, ny, hue = crowns(px, py, cell, tab, rfac=rfac, keep=0.3, salt=code * 50)
        elif name == "solitary":
            nd, nx, ny, hue = crowns(px, py, cell, tab, rfac=rfac, keep=0.12, salt=code * 50)
        elif name == "willow":
            nd, nx, ny, hue = crowns(px, py, cell, tab, rfac=rfac * 1.15, keep=0.85, salt=code * 50)
            nd2, nx2, ny2, hue2 = crowns(px, py, cell * 0.45, tab, rfac=0.6, keep=0.5, salt=code * 77)
            closer = nd2 < nd
            nd, nx, ny, hue = (np.where(closer, nd2, nd), np.where(closer, nx2, nx), np.where(closer, ny2, ny),
                               np.where(closer, hue2 * 0.7, hue))
        elif name == "scrub":
            nd, nx, ny, hue = crowns(px, py, cell, tab, rfac=rfac, keep=0.75, salt=code * 50)
        else:
            nd, nx, ny, hue = crowns(px, py, cell, tab, rfac=rfac, salt=code * 50)
        inc = nd < 1
        hz = np.sqrt(np.clip(1 - nd, 0, 1))
        lam = np.clip(nx * np.float32(sx * sun_h) + ny * np.float32(sy * sun_h) + hz * np.float32(sun_z), 0, 1)
        leaf = 1 + 0.25 * (noise(px, py, 0.7, code, code) - 0.5)
        shade = (0.42 + 0.75 * lam) * (0.85 + 0.3 * hue) * leaf
        ccol = np.array(col, np.float32)[None, :] * shade[:, None]
        ccol[:, 0] *= 0.9 + 0.25 * hue        # some trees yellower, some bluer
        ccol[:, 2] *= 1.1 - 0.25 * hue
        ccol[:, 3] = col[3] * (0.8 + 0.3 * lam) * (0.9 + 0.2 * hue)
        sel = idx[inc]
        img.reshape(-1, 4)[sel] = ccol[inc]
        Hgt.ravel()[sel] = (h * (0.8 + 0.4 * hue) * (0.55 + 0.45 * hz))[inc]
    del tree_kind, flat_k

    # ---- cast shadows: a pixel is shaded when a ray towards the sun meets something taller
    step = ground * math.tan(math.radians(SUN_ELEVATION))
    depth = np.zeros((H, W), np.float32)
    dxs, dys = sx, sy   # towards the sun, in pixels per step
    for k in range(1, 48):
        dr = int(round(k * dys))   # source pixel = p + k*(towards the sun)
        dc = int(round(k * dxs))
        src = Hgt[max(0, dr):H + min(0, dr), max(0, dc):W + min(0, dc)]
        r0, c0 = max(0, -dr), max(0, -dc)
        tgt = depth[r0:r0 + src.shape[0], c0:c0 + src.shape[1]]
        np.maximum(tgt, src - np.float32(k * step) - Hgt[r0:r0 + src.shape[0], c0:c0 + src.shape[1]], out=tgt)
    soft = np.clip(depth / 0.8, 0, 1)
    del depth, Hgt
    for ch, f in enumerate((0.60, 0.56, 0.46, 0.62)):
        img[..., ch] *= 1 - f * soft
    del soft
    # the camera: a little less saturation and some atmospheric haze
    lum = img[..., :3].mean(axis=-1)
    for ch, hz in enumerate((150.0, 156.0, 166.0)):
        img[..., ch] = (lum + (img[..., ch] - lum) * np.float32(0.84)) * np.float32(0.92) + np.float32(0.08 * hz)
    return img


def blur121(a):
    """Separable [1 2 1]/4 blur in place (the optics' point spread), edges replicated."""
    for axis in (0, 1):
        p = np.concatenate([a.take([0], axis=axis), a, a.take([-1], axis=axis)], axis=axis)
        sl = [slice(None)] * a.ndim
        def s(i0, i1):
            sl2 = list(sl)
            sl2[axis] = slice(i0, i1)
            return tuple(sl2)
        n = a.shape[axis]
        a[...] = (p[s(0, n)] + 2 * p[s(1, n + 1)] + p[s(2, n + 2)]) * np.float32(0.25)
    return a


# ---------------------------------------------------------------- capture polygons

def visual_captures():
    """Three aerial captures with stepped seamlines, as pixel-coordinate polygons of the visual."""
    s = SIZE
    a = [(0, 0), (1550, 0), (1550, 2100), (1710, 2100), (1710, s), (0, s)]
    b = [(1550, 0), (2900, 0), (2900, 1300), (2760, 1300), (2760, s), (1710, s), (1710, 2100), (1550, 2100)]
    c = [(2900, 0), (s, 0), (s, s), (2760, s), (2760, 1300), (2900, 1300)]
    return [("2025-01-18", a, (1.0, 1.0, 1.0)), ("2025-02-03", b, (1.035, 1.02, 0.985)),
            ("2025-02-21", c, (0.975, 0.99, 1.03))]


def analytic_valid(rows, cols):
    """The analytic's valid-data test at analytic pixel centres: a slanted scene edge in the east."""
    return cols + 0.5 < 996 - 0.035 * (rows + 0.5)


def analytic_captures():
    """Two satellite scenes (analytic pixel coordinates), tiling the valid data."""
    n = SIZE // AFACTOR
    split = 430
    east_top, east_bottom = 996.0, 996.0 - 0.035 * n
    west = [(0, 0), (split, 0), (split + 40, n), (0, n)]
    east = [(split, 0), (east_top, 0), (east_bottom, n), (split + 40, n)]
    return [("2025-03-14", west, (1.0, 1.0, 1.0, 1.0)), ("2025-03-29", east, (1.02, 1.015, 1.0, 0.97))]


def pixel_mask(poly, h, w, scale=1.0):
    """Boolean raster (h, w) of a simple polygon in pixel coordinates (even-odd rule at pixel centres)."""
    ys = (np.arange(h, dtype=np.float64) + 0.5)[:, None] * scale
    xs = (np.arange(w, dtype=np.float64) + 0.5)[None, :] * scale
    inside = np.zeros((h, w), bool)
    n = len(poly)
    for i in range(n):
        x1, y1 = poly[i]
        x2, y2 = poly[(i + 1) % n]
        if y1 == y2:
            continue
        cond = (ys >= min(y1, y2)) & (ys < max(y1, y2))
        xint = x1 + (ys - y1) * (x2 - x1) / (y2 - y1)
        inside ^= cond & (xs < xint)
    return inside


# ---------------------------------------------------------------- writing


def mem_dataset(arr, dtype, gt, srs_wkt, nodata=None, descriptions=None, colors=None):
    bands, h, w = arr.shape
    ds = gdal.GetDriverByName("MEM").Create("", w, h, bands, dtype)
    ds.SetGeoTransform(gt)
    ds.SetProjection(srs_wkt)
    for i in range(bands):
        band = ds.GetRasterBand(i + 1)
        band.WriteArray(arr[i])
        if nodata is not None:
            band.SetNoDataValue(nodata)
        if descriptions:
            band.SetDescription(descriptions[i])
        if colors:
            band.SetColorInterpretation(colors[i])
    return ds


def remove(path):
    for p in (path, path + ".aux.xml"):
        if os.path.exists(p):
            os.remove(p)


def ring_lonlat(poly_px, gt, to_wgs):
    """Pixel-coordinate polygon -> closed lon/lat ring (counter-clockwise, RFC 7946)."""
    pts = []
    for (c, r) in poly_px:
        x = gt[0] + c * gt[1]
        y = gt[3] + r * gt[5]
        lon, lat, _ = to_wgs.TransformPoint(x, y)
        pts.append([round(lon, 7), round(lat, 7)])
    area = sum(pts[i][0] * pts[(i + 1) % len(pts)][1] - pts[(i + 1) % len(pts)][0] * pts[i][1] for i in range(len(pts)))
    if area < 0:
        pts.reverse()
    pts.append(list(pts[0]))
    return pts


def pretty_json(obj):
    """Indented JSON with every list of numbers (a position, a bbox, a transform) on one line."""
    text = json.dumps(obj, indent=2)
    return re.sub(r"\[\s*(-?[0-9.eE+-]+(?:,\s*-?[0-9.eE+-]+)*)\s*\]",
                  lambda m: "[" + ", ".join(x.strip() for x in m.group(1).split(",")) + "]", text) + "\n"


def main():
    data_dir = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "data")
    area_dir = os.path.join(data_dir, "areas", AREA)
    mos_dir = os.path.join(area_dir, "mosaics")
    items_dir = os.path.join(data_dir, "catalog", "items")
    os.makedirs(mos_dir, exist_ok=True)
    os.makedirs(items_dir, exist_ok=True)
    gdal.SetConfigOption("GDAL_PAM_ENABLED", "NO")

    x0, y0, ground, merc, to_wgs = footprint()
    wkt = merc.ExportToWkt()
    gt = (x0, RES, 0.0, y0, 0.0, -RES)
    agt = (x0, RES * AFACTOR, 0.0, y0, 0.0, -RES * AFACTOR)
    rng = np.random.default_rng(SEED)
    print(f"rendering {SIZE}x{SIZE} scene, ground pixel {ground:.3f} m", flush=True)
    img = render(ground, rng)
    blur121(img)

    # ---- analytic (before the visual's per-capture colour balance): reflectance x 10000
    n = SIZE // AFACTOR
    # linear reflectance, then the sensor's optics (a low-pass at half resolution) and 2 m pixels
    lin = (np.clip(img, 0, 255) / np.float32(255)) ** np.float32(2.2) * np.array(ANALYTIC_SCALE, np.float32)
    h2 = SIZE // 2
    half = lin.reshape(h2, 2, h2, 2, 4).mean(axis=(1, 3))
    del lin
    blur121(half)
    blur121(half)
    refl = half.reshape(n, AFACTOR // 2, n, AFACTOR // 2, 4).mean(axis=(1, 3))
    del half
    rows = np.arange(n)[:, None]
    cols = np.arange(n)[None, :]
    for date, poly, gain in analytic_captures():
        m = pixel_mask(poly, n, n)
        refl[m] *= np.array(gain, np.float32)
    refl += rng.normal(0, 2.0, refl.shape).astype(np.float32)
    ana = np.clip(np.rint(refl), 1, 10000).astype(np.uint16)
    valid = analytic_valid(rows, cols)
    ana[~valid] = 0
    ana = np.ascontiguousarray(ana.transpose(2, 0, 1))
    del refl

    # ---- visual: per-capture colour balance, sensor grain, 8 bits
    for date, poly, gain in visual_captures():
        m = pixel_mask(poly, SIZE, SIZE)
        for ch in range(3):
            img[..., ch][m] *= np.float32(gain[ch])
        del m
    vis = np.empty((3, SIZE, SIZE), np.uint8)
    for ch in range(3):
        band = img[..., ch] + rng.normal(0, 1.3, (SIZE, SIZE)).astype(np.float32)
        vis[ch] = np.clip(np.rint(band), 0, 255).astype(np.uint8)
    del img, band

    visual = os.path.join(mos_dir, "visual.tif")
    analytic = os.path.join(mos_dir, "analytic.tif")
    remove(visual)
    remove(analytic)
    src = mem_dataset(vis, gdal.GDT_Byte, gt, wkt, colors=[gdal.GCI_RedBand, gdal.GCI_GreenBand, gdal.GCI_BlueBand])
    gdal.Translate(visual, src, options=["-of", "COG", "-co", "COMPRESS=JPEG", "-co", "QUALITY=85",
                                         "-co", "BLOCKSIZE=512", "-co", "OVERVIEW_RESAMPLING=AVERAGE",
                                         "-co", "NUM_THREADS=ALL_CPUS"])
    thumb = os.path.join(area_dir, "thumbnail.jpg")
    remove(thumb)
    gdal.Translate(thumb, src, options=["-of", "JPEG", "-outsize", "256", "256", "-r", "average", "-co", "QUALITY=80"])
    src = None
    src = mem_dataset(ana, gdal.GDT_UInt16, agt, wkt, nodata=0, descriptions=["red", "green", "blue", "nir"],
                      colors=[gdal.GCI_RedBand, gdal.GCI_GreenBand, gdal.GCI_BlueBand, gdal.GCI_Undefined])
    gdal.Translate(analytic, src, options=["-of", "COG", "-co", "COMPRESS=DEFLATE", "-co", "PREDICTOR=2",
                                           "-co", "LEVEL=9", "-co", "BLOCKSIZE=256",
                                           "-co", "OVERVIEW_RESAMPLING=AVERAGE", "-co", "NUM_THREADS=ALL_CPUS"])
    src = None

    # ---- capture dates
    feats = []
    for date, poly, _ in visual_captures():
        feats.append({"type": "Feature",
                      "properties": {"capture_date": date, "mosaic_type": "visual", "sensor": "synthetic-aerial-rgb",
                                     "gsd_m": round(ground, 3)},
                      "geometry": {"type": "Polygon", "coordinates": [ring_lonlat(poly, gt, to_wgs)]}})
    for date, poly, _ in analytic_captures():
        feats.append({"type": "Feature",
                      "properties": {"capture_date": date, "mosaic_type": "analytic", "sensor": "synthetic-satellite-4band",
                                     "gsd_m": round(ground * AFACTOR, 3)},
                      "geometry": {"type": "Polygon", "coordinates": [ring_lonlat(poly, agt, to_wgs)]}})
    with open(os.path.join(area_dir, "capture_dates.geojson"), "w") as f:
        f.write('{"type": "FeatureCollection", "features": [\n')
        f.write(",\n".join(json.dumps(feat) for feat in feats))
        f.write("\n]}\n")

    ring = ring_lonlat([(0, 0), (SIZE, 0), (SIZE, SIZE), (0, SIZE)], gt, to_wgs)
    lons = [p[0] for p in ring]
    lats = [p[1] for p in ring]
    bbox = [min(lons), min(lats), max(lons), max(lats)]
    dates = sorted(f["properties"]["capture_date"] for f in feats)
    area_json = {
        "title": "Demo Valley (synthetic)",
        "description": ("Synthetic aerial imagery of farmland by a meandering river on the Canterbury Plains, "
                        "New Zealand, made procedurally by scripts/make_sample_data.py. Not a real capture."),
        "license": "CC0-1.0 synthetic",
        "bbox": bbox,
        "mosaics": {
            "visual": {"description": "True-colour RGB orthomosaic, 8-bit, 0.5 m (EPSG:3857), JPEG COG"},
            "analytic": {"description": "4-band surface reflectance x 10000 (red, green, blue, nir), 16-bit, 2 m, DEFLATE COG"},
        },
        "capture_date_range": [dates[0], dates[-1]],
        "generator": "scripts/make_sample_data.py",
    }
    with open(os.path.join(area_dir, "area.json"), "w") as f:
        f.write(pretty_json(area_json))

    # ---- STAC Item
    cog = "image/tiff; application=geotiff; profile=cloud-optimized"
    rel = "../../areas/" + AREA
    proj_bbox = [x0, y0 - SIZE * RES, x0 + SIZE * RES, y0]
    item = {
        "type": "Feature",
        "stac_version": "1.0.0",
        "stac_extensions": ["https://stac-extensions.github.io/projection/v1.1.0/schema.json",
                            "https://stac-extensions.github.io/eo/v1.1.0/schema.json"],
        "id": ITEM_ID,
        "geometry": {"type": "Polygon", "coordinates": [ring]},
        "bbox": bbox,
        "properties": {
            "title": "Demo Valley 2025 (synthetic)",
            "description": area_json["description"],
            "datetime": dates[-1] + "T00:00:00Z",
            "start_datetime": dates[0] + "T00:00:00Z",
            "end_datetime": dates[-1] + "T23:59:59Z",
            "license": "CC0-1.0",
            "proj:epsg": 3857,
            "geopera:area": AREA,
        },
        "links": [{"rel": "license", "href": "https://creativecommons.org/publicdomain/zero/1.0/", "type": "text/html"}],
        "assets": {
            "visual": {
                "href": rel + "/mosaics/visual.tif", "type": cog, "title": "True-colour RGB, 0.5 m pixels in EPSG:3857 (0.36 m on the ground)",
                "roles": ["data", "visual"], "gsd": round(ground, 3),
                "proj:shape": [SIZE, SIZE], "proj:transform": [RES, 0.0, x0, 0.0, -RES, y0], "proj:bbox": proj_bbox,
                "eo:bands": [{"name": "red", "common_name": "red"}, {"name": "green", "common_name": "green"},
                             {"name": "blue", "common_name": "blue"}],
            },
            "analytic": {
                "href": rel + "/mosaics/analytic.tif", "type": cog, "title": "4-band reflectance x 10000 (red, green, blue, nir), 2 m pixels in EPSG:3857 (1.45 m on the ground)",
                "roles": ["data"], "gsd": round(ground * AFACTOR, 3),
                "proj:shape": [n, n], "proj:transform": [RES * AFACTOR, 0.0, x0, 0.0, -RES * AFACTOR, y0],
                "proj:bbox": proj_bbox,
                "eo:bands": [{"name": "red", "common_name": "red"}, {"name": "green", "common_name": "green"},
                             {"name": "blue", "common_name": "blue"}, {"name": "nir", "common_name": "nir"}],
            },
            "capture_dates": {"href": rel + "/capture_dates.geojson", "type": "application/geo+json",
                              "title": "Capture date polygons", "roles": ["metadata"]},
            "thumbnail": {"href": rel + "/thumbnail.jpg", "type": "image/jpeg", "title": "Preview, 256 px",
                          "roles": ["thumbnail"]},
        },
    }
    with open(os.path.join(items_dir, ITEM_ID + ".json"), "w") as f:
        f.write(pretty_json(item))

    total = 0
    for root, _, files in os.walk(data_dir):
        for name in sorted(files):
            p = os.path.join(root, name)
            if name.startswith("geopera.db") or os.sep + "jobs" + os.sep in p:
                continue
            size = os.path.getsize(p)
            total += size
            print(f"{size:>10,d}  {os.path.relpath(p, data_dir)}")
    print(f"{total:>10,d}  total ({total / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
