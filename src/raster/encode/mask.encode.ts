/**
 * GDAL internal mask tiles as GDAL's GTiff/COG drivers write them: 1 bit per pixel (BitsPerSample 1,
 * Photometric 4 "transparency mask"), MSB first, each row padded to a whole byte, 1 = valid,
 * compressed with DEFLATE (Compression 8, Predictor 1).
 */
import { AppError } from '../../errors/app.error.js';
import { nativeCodecs } from '../native/codecs.native.js';
import { DEFAULT_DEFLATE_LEVEL, deflateSmall } from './deflate.encode.js';

/** The bits of one byte of a packed mask: pixels `i`..`i + 7`, the first in the most significant bit. */
function eightBits(mask: Uint8Array, i: number): number {
  return (mask[i] !== 0 ? 0x80 : 0) | (mask[i + 1] !== 0 ? 0x40 : 0) | (mask[i + 2] !== 0 ? 0x20 : 0) | (mask[i + 3] !== 0 ? 0x10 : 0) |
    (mask[i + 4] !== 0 ? 0x08 : 0) | (mask[i + 5] !== 0 ? 0x04 : 0) | (mask[i + 6] !== 0 ? 0x02 : 0) | (mask[i + 7] !== 0 ? 0x01 : 0);
}

/** Non-zero when some byte of `w` is zero (the classic word test). */
const hasZeroByte = (w: number): number => (w - 0x01010101) & ~w & 0x80808080;

/**
 * Pack a byte mask (0 = invalid, anything else = valid) of `width` x `height` into 1-bit rows. Eight
 * pixels are read as two 32-bit words when the rows allow it: a clip's masks are mostly runs, so most
 * bytes are all invalid or all valid and need no per-pixel test.
 */
export function packMaskBits(mask: Uint8Array, width: number, height: number): Uint8Array {
  const rowBytes = (width + 7) >> 3;
  const out = new Uint8Array(rowBytes * height);
  const whole = width >> 3;
  const words = (mask.byteOffset & 3) === 0 && (width & 3) === 0 ? new Int32Array(mask.buffer, mask.byteOffset, (width * height) >> 2) : null;
  for (let y = 0; y < height; y++) {
    const src = y * width;
    const dst = y * rowBytes;
    if (words) {
      for (let k = 0, w = src >> 2; k < whole; k++, w += 2) {
        const a = words[w]!;
        const b = words[w + 1]!;
        if ((a | b) === 0) continue;
        out[dst + k] = hasZeroByte(a) === 0 && hasZeroByte(b) === 0 ? 0xff : eightBits(mask, src + k * 8);
      }
    } else {
      for (let k = 0; k < whole; k++) out[dst + k] = eightBits(mask, src + k * 8);
    }
    // The row's last partial byte.
    for (let x = whole * 8; x < width; x++) {
      if (mask[src + x] !== 0) out[dst + (x >> 3)]! |= 0x80 >> (x & 7);
    }
  }
  return out;
}

/**
 * Encode a byte mask tile (full tile size, row-major) as a DEFLATE-compressed 1-bit GDAL mask tile: packed
 * and compressed by the codec addon on libuv's pool (libdeflate costs a fraction of zlib's CPU, and the
 * clip's JavaScript thread, its busiest, is spared), else packed and compressed on the calling thread (`deflateSmall`: cheaper than a trip to
 * libuv's pool with zlib for so few bytes).
 */
export async function encodeMaskTile(mask: Uint8Array, width: number, height: number): Promise<Uint8Array> {
  if (mask.length !== width * height) throw new AppError('internal_error', `Mask tile ${width}x${height} needs ${width * height} bytes, got ${mask.length}`);
  // The addon packs the bits on its pool thread too: the same bits as packMaskBits.
  if (nativeCodecs) return nativeCodecs.maskEncode(mask, width, height, DEFAULT_DEFLATE_LEVEL);
  return deflateSmall(packMaskBits(mask, width, height), DEFAULT_DEFLATE_LEVEL);
}

const allValid = new Map<string, Promise<Uint8Array>>();

/**
 * The encoded mask tile of a fully valid tile, cached per size. GDAL 3.6 reads a sparse mask tile as
 * all invalid even where the image tile exists, so every written image tile needs a mask tile.
 */
export function allValidMaskTile(width: number, height: number): Promise<Uint8Array> {
  const key = `${width}x${height}`;
  let p = allValid.get(key);
  if (!p) {
    p = encodeMaskTile(new Uint8Array(width * height).fill(255), width, height);
    allValid.set(key, p);
    p.catch(() => allValid.delete(key));
  }
  return p;
}
