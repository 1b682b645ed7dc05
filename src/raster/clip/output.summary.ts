/**
 * A written clip summarised for its STAC Item: per-band statistics of its valid pixels, from the output's
 * overview nearest 1024 pixels on its longest side (all of level 0 when the clip is smaller: exact statistics;
 * else approximate ones, as `gdalinfo -approx_stats` makes them from an overview), and a PNG thumbnail from the
 * smallest level at least 256 pixels on its longest side. Valid means inside the internal mask, or not the
 * nodata value.
 */
import sharp from 'sharp';
import { readRasterInfo } from '../read/raster.open.js';
import type { Source } from '../read/source.js';
import { readMaskWindow, readWindow } from '../read/window.read.js';
import type { PixelArray, RasterInfo } from '../raster.types.js';

/** STAC raster extension statistics of one band. */
export interface BandStatistics {
  minimum: number;
  maximum: number;
  mean: number;
  stddev: number;
  /** Share of the level's pixels that are valid, 0–100 */
  valid_percent: number;
}

export interface OutputSummary {
  /** One per band; null for a band without a valid pixel */
  statistics: (BandStatistics | null)[];
  /** The level read (0 = full resolution) and its size */
  level: number;
  width: number;
  height: number;
  /** PNG (RGBA, longest side at most `ThumbnailSide`), transparent outside the data */
  thumbnail: Buffer;
  /** The output as read */
  info: RasterInfo;
}

/** Longest side of the level read for statistics, px */
const SampleSide = 1024;
/** Longest side of a thumbnail, px */
export const ThumbnailSide = 256;

/** The first level (from full resolution down) whose longest side is at most `side`, else the smallest. */
export function summaryLevel(info: Pick<RasterInfo, 'levels'>, side = SampleSide): number {
  const i = info.levels.findIndex((l) => Math.max(l.width, l.height) <= side);
  return i >= 0 ? i : info.levels.length - 1;
}

/** Valid flags of a window: the mask, else every band unlike nodata. */
function validity(info: RasterInfo, pixels: PixelArray, mask: Uint8Array | null, count: number): Uint8Array {
  if (mask) return mask; // non-zero = valid, as read
  const valid = new Uint8Array(count);
  const nodata = info.nodata;
  for (let i = 0; i < count; i++) {
    if (nodata === null) {
      valid[i] = 1;
      continue;
    }
    let any = false;
    for (let b = 0; b < info.bands; b++) {
      const v = pixels[i * info.bands + b]!;
      if (Number.isNaN(nodata) ? !Number.isNaN(v) : v !== nodata) { any = true; break; }
    }
    valid[i] = any ? 1 : 0;
  }
  return valid;
}

/** Statistics of each band over the valid pixels (Welford's running mean and variance). */
export function bandStatistics(pixels: PixelArray, valid: Uint8Array, bands: number): (BandStatistics | null)[] {
  if (pixels instanceof Uint8Array) return byteStatistics(pixels, valid, bands);
  return Array.from({ length: bands }, (_, b) => {
    let n = 0;
    let mean = 0;
    let m2 = 0;
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < valid.length; i++) {
      if (!valid[i]) continue;
      const v = pixels[i * bands + b]!;
      if (!Number.isFinite(v)) continue;
      n++;
      const d = v - mean;
      mean += d / n;
      m2 += d * (v - mean);
      if (v < min) min = v;
      if (v > max) max = v;
    }
    if (n === 0) return null;
    return { minimum: min, maximum: max, mean, stddev: Math.sqrt(m2 / n), valid_percent: Math.round((n / valid.length) * 1e6) / 1e4 };
  });
}

/** Statistics of 8-bit bands from a histogram of each (exact: integer sums), several times faster than the running form. */
function byteStatistics(pixels: Uint8Array, valid: Uint8Array, bands: number): (BandStatistics | null)[] {
  const hist = new Uint32Array(256 * bands);
  let n = 0;
  if (bands === 3) {
    // RGB (most outputs) unrolled: one histogram a band, no inner loop.
    const h0 = hist.subarray(0, 256), h1 = hist.subarray(256, 512), h2 = hist.subarray(512, 768);
    for (let i = 0, o = 0; i < valid.length; i++, o += 3) {
      if (valid[i] === 0) continue;
      n++;
      h0[pixels[o]!]!++;
      h1[pixels[o + 1]!]!++;
      h2[pixels[o + 2]!]!++;
    }
  } else {
    for (let i = 0; i < valid.length; i++) {
      if (valid[i] === 0) continue;
      n++;
      const o = i * bands;
      for (let b = 0; b < bands; b++) hist[b * 256 + pixels[o + b]!]!++;
    }
  }
  return Array.from({ length: bands }, (_, b) => {
    if (n === 0) return null;
    let sum = 0;
    let min = 255;
    let max = 0;
    for (let v = 0; v < 256; v++) {
      const c = hist[b * 256 + v]!;
      if (c === 0) continue;
      sum += c * v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    const mean = sum / n;
    let m2 = 0;
    for (let v = min; v <= max; v++) m2 += hist[b * 256 + v]! * (v - mean) * (v - mean);
    return { minimum: min, maximum: max, mean, stddev: Math.sqrt(m2 / n), valid_percent: Math.round((n / valid.length) * 1e6) / 1e4 };
  });
}

/** RGBA bytes: palette colours, or bands 1–3 (or 1 as grey) stretched from each band's 2nd to 98th percentile when not 8-bit. */
function rgba(info: RasterInfo, pixels: PixelArray, valid: Uint8Array, count: number): Uint8Array {
  const out = new Uint8Array(count * 4);
  const bands = info.bands;
  if (pixels instanceof Uint8Array && info.photometric !== 3 && bands >= 3) {
    for (let i = 0, o = 0, p = 0; i < count; i++, o += 4, p += bands) {
      if (!valid[i]) continue;
      out[o] = pixels[p]!;
      out[o + 1] = pixels[p + 1]!;
      out[o + 2] = pixels[p + 2]!;
      out[o + 3] = 255;
    }
    return out;
  }
  const colour = info.photometric === 3 || bands < 3 ? [0, 0, 0] : [0, 1, 2];
  const stretch = colour.map((b) => {
    if (info.dataType === 'uint8') return [0, 255] as const;
    const vals: number[] = [];
    for (let i = 0; i < count; i += Math.max(1, Math.floor(count / 50_000))) if (valid[i]) vals.push(pixels[i * bands + b]!);
    vals.sort((x, y) => x - y);
    return vals.length ? ([vals[Math.floor(vals.length * 0.02)]!, vals[Math.min(vals.length - 1, Math.floor(vals.length * 0.98))]!] as const) : ([0, 1] as const);
  });
  const map = info.colorMap;
  const size = map ? map.length / 3 : 0;
  for (let i = 0; i < count; i++) {
    if (!valid[i]) continue;
    for (let c = 0; c < 3; c++) {
      const v = pixels[i * bands + colour[c]!]!;
      if (map && info.photometric === 3) out[i * 4 + c] = map[c * size + v]! >> 8;
      else {
        const [lo, hi] = stretch[c]!;
        out[i * 4 + c] = Math.max(0, Math.min(255, Math.round(((v - lo) / (hi - lo || 1)) * 255)));
      }
    }
    out[i * 4 + 3] = 255;
  }
  return out;
}

/** The smallest level whose longest side is at least `side` (the thumbnail's source), else full resolution. */
export function thumbnailLevel(info: Pick<RasterInfo, 'levels'>, side = ThumbnailSide): number {
  for (let i = info.levels.length - 1; i >= 0; i--) if (Math.max(info.levels[i]!.width, info.levels[i]!.height) >= side) return i;
  return 0;
}

/** The pixels, mask and validity of one whole level. */
async function readLevel(source: Source, info: RasterInfo, level: number): Promise<{ width: number; height: number; pixels: PixelArray; valid: Uint8Array }> {
  const { width, height } = info.levels[level]!;
  const [pixels, mask] = await Promise.all([readWindow(source, info, level, 0, 0, width, height), readMaskWindow(source, info, level, 0, 0, width, height)]);
  return { width, height, pixels, valid: validity(info, pixels, mask, width * height) };
}

/**
 * Summarise the COG of an open source. The thumbnail is resized from the smallest level at least `ThumbnailSide`
 * pixels on its longest side (the statistics' level when that is the same one), so a 1024 px clip resizes its
 * 512 px overview rather than all of itself.
 */
export async function summariseOutput(source: Source): Promise<OutputSummary> {
  const info = await readRasterInfo(source);
  const level = summaryLevel(info);
  const thumbAt = Math.max(level, thumbnailLevel(info));
  const [stats, thumb] = await Promise.all([readLevel(source, info, level), thumbAt === level ? null : readLevel(source, info, thumbAt)]);
  const t = thumb ?? stats;
  const scale = Math.min(1, ThumbnailSide / Math.max(t.width, t.height));
  const thumbnail = await sharp(rgba(info, t.pixels, t.valid, t.width * t.height), { raw: { width: t.width, height: t.height, channels: 4 } })
    .resize(Math.max(1, Math.round(t.width * scale)), Math.max(1, Math.round(t.height * scale)), { kernel: 'lanczos3' })
    .png()
    .toBuffer();
  return { statistics: bandStatistics(stats.pixels, stats.valid, info.bands), level, width: stats.width, height: stats.height, thumbnail, info };
}
