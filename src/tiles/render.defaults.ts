/**
 * Dataset-wide render defaults, computed once from a sample of the data (the smallest overview is
 * enough): for 16-bit, 32-bit and float data a `rescale` range from the 2nd to the 98th percentile of
 * the drawn bands' valid values; `bidx` for rasters of more than 3 bands; the nodata value.
 * 8-bit data needs no rescale. The clip worker calls this when a job finishes; the tile service
 * calls it lazily (and caches it) when stored defaults are absent.
 */
import type { PixelArray, RasterInfo } from '../raster/raster.types.js';
import { alphaBandOf, dataBands, defaultBidx, isEightBit, isPalette, type RenderDefaults } from './render.style.js';

/** Pixels of a whole image level, pixel-interleaved (`info.bands` samples per pixel). */
export interface PixelSample {
  pixels: PixelArray;
  width: number;
  height: number;
  /** 1 where the pixel is valid (internal mask), 0 where masked; null or absent when all are valid */
  valid?: Uint8Array | null;
}

/** Percentiles used for the rescale range. */
export const RescalePercentiles: [number, number] = [2, 98];

/** Largest number of values sorted per band (bounds the time on the event loop to a few ms); larger samples are strided. */
const MaxSorted = 1 << 18;

/**
 * Render defaults of a raster from a pixel sample (null when no pixels can be read; then only
 * structural defaults are given). One rescale range covers all drawn bands, so colours keep their
 * balance: the lowest 2nd percentile to the highest 98th.
 */
export function computeRenderDefaults(info: Pick<RasterInfo, 'bands' | 'extraSamples' | 'dataType' | 'nodata' | 'photometric' | 'colorMap'>, sample: PixelSample | null): RenderDefaults {
  const out: RenderDefaults = {};
  if (dataBands(info).length > 3) out.bidx = defaultBidx(info);
  if (info.nodata !== null) out.nodata = info.nodata;
  if (isEightBit(info) || isPalette(info) || !sample) return out;
  const bidx = out.bidx ?? defaultBidx(info);
  let lo = Infinity;
  let hi = -Infinity;
  for (const b of bidx) {
    const values = validValues(info, sample, b - 1);
    if (values.length === 0) continue;
    const [p2, p98] = percentiles(values, RescalePercentiles);
    lo = Math.min(lo, p2);
    hi = Math.max(hi, p98);
  }
  if (lo === Infinity) return out;
  if (hi <= lo) hi = lo + 1;
  out.rescale = [[tidy(lo), tidy(hi)]];
  return out;
}

/** A band's valid values (mask, nodata, NaN, alpha 0 excluded), as float64. */
function validValues(info: Pick<RasterInfo, 'bands' | 'extraSamples' | 'nodata'>, sample: PixelSample, band: number): Float64Array {
  const n = sample.width * sample.height;
  const stride = info.bands;
  const alpha = alphaBandOf(info);
  const nodata = info.nodata;
  const nanNodata = nodata !== null && Number.isNaN(nodata);
  const step = Math.max(1, Math.ceil(n / MaxSorted));
  const out = new Float64Array(Math.ceil(n / step));
  let k = 0;
  for (let i = 0; i < n; i += step) {
    if (sample.valid && sample.valid[i] === 0) continue;
    const p = i * stride;
    if (alpha !== null && sample.pixels[p + alpha] === 0) continue;
    const v = sample.pixels[p + band]!;
    if (Number.isNaN(v) || !Number.isFinite(v)) continue;
    if (nodata !== null && !nanNodata && v === nodata) continue;
    out[k++] = v;
  }
  return out.subarray(0, k);
}

/** Percentiles (nearest rank on the sorted values) of a sample. */
export function percentiles(values: Float64Array, ps: readonly number[]): number[] {
  const sorted = Float64Array.from(values).sort();
  return ps.map((p) => {
    const rank = Math.min(sorted.length - 1, Math.max(0, Math.round((p / 100) * (sorted.length - 1))));
    return sorted[rank]!;
  });
}

/** Integers stay integers; other values keep 6 significant digits. */
function tidy(v: number): number {
  return Number.isInteger(v) ? v : Number(v.toPrecision(6));
}

/** True when drawing this raster needs a `rescale` range that `defaults` lack. */
export function needsRescale(info: Pick<RasterInfo, 'dataType' | 'photometric' | 'colorMap'>, defaults: RenderDefaults | null): boolean {
  return !isEightBit(info) && !isPalette(info) && !(defaults?.rescale && defaults.rescale.length > 0);
}

function isRange(v: unknown): v is [number, number] {
  return Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number' && Number.isFinite(x)) && (v[0] as number) < (v[1] as number);
}

/**
 * Render defaults as stored with a job output (JSON written by the clip worker), checked and
 * normalised: `nodata` "nan" becomes NaN; a `rescale` with one range per raster band is narrowed to
 * the drawn bands. Anything malformed is dropped (null when nothing usable remains).
 */
export function readStoredDefaults(raw: unknown, info: Pick<RasterInfo, 'bands' | 'extraSamples'>): RenderDefaults | null {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return null;
  const r = raw as Record<string, unknown>;
  const out: RenderDefaults = {};
  if (Array.isArray(r.bidx) && (r.bidx.length === 1 || r.bidx.length === 3) && r.bidx.every((b) => Number.isInteger(b) && (b as number) >= 1 && (b as number) <= info.bands)) {
    out.bidx = r.bidx as number[];
  }
  if (r.nodata === 'nan') out.nodata = NaN;
  else if (typeof r.nodata === 'number' || r.nodata === null) out.nodata = r.nodata;
  if (Array.isArray(r.rescale) && r.rescale.length > 0 && r.rescale.every(isRange)) {
    const ranges = r.rescale as [number, number][];
    const bidx = out.bidx ?? defaultBidx(info);
    if (ranges.length === 1 || ranges.length === bidx.length) out.rescale = ranges;
    else if (ranges.length === info.bands) out.rescale = bidx.map((b) => ranges[b - 1]!);
  }
  return Object.keys(out).length > 0 ? out : null;
}

/** Render defaults as JSON (NaN nodata as "nan"). */
export function defaultsJson(d: RenderDefaults): Record<string, unknown> {
  return { ...d, ...(d.nodata !== undefined && d.nodata !== null && Number.isNaN(d.nodata) ? { nodata: 'nan' } : {}) };
}
