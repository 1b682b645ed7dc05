/**
 * How a raster is drawn on a map: which bands go to red, green and blue, how values map to 8 bits,
 * which band is alpha, and the resampling. Derived from the raster's structure, its stored render
 * defaults and the tile request's `bidx` / `rescale` / `resampling` overrides.
 */
import { AppError } from '../errors/app.error.js';
import type { RasterInfo } from '../raster/raster.types.js';
import type { Resampling } from './tile.resample.js';

/** Stored per output (and reported by tile_info): what a client should send to draw the data well. */
export interface RenderDefaults {
  /** Value range mapped to 0..255, one `[min, max]` per output band (or one for all) */
  rescale?: [number, number][];
  /** 1-based band indices drawn as red, green, blue (or one band as grey) */
  bidx?: number[];
  /** Value treated as transparent */
  nodata?: number | null;
}

/** Overrides from a tile URL's query. */
export interface StyleOverrides {
  bidx?: number[];
  rescale?: [number, number][];
  resampling?: Resampling;
}

/** The resolved drawing recipe. */
export interface RenderStyle {
  /** 0-based source bands sampled, in output order (1 = grey, 3 = RGB) */
  bands: number[];
  /** 0-based alpha band, when the raster has one (sampled for validity, never drawn) */
  alphaBand: number | null;
  resampling: Resampling;
  /** Per output band `[min, max]` mapped to 0..255; null keeps values as they are (8-bit data) */
  rescale: [number, number][] | null;
  /** RGB bytes per palette index (3 per entry) for palette images drawn as their one band */
  palette: Uint8Array | null;
  /** Value treated as transparent (when every sampled band has it) */
  nodata: number | null;
}

/** 0-based index of the raster's alpha band (ExtraSamples 1 or 2), or null. */
export function alphaBandOf(info: Pick<RasterInfo, 'bands' | 'extraSamples'>): number | null {
  const k = info.extraSamples.findIndex((s) => s === 1 || s === 2);
  return k < 0 ? null : info.bands - info.extraSamples.length + k;
}

/** Bands that carry colour or values (every band but alpha), 1-based. */
export function dataBands(info: Pick<RasterInfo, 'bands' | 'extraSamples'>): number[] {
  const alpha = alphaBandOf(info);
  return Array.from({ length: info.bands }, (_, i) => i).filter((i) => i !== alpha).map((i) => i + 1);
}

/** The default `bidx`: the first three data bands (or the one band), 1-based. */
export function defaultBidx(info: Pick<RasterInfo, 'bands' | 'extraSamples'>): number[] {
  const bands = dataBands(info);
  return bands.length >= 3 ? bands.slice(0, 3) : bands.slice(0, 1);
}

/** True when values are colours already (8-bit unsigned). */
export function isEightBit(info: Pick<RasterInfo, 'dataType'>): boolean {
  return info.dataType === 'uint8';
}

/** True for palette images (PhotometricInterpretation 3 with a ColorMap). */
export function isPalette(info: Pick<RasterInfo, 'photometric' | 'colorMap'>): boolean {
  return info.photometric === 3 && Array.isArray(info.colorMap) && info.colorMap.length >= 3;
}

/** ColorMap (3 × 2^bits uint16 values, all reds then greens then blues) as RGB bytes per entry. */
export function paletteBytes(colorMap: readonly number[]): Uint8Array {
  const n = Math.floor(colorMap.length / 3);
  const out = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    out[i * 3] = colorMap[i]! >> 8;
    out[i * 3 + 1] = colorMap[n + i]! >> 8;
    out[i * 3 + 2] = colorMap[2 * n + i]! >> 8;
  }
  return out;
}

/** Resolve the style; throws 422 `invalid_input` for a `bidx` naming a missing band or of a bad length. */
export function resolveStyle(info: RasterInfo, defaults: RenderDefaults | null, overrides: StyleOverrides = {}): RenderStyle {
  const bidx = overrides.bidx ?? defaults?.bidx ?? defaultBidx(info);
  if (bidx.length !== 1 && bidx.length !== 3) throw new AppError('invalid_input', `bidx must name 1 or 3 bands, got ${bidx.length}`);
  for (const b of bidx) {
    if (!Number.isInteger(b) || b < 1 || b > info.bands) throw new AppError('invalid_input', `bidx ${b} is not a band of this raster (1..${info.bands})`);
  }
  const palette = bidx.length === 1 && isPalette(info) && !overrides.rescale ? paletteBytes(info.colorMap!) : null;
  let rescale: [number, number][] | null = overrides.rescale ?? null;
  if (!rescale && !palette && !isEightBit(info)) rescale = defaults?.rescale ?? null;
  if (rescale) {
    if (rescale.length !== 1 && rescale.length !== bidx.length) throw new AppError('invalid_input', `rescale needs 1 or ${bidx.length} ranges, got ${rescale.length}`);
    rescale = bidx.map((_, i) => rescale![rescale!.length === 1 ? 0 : i]!);
  }
  const nodata = defaults?.nodata !== undefined ? defaults.nodata : info.nodata;
  return {
    bands: bidx.map((b) => b - 1),
    alphaBand: alphaBandOf(info),
    resampling: overrides.resampling ?? (palette || isPalette(info) ? 'nearest' : 'bilinear'),
    rescale,
    palette,
    nodata: nodata ?? null,
  };
}
