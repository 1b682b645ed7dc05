/**
 * RGBA tile pixels to PNG, WEBP or JPEG with sharp (libvips, off the event loop). PNG and WEBP keep
 * the alpha channel (transparent outside the AOI and the data); JPEG has none, so those pixels are black.
 */
import sharp from 'sharp';
import type { TileFormat } from './tile.request.js';

/** Encoder settings: tuned for map tiles (fast, small), shared with the benchmark's encode-only baseline. */
export const EncodeSettings = {
  png: { compressionLevel: 6, adaptiveFiltering: false },
  webp: { quality: 80, alphaQuality: 100, effort: 2 },
  jpg: { quality: 85, mozjpeg: false },
} as const;

/** True when every pixel is opaque (so PNG and WEBP may drop the alpha channel). */
function opaque(rgba: Uint8Array): boolean {
  for (let i = 3; i < rgba.length; i += 4) if (rgba[i] !== 255) return false;
  return true;
}

/** Encode `size × size` RGBA bytes; `opaqueKnown` when the caller knows every alpha is 255 (spares the scan). */
export async function encodeTile(rgba: Uint8Array, size: number, format: TileFormat, opaqueKnown = false): Promise<Buffer> {
  const raw = { raw: { width: size, height: size, channels: 4 as const } };
  const input = Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength);
  if (format === 'jpg') return sharp(input, raw).flatten({ background: '#000000' }).jpeg(EncodeSettings.jpg).toBuffer();
  const img = opaqueKnown || opaque(rgba) ? sharp(input, raw).removeAlpha() : sharp(input, raw);
  return format === 'png' ? img.png(EncodeSettings.png).toBuffer() : img.webp(EncodeSettings.webp).toBuffer();
}
