/**
 * RGBA tile pixels to PNG, WEBP or JPEG, off the event loop. PNG and WEBP keep the alpha channel
 * (transparent outside the AOI and the data); JPEG has none, so those pixels are black. Opaque tiles
 * are encoded as RGB: a quarter fewer bytes. PNG, and JPEG of opaque tiles, go through geopera's codec
 * addon when it is built (libdeflate with the Up filter, `NativePng`; libjpeg-turbo, the same bytes as
 * sharp's); WEBP, JPEG with transparent pixels to flatten, and everything without the addon, through
 * sharp (libvips).
 */
import type { Sharp } from 'sharp';
import { loadSharp } from '../raster/native/sharp.load.js';
import { nativeCodecs } from '../raster/native/codecs.native.js';
import { packRgb } from './rgb.pack.js';
import type { TileFormat } from './tile.request.js';

/**
 * Encoder settings: tuned for map tiles (fast, small), shared with the benchmark's encode-only baseline.
 * PNG's level is zlib's for sharp and libdeflate's for the addon (the same scale, libdeflate's output smaller).
 */
export const EncodeSettings = {
  png: { compressionLevel: 6, adaptiveFiltering: false },
  webp: { quality: 80, alphaQuality: 100, effort: 2 },
  jpg: { quality: 85, mozjpeg: false },
} as const;

/**
 * The addon's PNG: every row but the first filtered Up (minus the row above), deflated at libdeflate's
 * level 2. On the sample area's 1406 map tiles (encoded one after another in one thread; `bench:tiles` reports the rate):
 * 1.16 ms a tile and 46.4 MB, against 2.09 ms and 68.6 MB with filter None at level 6 (the setting above,
 * which the tiles had before) and sharp's 3.5 ms and 70.2 MB: a third fewer bytes for half the CPU.
 */
export const NativePng = { level: 2, filter: 2 } as const;

/** True when every pixel is opaque (so PNG and WEBP may drop the alpha channel). */
function opaque(rgba: Uint8Array): boolean {
  for (let i = 3; i < rgba.length; i += 4) if (rgba[i] !== 255) return false;
  return true;
}

/** Spare RGB buffers per byte length: sharp reads one until its encode settles, then it is reused. */
const spare = new Map<number, Uint8Array[]>();
/** Spare buffers kept per length (as many as encodes usually in flight). */
const MaxSpare = 64;

function takeRgb(length: number): Uint8Array {
  return spare.get(length)?.pop() ?? new Uint8Array(length);
}

function giveRgb(b: Uint8Array): void {
  let list = spare.get(b.length);
  if (!list) {
    list = [];
    spare.set(b.length, list);
  }
  if (list.length < MaxSpare) list.push(b);
}

/** The addon's encode of opaque RGB or (PNG only) RGBA pixels, or null when sharp must do it. */
function nativeEncode(pixels: Uint8Array, size: number, components: 3 | 4, format: TileFormat): Promise<Buffer> | null {
  if (!nativeCodecs) return null;
  if (format === 'png') return nativeCodecs.pngEncode(pixels, size, size, components, NativePng.level, NativePng.filter);
  if (format === 'jpg' && components === 3) return nativeCodecs.jpegEncode(pixels, size, size, 3, EncodeSettings.jpg.quality, 2);
  return null;
}

function encoder(img: Sharp, format: TileFormat): Promise<Buffer> {
  if (format === 'png') return img.png(EncodeSettings.png).toBuffer();
  if (format === 'webp') return img.webp(EncodeSettings.webp).toBuffer();
  return img.jpeg(EncodeSettings.jpg).toBuffer();
}

/** Encode `size × size` RGBA bytes; `opaqueKnown` when the caller knows every alpha is 255 (spares the scan). */
export async function encodeTile(rgba: Uint8Array, size: number, format: TileFormat, opaqueKnown = false): Promise<Buffer> {
  if (opaqueKnown || opaque(rgba)) {
    const rgb = takeRgb(size * size * 3);
    packRgb(rgba, rgb);
    try {
      return await (nativeEncode(rgb, size, 3, format) ?? encoder((await loadSharp())(Buffer.from(rgb.buffer, rgb.byteOffset, rgb.byteLength), { raw: { width: size, height: size, channels: 3 } }), format));
    } finally {
      giveRgb(rgb);
    }
  }
  const own = nativeEncode(rgba, size, 4, format);
  if (own) return own;
  const sharp = await loadSharp();
  const img = sharp(Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength), { raw: { width: size, height: size, channels: 4 } });
  return encoder(format === 'jpg' ? img.flatten({ background: '#000000' }) : img, format);
}
