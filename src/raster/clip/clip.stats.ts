/**
 * Dataset statistics gathered while clipping, for tile render defaults: 16-bit and float data get a
 * dataset-wide `rescale` from the 2nd and 98th percentiles of valid pixels (a strided sample of every
 * decoded tile, so the cost stays small), computed once when the job finishes.
 */
import type { PixelArray, RasterInfo } from '../raster.types.js';

/** Samples kept per band at most. */
const MaxSamples = 200_000;
/** Every n-th valid pixel of each tile is sampled. */
const Stride = 17;

export function clipStats(bands: number) {
  const samples: number[][] = Array.from({ length: bands }, () => []);
  return {
    samples,
    add(pixels: PixelArray, valid: Uint8Array): void {
      for (let i = 0; i < valid.length; i += Stride) {
        if (!valid[i]) continue;
        for (let b = 0; b < bands; b++) {
          const v = pixels[i * bands + b]!;
          const s = samples[b]!;
          if (Number.isFinite(v) && s.length < MaxSamples) s.push(v);
        }
      }
    },
  };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.round((p / 100) * (sorted.length - 1))));
  return sorted[i]!;
}

/** Render defaults of an output: none for 8-bit; rescale per band from percentiles otherwise; bidx for > 3 bands. */
export function renderDefaultsOf(info: RasterInfo, stats: ReturnType<typeof clipStats>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const colorBands = info.bands - (info.extraSamples.some((e) => e === 1 || e === 2) ? 1 : 0);
  if (colorBands > 3) out.bidx = [1, 2, 3];
  if (info.dataType !== 'uint8' && info.photometric !== 3) {
    const nodata = info.nodata;
    out.rescale = stats.samples.map((s) => {
      const vals = (nodata === null ? s : s.filter((v) => v !== nodata)).sort((a, b) => a - b);
      return [percentile(vals, 2), percentile(vals, 98)];
    });
    out.percentiles = [2, 98];
  }
  if (info.nodata !== null) out.nodata = Number.isNaN(info.nodata) ? 'nan' : info.nodata;
  return out;
}
