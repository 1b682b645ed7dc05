/**
 * Seeded random polygons for the rasterizer and plan tests, and the brute-force pixel-centre reference
 * they are checked against.
 */
import type { Polygons, Ring } from '../../../src/raster/aoi/aoi.types.js';

/** mulberry32: a small seeded PRNG returning floats in [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A star-shaped (so simple) closed ring of `n` vertices around (cx, cy) with radii in [rMin, rMax]. */
export function starRing(r: () => number, cx: number, cy: number, rMin: number, rMax: number, n: number, clockwise = false): Ring {
  const angles = Array.from({ length: n }, () => r() * 2 * Math.PI).sort((a, b) => a - b);
  const ring: Ring = angles.map((a) => {
    const rad = rMin + r() * (rMax - rMin);
    return [cx + rad * Math.cos(a), cy + rad * Math.sin(a)];
  });
  if (clockwise) ring.reverse();
  ring.push([...ring[0]!]);
  return ring;
}

/**
 * Random multipolygon in a `w` x `h` pixel frame (reaching past it by `margin`): 1 to `maxParts` star
 * polygons (they may overlap: the mask is their union), each with up to 2 holes inside its inner radius.
 * `quantum` > 0 snaps every coordinate to multiples of it (vertices and horizontal edges on centre lines).
 */
export function randomPolygons(r: () => number, w: number, h: number, opts: { maxParts?: number; margin?: number; quantum?: number; maxVertices?: number } = {}): Polygons {
  const margin = opts.margin ?? 0.3;
  const parts = 1 + Math.floor(r() * (opts.maxParts ?? 3));
  const maxV = opts.maxVertices ?? 12;
  const polygons: Polygons = [];
  for (let p = 0; p < parts; p++) {
    const cx = (-margin + r() * (1 + 2 * margin)) * w;
    const cy = (-margin + r() * (1 + 2 * margin)) * h;
    const size = Math.max(w, h) * (0.1 + r() * 0.6);
    const rMin = size * (0.4 + r() * 0.3);
    const polygon: Ring[] = [starRing(r, cx, cy, rMin, size, 3 + Math.floor(r() * maxV), r() < 0.5)];
    const holes = Math.floor(r() * 3);
    for (let k = 0; k < holes; k++) {
      // Holes around offset centres, kept within the shell's inner radius; they may overlap each other (even-odd).
      const hx = cx + (r() - 0.5) * rMin * 0.5;
      const hy = cy + (r() - 0.5) * rMin * 0.5;
      const hr = rMin * (0.1 + r() * 0.35);
      polygon.push(starRing(r, hx, hy, hr * 0.3, hr, 3 + Math.floor(r() * 8), r() < 0.5));
    }
    polygons.push(polygon);
  }
  const q = opts.quantum ?? 0;
  return q > 0 ? polygons.map((poly) => poly.map((ring) => ring.map(([x, y]) => [Math.round(x / q) * q, Math.round(y / q) * q] as [number, number]))) : polygons;
}

/** Signed area of a ring (shoelace). */
export function ringArea(ring: Ring): number {
  let sum = 0;
  for (let k = 0; k + 1 < ring.length; k++) sum += ring[k]![0] * ring[k + 1]![1] - ring[k + 1]![0] * ring[k]![1];
  return sum / 2;
}

/**
 * Brute force: is the point inside any polygon, each taken even-odd over all its rings, with the
 * half-open rule (an edge counts when yLow <= y < yHigh and it crosses strictly left of x)?
 * `gdal` adds GDAL's burn of horizontal edges on y that run right to left once every ring is turned
 * clockwise in CRS coordinates (positive pixel-space area when north-up, negative when south-up).
 */
export function insideRef(polygons: Polygons, px: number, py: number, gdal: 'north-up' | 'south-up' | false = false): boolean {
  for (const polygon of polygons) {
    let odd = false;
    for (const ring of polygon) {
      const area = ringArea(ring);
      const reversed = gdal !== false && (gdal === 'north-up' ? area < 0 : area > 0);
      for (let k = 0; k + 1 < ring.length; k++) {
        let [x1, y1] = ring[k]!;
        let [x2, y2] = ring[k + 1]!;
        if (reversed) [x1, y1, x2, y2] = [x2, y2, x1, y1];
        if (y1 === y2) {
          if (gdal && y1 === py && x1 > x2 && Math.floor(x2 + 0.5) <= px - 0.5 && px - 0.5 < Math.floor(x1 + 0.5)) return true;
          continue;
        }
        if (y1 > y2) [x1, y1, x2, y2] = [x2, y2, x1, y1];
        if (py < y1 || py >= y2) continue;
        const x = ((py - y1) * (x2 - x1)) / (y2 - y1) + x1;
        if (x < px) odd = !odd;
      }
    }
    if (odd) return true;
  }
  return false;
}

/** Brute-force mask of a w x h raster by pixel centres (255/0, row-major). */
export function maskRef(polygons: Polygons, w: number, h: number, gdal: 'north-up' | 'south-up' | false = false): Uint8Array {
  const out = new Uint8Array(w * h);
  for (let r = 0; r < h; r++) for (let c = 0; c < w; c++) if (insideRef(polygons, c + 0.5, r + 0.5, gdal)) out[r * w + c] = 255;
  return out;
}
