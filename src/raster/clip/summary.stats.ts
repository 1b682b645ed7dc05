/**
 * Per-band statistics of a level's valid pixels, gathered block by block (a whole level read at once, or
 * its tiles as a clip writes them). 8-bit bands are counted in histograms (exact integer sums, in any
 * order); wider types keep each block's running mean and variance (Welford) and merge the blocks in the
 * order of their keys (Chan et al.), so the same tiles give the same figures whatever order they came in.
 * As GDAL's statistics: without an internal mask a band's nodata value is left out of that band (a
 * pixel valid in one band may be nodata in another), and non-finite values are left out.
 */
import type { PixelArray } from '../raster.types.js';

/** STAC raster extension statistics of one band. */
export interface BandStatistics {
  minimum: number;
  maximum: number;
  mean: number;
  stddev: number;
  /** Share of the level's pixels that are valid, 0–100 */
  valid_percent: number;
}

/** Running moments of one band over one block. */
interface Moments {
  n: number;
  mean: number;
  m2: number;
  min: number;
  max: number;
}

/** What decides validity: an internal mask, else the nodata value (null: every pixel is valid). */
export interface ValidityRule {
  bands: number;
  nodata: number | null;
}

/** Valid flags of a block: the mask (non-zero = valid, as read), else every band unlike nodata. */
export function validity(rule: ValidityRule, pixels: PixelArray, mask: Uint8Array | null, count: number): Uint8Array {
  if (mask) return mask;
  const valid = new Uint8Array(count);
  const { nodata, bands } = rule;
  if (nodata === null) return valid.fill(1);
  for (let i = 0; i < count; i++) {
    for (let b = 0; b < bands; b++) {
      const v = pixels[i * bands + b]!;
      if (Number.isNaN(nodata) ? !Number.isNaN(v) : v !== nodata) {
        valid[i] = 1;
        break;
      }
    }
  }
  return valid;
}

export class LevelStatistics {
  private readonly hist: Uint32Array | null;
  private valid = 0;
  private readonly blocks: { key: number; moments: Moments[] }[] = [];

  /**
   * `bytes`: 8-bit samples (histograms); `count`: the level's pixels, valid or not (valid_percent's denominator);
   * `nodata`: a value left out of each band (for outputs whose validity is their nodata value, not a mask).
   */
  constructor(private readonly bands: number, bytes: boolean, private readonly count: number, private readonly nodata: number | null = null) {
    this.hist = bytes ? new Uint32Array(256 * bands) : null;
  }

  /**
   * Add the valid pixels of a `cols` x `rows` block whose rows are `stride` pixels apart in `pixels`
   * (pixel-interleaved) and in `valid` (0 = invalid). `key` orders the blocks of wider types.
   */
  add(pixels: PixelArray, valid: Uint8Array, stride: number, cols: number, rows: number, key = 0): void {
    if (this.hist) this.valid += histogram(this.hist, pixels as Uint8Array, valid, this.bands, stride, cols, rows);
    else this.blocks.push({ key, moments: moments(pixels, valid, this.bands, stride, cols, rows, this.nodata) });
  }

  result(): (BandStatistics | null)[] {
    if (this.hist) return fromHistograms(this.hist, this.bands, this.valid, this.count, this.nodata);
    const sorted = [...this.blocks].sort((a, b) => a.key - b.key);
    return Array.from({ length: this.bands }, (_, b) => {
      let m: Moments = { n: 0, mean: 0, m2: 0, min: Infinity, max: -Infinity };
      for (const block of sorted) m = merge(m, block.moments[b]!);
      if (m.n === 0) return null;
      return { minimum: m.min, maximum: m.max, mean: m.mean, stddev: Math.sqrt(m.m2 / m.n), valid_percent: percent(m.n, this.count) };
    });
  }
}

/** Statistics of each band over the valid pixels of one whole block (8-bit from histograms, else running moments). */
export function bandStatistics(pixels: PixelArray, valid: Uint8Array, bands: number, nodata: number | null = null): (BandStatistics | null)[] {
  const stats = new LevelStatistics(bands, pixels instanceof Uint8Array, valid.length, nodata);
  stats.add(pixels, valid, valid.length, valid.length, 1);
  return stats.result();
}

const percent = (n: number, count: number): number => Math.round((n / count) * 1e6) / 1e4;

function moments(pixels: PixelArray, valid: Uint8Array, bands: number, stride: number, cols: number, rows: number, nodata: number | null): Moments[] {
  return Array.from({ length: bands }, (_, b) => {
    let n = 0;
    let mean = 0;
    let m2 = 0;
    let min = Infinity;
    let max = -Infinity;
    for (let r = 0; r < rows; r++) {
      for (let i = r * stride, end = i + cols; i < end; i++) {
        if (!valid[i]) continue;
        const v = pixels[i * bands + b]!;
        if (!Number.isFinite(v) || v === nodata) continue;
        n++;
        const d = v - mean;
        mean += d / n;
        m2 += d * (v - mean);
        if (v < min) min = v;
        if (v > max) max = v;
      }
    }
    return { n, mean, m2, min, max };
  });
}

/** Two blocks' moments as one (Chan, Golub and LeVeque's pairwise update); exact when either is empty. */
function merge(a: Moments, b: Moments): Moments {
  if (b.n === 0) return a;
  if (a.n === 0) return b;
  const n = a.n + b.n;
  const d = b.mean - a.mean;
  return { n, mean: a.mean + (d * b.n) / n, m2: a.m2 + b.m2 + (d * d * a.n * b.n) / n, min: Math.min(a.min, b.min), max: Math.max(a.max, b.max) };
}

/** Count a block's valid 8-bit samples into one 256-bin histogram a band; returns the valid pixels. */
function histogram(hist: Uint32Array, pixels: Uint8Array, valid: Uint8Array, bands: number, stride: number, cols: number, rows: number): number {
  let n = 0;
  // RGB (most outputs) unrolled: one histogram a band, no inner loop.
  const h0 = hist.subarray(0, 256), h1 = hist.subarray(256, 512), h2 = hist.subarray(512, 768);
  for (let r = 0; r < rows; r++) {
    const end = r * stride + cols;
    if (bands === 3) {
      for (let i = r * stride, o = i * 3; i < end; i++, o += 3) {
        if (valid[i] === 0) continue;
        n++;
        h0[pixels[o]!]!++;
        h1[pixels[o + 1]!]!++;
        h2[pixels[o + 2]!]!++;
      }
      continue;
    }
    for (let i = r * stride; i < end; i++) {
      if (valid[i] === 0) continue;
      n++;
      const o = i * bands;
      for (let b = 0; b < bands; b++) hist[b * 256 + pixels[o + b]!]!++;
    }
  }
  return n;
}

function fromHistograms(hist: Uint32Array, bands: number, valid: number, count: number, nodata: number | null): (BandStatistics | null)[] {
  return Array.from({ length: bands }, (_, b) => {
    const h = hist.subarray(b * 256, b * 256 + 256);
    const skip = nodata !== null && Number.isInteger(nodata) && nodata >= 0 && nodata <= 255 ? nodata : -1;
    const n = valid - (skip >= 0 ? h[skip]! : 0);
    if (n === 0) return null;
    let sum = 0;
    let min = 255;
    let max = 0;
    for (let v = 0; v < 256; v++) {
      if (h[v] === 0 || v === skip) continue;
      sum += h[v]! * v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    const mean = sum / n;
    let m2 = 0;
    for (let v = min; v <= max; v++) if (v !== skip) m2 += h[v]! * (v - mean) * (v - mean);
    return { minimum: min, maximum: max, mean, stddev: Math.sqrt(m2 / n), valid_percent: percent(n, count) };
  });
}
