/**
 * The first overview of one full-resolution output tile: its 2x2 average (tileWidth/2 x tileHeight/2).
 * Inside JPEG tiles are decoded at half size by libjpeg's DCT scaling, which is several times cheaper
 * than a full decode plus averaging: through geopera's addon (on the corpus' tiles 0.1-1.1 grey levels
 * from the 2x2 average of the full decode, on average), or without it through sharp's shrink-on-load
 * (0.3-2.7 levels: libvips' path is coarser). Other tiles are averaged from pixels.
 */
import { spliceJpegTables } from '../decode/codec.jpeg.js';
import { nativeCodecs } from '../native/codecs.native.js';
import { loadSharp } from '../native/sharp.load.js';
import { downsample2x } from '../plan/downsample.js';
import type { PixelArray } from '../raster.types.js';

export interface HalfTile {
  pixels: PixelArray;
  valid: Uint8Array;
}

/** Whether every value is non-zero (four 255s at a time where the array allows). */
export function allValid(valid: Uint8Array): boolean {
  let i = 0;
  if (valid.byteOffset % 4 === 0) {
    const words = new Uint32Array(valid.buffer, valid.byteOffset, valid.length >> 2);
    while (i < words.length && words[i] === 0xffffffff) i++;
    i *= 4;
  }
  for (; i < valid.length; i++) if (valid[i] === 0) return false;
  return true;
}

/** Whether any value is non-zero (four at a time where the array allows). */
export function anyValid(valid: Uint8Array): boolean {
  let i = 0;
  if (valid.byteOffset % 4 === 0) {
    const words = new Uint32Array(valid.buffer, valid.byteOffset, valid.length >> 2);
    for (; i < words.length; i++) if (words[i] !== 0) return true;
    i *= 4;
  }
  for (; i < valid.length; i++) if (valid[i]) return true;
  return false;
}

/** Buffers a half may be written into (a pool's): (tw/2) x (th/2) x bands samples, and (tw/2) x (th/2) validity. */
export interface HalfInto {
  pixels: PixelArray;
  valid: Uint8Array;
}

/** Half of a decoded tile (masked average, or the plain fast path when every pixel is valid), into `into` when given. */
export function halfFromPixels(pixels: PixelArray, valid: Uint8Array, tw: number, th: number, bands: number, method: 'average' | 'nearest', nodata: number | null, into?: HalfInto): HalfTile {
  if (allValid(valid)) {
    const d = downsample2x(pixels, tw, th, bands, { method, nodata, ...(into ? { into: { pixels: into.pixels } } : {}) });
    return { pixels: d.pixels, valid: allValidHalf(d.width * d.height, into) };
  }
  const d = downsample2x(pixels, tw, th, bands, { method, mask: valid, nodata, ...(into ? { into: { pixels: into.pixels, mask: into.valid } } : {}) });
  return { pixels: d.pixels, valid: d.mask! };
}

/** Validity of a half with every pixel valid: `into.valid` when it fits, else a new array. */
export function allValidHalf(length: number, into?: HalfInto): Uint8Array {
  return (into?.valid.length === length ? into.valid : new Uint8Array(length)).fill(255);
}

/** Half of a JPEG tile straight from its bytes (uint8, 1 or 3 bands, every pixel valid), into `into` when given (the addon's decode). */
export async function halfFromJpeg(bytes: Uint8Array, tables: Uint8Array | undefined, tw: number, th: number, bands: 1 | 3, into?: HalfInto): Promise<HalfTile> {
  const stream = spliceJpegTables(tables, bytes);
  const target = into?.pixels instanceof Uint8Array ? into.pixels : undefined;
  const half = nativeCodecs ? await nativeCodecs.jpegDecode(stream, bands, 2, tw * th, target) : null;
  const data = half?.width === tw / 2 && half.height === th / 2 ? half.data : await sharpHalfJpeg(stream, tw, th, bands);
  return { pixels: new Uint8Array(data.buffer, data.byteOffset, (tw / 2) * (th / 2) * bands), valid: allValidHalf((tw / 2) * (th / 2), into) };
}

/** The same half through sharp: used without the addon, and as the addon's reference in tests. */
export async function sharpHalfJpeg(stream: Uint8Array, tw: number, th: number, bands: 1 | 3): Promise<Buffer> {
  const sharp = await loadSharp();
  const image = sharp(stream, { failOn: 'error' }).resize(tw / 2, th / 2, { kernel: 'linear', fastShrinkOnLoad: true });
  return (bands === 1 ? image.toColourspace('b-w') : image).raw().toBuffer();
}
