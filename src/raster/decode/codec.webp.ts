/**
 * WEBP tiles through sharp (libwebp), 3 or 4 bands of bytes. libwebp drops an all-opaque alpha
 * channel when encoding; it comes back as 255, as GDAL reads it.
 */
import type { OutputInfo } from 'sharp';
import { loadSharp } from '../native/sharp.load.js';
import { AppError } from '../../errors/app.error.js';

/** Decode a WEBP tile of `width` x `rows` pixels to `channels` (3 or 4) pixel-interleaved bytes. */
export async function webpDecode(tile: Uint8Array, width: number, rows: number, channels: number, what: string): Promise<Uint8Array> {
  if (channels !== 3 && channels !== 4) {
    throw new AppError('unsupported_tiff', `${what}: WEBP with ${channels} samples per pixel is not supported (3 or 4)`);
  }
  const sharp = await loadSharp();
  let result: { data: Buffer; info: OutputInfo };
  try {
    const image = sharp(tile, { limitInputPixels: width * rows, failOn: 'error' });
    result = await (channels === 4 ? image.ensureAlpha(1) : image.removeAlpha()).raw().toBuffer({ resolveWithObject: true });
  } catch (err) {
    throw new AppError('invalid_tiff', `${what}: cannot decode the WEBP tile (${(err as Error).message})`, { cause: err });
  }
  const { data, info } = result;
  if (info.width !== width || info.height < rows || info.channels !== channels) {
    throw new AppError('invalid_tiff', `${what}: WEBP tile is ${info.width}x${info.height}x${info.channels}, expected ${width}x${rows}x${channels}`);
  }
  return new Uint8Array(data.buffer, data.byteOffset, width * rows * channels);
}
