/**
 * Resampled values to RGBA bytes: rescale (16-bit and float data), palette lookup, grey to RGB, and the
 * validity as alpha (transparent outside the AOI and the data).
 */
import type { RenderStyle } from './render.style.js';
import type { Resampled } from './tile.resample.js';
import type { ByteMapping } from './tile.resample.rgb.js';

/** The byte mapping of a three-band style: its rescale ranges, or identity for 8-bit data. */
export function byteMapping(style: Pick<RenderStyle, 'rescale'>): ByteMapping {
  const scale: [number, number, number] = [1, 1, 1];
  const offset: [number, number, number] = [0, 0, 0];
  for (let b = 0; b < 3; b++) {
    const [lo, hi] = style.rescale?.[b] ?? [0, 255];
    scale[b] = hi === lo ? 0 : 255 / (hi - lo);
    offset[b] = lo;
  }
  return { scale, offset };
}

/** `size × size × 4` RGBA bytes of a tile. */
export function colourise(r: Resampled, style: Pick<RenderStyle, 'rescale' | 'palette'>, pixels: number): Uint8Array {
  const out = new Uint8Array(pixels * 4);
  const nb = style.palette ? 1 : r.values.length / pixels;
  const { values, alpha } = r;
  const scale = new Float64Array(nb);
  const offset = new Float64Array(nb);
  for (let b = 0; b < nb; b++) {
    const range = style.rescale?.[b];
    // v → (v - min) * 255 / (max - min); identity for 8-bit data.
    const [lo, hi] = range ?? [0, 255];
    const span = hi - lo;
    scale[b] = span === 0 ? 0 : 255 / span;
    offset[b] = lo;
  }
  const palette = style.palette;
  const entries = palette ? palette.length / 3 : 0;
  for (let o = 0; o < pixels; o++) {
    const a = alpha[o]!;
    if (a === 0) continue;
    const q = o * 4;
    out[q + 3] = a;
    if (palette) {
      const idx = Math.round(values[o]!);
      if (idx >= 0 && idx < entries) {
        out[q] = palette[idx * 3]!;
        out[q + 1] = palette[idx * 3 + 1]!;
        out[q + 2] = palette[idx * 3 + 2]!;
      }
      continue;
    }
    const p = o * nb;
    if (nb === 1) {
      const g = clampByte((values[p]! - offset[0]!) * scale[0]!);
      out[q] = g;
      out[q + 1] = g;
      out[q + 2] = g;
    } else {
      out[q] = clampByte((values[p]! - offset[0]!) * scale[0]!);
      out[q + 1] = clampByte((values[p + 1]! - offset[1]!) * scale[1]!);
      out[q + 2] = clampByte((values[p + 2]! - offset[2]!) * scale[2]!);
    }
  }
  return out;
}

/** Round to the nearest byte value, clamped to 0..255 (NaN to 0). */
function clampByte(v: number): number {
  if (!(v > 0)) return 0;
  if (v >= 255) return 255;
  return (v + 0.5) | 0;
}
