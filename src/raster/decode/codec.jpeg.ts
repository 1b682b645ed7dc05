/**
 * JPEG tiles through geopera's libjpeg-turbo addon when it is built, else through sharp (the same
 * libjpeg decode, the same pixels, more CPU a call). GDAL writes the quantisation and Huffman tables once,
 * in the JPEGTables tag; each tile is an abbreviated stream. The tables (minus their EOI) and the
 * tile (minus its SOI) make one complete JPEG. YCbCr data comes out as RGB, as GDAL reads it.
 */
import type { OutputInfo } from 'sharp';
import { loadSharp } from '../native/sharp.load.js';
import { AppError } from '../../errors/app.error.js';
import { nativeCodecs } from '../native/codecs.native.js';

// libvips keeps the results of recent operations (up to 50 MB) for reuse: every tile here is new bytes, so
// the cache never answers and only holds memory. Process-wide.

/** Splice JPEGTables in front of an abbreviated tile stream. */
export function spliceJpegTables(tables: Uint8Array | undefined, tile: Uint8Array): Uint8Array {
  if (!tables || tables.length < 4) return tile;
  const head = tables[tables.length - 2] === 0xff && tables[tables.length - 1] === 0xd9 ? tables.subarray(0, tables.length - 2) : tables;
  const body = tile[0] === 0xff && tile[1] === 0xd8 ? tile.subarray(2) : tile;
  const out = new Uint8Array(head.length + body.length);
  out.set(head, 0);
  out.set(body, head.length);
  return out;
}

/**
 * Decode a JPEG tile of `width` x `rows` pixels and `channels` samples (1 or 3) to pixel-interleaved bytes:
 * into `into` when it is given (a buffer to reuse; the addon writes there, sharp does not), else new ones.
 */
export async function jpegDecode(tile: Uint8Array, tables: Uint8Array | undefined, width: number, rows: number, channels: number, what: string, into?: Uint8Array): Promise<Uint8Array> {
  if (channels !== 1 && channels !== 3) {
    throw new AppError('unsupported_tiff', `${what}: JPEG with ${channels} samples per pixel is not supported (1 or 3)`);
  }
  const input = spliceJpegTables(tables, tile);
  if (nativeCodecs) {
    let decoded: Awaited<ReturnType<typeof nativeCodecs.jpegDecode>>;
    try {
      decoded = await nativeCodecs.jpegDecode(input, channels, 1, width * rows, into);
    } catch (err) {
      throw new AppError('invalid_tiff', `${what}: cannot decode the JPEG tile (${(err as Error).message})`, { cause: err });
    }
    // A stream with another number of components than the IFD says: sharp converts it.
    if (decoded) return checked(decoded.data, decoded.width, decoded.height, channels, width, rows, channels, what);
  }
  return sharpJpegDecode(input, width, rows, channels, what);
}

/** The same decode through sharp (libvips): used without the addon, and as the addon's reference in tests. */
export async function sharpJpegDecode(input: Uint8Array, width: number, rows: number, channels: 1 | 3, what: string): Promise<Uint8Array> {
  const sharp = await loadSharp();
  let result: { data: Buffer; info: OutputInfo };
  try {
    // sharp turns greyscale into sRGB unless told to keep one band.
    const image = sharp(input, { limitInputPixels: width * rows, failOn: 'error' });
    result = await (channels === 1 ? image.toColourspace('b-w') : image).raw().toBuffer({ resolveWithObject: true });
  } catch (err) {
    throw new AppError('invalid_tiff', `${what}: cannot decode the JPEG tile (${(err as Error).message})`, { cause: err });
  }
  const { data, info } = result;
  return checked(data, info.width, info.height, info.channels, width, rows, channels, what);
}

function checked(data: Uint8Array, w: number, h: number, c: number, width: number, rows: number, channels: number, what: string): Uint8Array {
  if (w !== width || h < rows || c !== channels) {
    throw new AppError('invalid_tiff', `${what}: JPEG tile is ${w}x${h}x${c}, expected ${width}x${rows}x${channels}`);
  }
  return new Uint8Array(data.buffer, data.byteOffset, width * rows * channels);
}
