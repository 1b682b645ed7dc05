/**
 * 2x2 downsampling kernels for overviews, on pixel-interleaved (chunky) typed arrays.
 *
 * Output size is ceil(w/2) x ceil(h/2): output pixel (x, y) is the block of input columns 2x, 2x+1 and rows
 * 2y, 2y+1 that lie inside the image (the last column/row of an odd size is a partial block).
 *
 * Validity, as GDAL's overview builder treats it (checked against `gdaladdo -r average` on GDAL 3.6 for
 * even sizes): a pixel is valid when its mask value is non-zero (no mask: all valid); a sample is valid when
 * its pixel is valid and it is not the nodata value (NaN nodata matches NaN; without nodata a NaN sample is
 * an ordinary value and propagates into float averages, as in GDAL). Nodata is per band, the mask per pixel.
 * - `average`: mean of the block's valid samples; integer types round half away from zero (GDAL: 2.5 → 3,
 *   -2.5 → -3); float types keep the mean. No valid sample: nodata when set (and representable), else 0.
 * - `nearest`: the first valid sample in the order top-left, top-right, bottom-left, bottom-right (GDAL's
 *   nearest always takes the top-left pixel, valid or not; taking the first valid one keeps small valid
 *   areas at the edge of a mask visible and makes `nearest` and `average` masks agree).
 * - Output mask (only when a mask is given): 255 when any pixel of the block is valid, else 0 (as GDAL's
 *   mask overviews come out).
 */
import type { PixelArray } from '../raster.types.js';

export interface DownsampleOptions {
  method: 'average' | 'nearest';
  /** Per-pixel validity, 0 = invalid, else valid (GDAL masks use 0/255); width x height */
  mask?: Uint8Array;
  /** Nodata value of every band, or null/undefined for none */
  nodata?: number | null;
}

export interface Downsampled {
  /** ceil(width/2) x ceil(height/2) x bands samples, same type as the input, pixel-interleaved */
  pixels: PixelArray;
  /** Present when a mask was given: 255 where the block had a valid pixel, else 0 */
  mask?: Uint8Array;
  width: number;
  height: number;
}

type TypedCtor = new (length: number) => PixelArray;

/** Downsample a pixel-interleaved image by two in each direction. */
export function downsample2x(src: PixelArray, width: number, height: number, bands: number, opts: DownsampleOptions): Downsampled {
  if (src.length !== width * height * bands) {
    throw new RangeError(`downsample2x: ${src.length} samples for ${width}x${height}x${bands}`);
  }
  if (opts.mask && opts.mask.length !== width * height) {
    throw new RangeError(`downsample2x: mask has ${opts.mask.length} values for ${width}x${height}`);
  }
  const ow = Math.ceil(width / 2);
  const oh = Math.ceil(height / 2);
  const Ctor = src.constructor as TypedCtor;
  const out = new Ctor(ow * oh * bands);
  const isFloat = src instanceof Float32Array || src instanceof Float64Array;
  const nodata = opts.nodata ?? null;
  const outMask = opts.mask ? new Uint8Array(ow * oh) : undefined;
  if (opts.method === 'average' && !opts.mask && nodata === null) {
    averagePlain(src, out, width, height, bands, !isFloat);
  } else {
    general(src, out, width, height, bands, opts.method === 'average', !isFloat, opts.mask, nodata, fillValue(Ctor, nodata), outMask);
  }
  return { pixels: out, ...(outMask ? { mask: outMask } : {}), width: ow, height: oh };
}

/** The value written where nothing is valid: nodata when the type can hold it, else 0. */
function fillValue(Ctor: TypedCtor, nodata: number | null): number {
  if (nodata === null) return 0;
  const probe = new Ctor(1);
  probe[0] = nodata;
  return probe[0] === nodata || (Number.isNaN(nodata) && Number.isNaN(probe[0])) ? nodata : 0;
}

/** Mean of `n` integer samples summing to `sum`, rounded half away from zero. */
function roundMean(sum: number, n: number): number {
  return sum >= 0 ? Math.floor((2 * sum + n) / (2 * n)) : -Math.floor((n - 2 * sum) / (2 * n));
}

/** Average with every sample valid: the hot path (full 2x2 blocks), then the partial last column/row. */
function averagePlain(src: PixelArray, out: PixelArray, w: number, h: number, bands: number, isInt: boolean): void {
  const ow = Math.ceil(w / 2);
  const fullW = w >> 1;
  const rowLen = w * bands;
  for (let oy = 0; oy < Math.ceil(h / 2); oy++) {
    const r0 = 2 * oy * rowLen;
    const hasY1 = 2 * oy + 1 < h;
    const r1 = hasY1 ? r0 + rowLen : r0;
    let o = oy * ow * bands;
    if (hasY1) {
      // Full 2x2 blocks.
      let i = r0;
      let j = r1;
      for (let ox = 0; ox < fullW; ox++) {
        for (let b = 0; b < bands; b++, i++, j++, o++) {
          const sum = src[i]! + src[i + bands]! + src[j]! + src[j + bands]!;
          out[o] = isInt ? (sum >= 0 ? Math.floor((sum + 2) / 4) : -Math.floor((2 - sum) / 4)) : sum / 4;
        }
        i += bands;
        j += bands;
      }
    } else {
      for (let ox = 0; ox < fullW; ox++) {
        const i = r0 + 2 * ox * bands;
        for (let b = 0; b < bands; b++, o++) {
          const sum = src[i + b]! + src[i + b + bands]!;
          out[o] = isInt ? roundMean(sum, 2) : sum / 2;
        }
      }
    }
    if (ow > fullW) {
      // Odd width: the last block is one column wide.
      const i = r0 + (w - 1) * bands;
      const j = r1 + (w - 1) * bands;
      for (let b = 0; b < bands; b++, o++) {
        if (hasY1) {
          const sum = src[i + b]! + src[j + b]!;
          out[o] = isInt ? roundMean(sum, 2) : sum / 2;
        } else out[o] = src[i + b]!;
      }
    }
  }
}

/** Any method with a mask and/or nodata: per block, the valid pixels, then per band the valid samples. */
function general(
  src: PixelArray,
  out: PixelArray,
  w: number,
  h: number,
  bands: number,
  average: boolean,
  isInt: boolean,
  mask: Uint8Array | undefined,
  nodata: number | null,
  fill: number,
  outMask: Uint8Array | undefined,
): void {
  const ow = Math.ceil(w / 2);
  const oh = Math.ceil(h / 2);
  const hasNodata = nodata !== null;
  const nodataNaN = hasNodata && Number.isNaN(nodata);
  const nd = nodata ?? 0;
  const valid = new Int32Array(4);
  for (let oy = 0; oy < oh; oy++) {
    const y0 = 2 * oy;
    const hasY1 = y0 + 1 < h;
    for (let ox = 0; ox < ow; ox++) {
      const x0 = 2 * ox;
      const hasX1 = x0 + 1 < w;
      const p = y0 * w + x0;
      let nv = 0;
      if (!mask || mask[p] !== 0) valid[nv++] = p;
      if (hasX1 && (!mask || mask[p + 1] !== 0)) valid[nv++] = p + 1;
      if (hasY1 && (!mask || mask[p + w] !== 0)) valid[nv++] = p + w;
      if (hasX1 && hasY1 && (!mask || mask[p + w + 1] !== 0)) valid[nv++] = p + w + 1;
      const o = oy * ow + ox;
      if (outMask) outMask[o] = nv > 0 ? 255 : 0;
      for (let b = 0; b < bands; b++) {
        let sum = 0;
        let n = 0;
        for (let k = 0; k < nv; k++) {
          const v = src[valid[k]! * bands + b]!;
          if (hasNodata && (v === nd || (nodataNaN && v !== v))) continue;
          if (!average) {
            sum = v;
            n = 1;
            break;
          }
          sum += v;
          n++;
        }
        out[o * bands + b] = n === 0 ? fill : !average || n === 1 ? sum : isInt ? roundMean(sum, n) : sum / n;
      }
    }
  }
}
