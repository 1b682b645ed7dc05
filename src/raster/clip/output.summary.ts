/**
 * A written clip summarised for its STAC Item: per-band statistics of its valid pixels, from the output's
 * overview nearest 1024 pixels on its longest side (all of level 0 when the clip is smaller: exact statistics;
 * else approximate ones, as `gdalinfo -approx_stats` makes them from an overview), and a PNG thumbnail from the
 * smallest level at least 256 pixels on its longest side. Valid means inside the internal mask, or not the
 * nodata value.
 *
 * A clip gathers its summary from the tiles it writes (summary.gather.ts); `summariseOutput` reads any COG
 * back from its file, and is the definition the gathered summary is tested against.
 */
import { readRasterInfo } from '../read/raster.open.js';
import type { Source } from '../read/source.js';
import { readMaskWindow, readWindow } from '../read/window.read.js';
import type { PixelArray, RasterInfo } from '../raster.types.js';
import { bandStatistics, validity, type BandStatistics } from './summary.stats.js';
import { thumbnailLevel, thumbnailPng } from './summary.thumbnail.js';

export interface OutputSummary {
  /** One per band; null for a band without a valid pixel */
  statistics: (BandStatistics | null)[];
  /** The level read (0 = full resolution) and its size */
  level: number;
  width: number;
  height: number;
  /** PNG (RGBA, longest side at most `ThumbnailSide`), transparent outside the data */
  thumbnail: Buffer;
}

/** Longest side of the level read for statistics, px */
const SampleSide = 1024;

/** The first level (from full resolution down) whose longest side is at most `side`, else the smallest. */
export function summaryLevel(info: Pick<RasterInfo, 'levels'>, side = SampleSide): number {
  const i = info.levels.findIndex((l) => Math.max(l.width, l.height) <= side);
  return i >= 0 ? i : info.levels.length - 1;
}

/** The pixels, mask and validity of one whole level. */
async function readLevel(source: Source, info: RasterInfo, level: number): Promise<{ width: number; height: number; pixels: PixelArray; valid: Uint8Array; masked: boolean }> {
  const { width, height } = info.levels[level]!;
  const [pixels, mask] = await Promise.all([readWindow(source, info, level, 0, 0, width, height), readMaskWindow(source, info, level, 0, 0, width, height)]);
  return { width, height, pixels, valid: validity(info, pixels, mask, width * height), masked: mask !== null };
}

/**
 * Summarise the COG of an open source. The thumbnail is resized from the smallest level at least `ThumbnailSide`
 * pixels on its longest side (the statistics' level when that is the same one), so a 1024 px clip resizes its
 * 512 px overview rather than all of itself.
 */
export async function summariseOutput(source: Source): Promise<OutputSummary & { info: RasterInfo }> {
  const info = await readRasterInfo(source);
  const level = summaryLevel(info);
  const thumbAt = Math.max(level, thumbnailLevel(info));
  const [stats, thumb] = await Promise.all([readLevel(source, info, level), thumbAt === level ? null : readLevel(source, info, thumbAt)]);
  const t = thumb ?? stats;
  const thumbnail = await thumbnailPng(info, t.pixels, t.valid, t.width, t.height);
  const statistics = bandStatistics(stats.pixels, stats.valid, info.bands, stats.masked ? null : info.nodata);
  return { statistics, level, width: stats.width, height: stats.height, thumbnail, info };
}
