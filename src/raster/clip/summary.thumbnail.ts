/**
 * A clip's PNG thumbnail: RGBA from palette colours, or bands 1–3 (1 as grey) stretched from each band's
 * 2nd to 98th percentile when not 8-bit, transparent where invalid, resized (Lanczos 3) to at most
 * `ThumbnailSide` pixels on its longest side.
 */
import { loadSharp } from '../native/sharp.load.js';
import type { PixelArray, RasterInfo } from '../raster.types.js';

/** Longest side of a thumbnail, px */
export const ThumbnailSide = 256;

/** What the colours of a thumbnail depend on. */
export type ThumbnailLayout = Pick<RasterInfo, 'bands' | 'dataType' | 'photometric' | 'colorMap'>;

/** The smallest level whose longest side is at least `side` (the thumbnail's source), else full resolution. */
export function thumbnailLevel(info: Pick<RasterInfo, 'levels'>, side = ThumbnailSide): number {
  for (let i = info.levels.length - 1; i >= 0; i--) if (Math.max(info.levels[i]!.width, info.levels[i]!.height) >= side) return i;
  return 0;
}

/** The PNG of a whole level's pixels (`width` x `height`, pixel-interleaved) and validity (0 = invalid). */
export async function thumbnailPng(layout: ThumbnailLayout, pixels: PixelArray, valid: Uint8Array, width: number, height: number): Promise<Buffer> {
  const scale = Math.min(1, ThumbnailSide / Math.max(width, height));
  const sharp = await loadSharp();
  return sharp(rgba(layout, pixels, valid, width * height), { raw: { width, height, channels: 4 } })
    .resize(Math.max(1, Math.round(width * scale)), Math.max(1, Math.round(height * scale)), { kernel: 'lanczos3' })
    .png()
    .toBuffer();
}

function rgba(info: ThumbnailLayout, pixels: PixelArray, valid: Uint8Array, count: number): Uint8Array {
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
