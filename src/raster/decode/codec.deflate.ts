/**
 * DEFLATE and Adobe deflate (zlib streams) through node:zlib on the libuv thread pool. The output is
 * capped at the tile's decoded size, so a deflate bomb stops at that size with `tile_too_large`.
 */
import { inflate } from 'node:zlib';
import { AppError } from '../../errors/app.error.js';

/** Inflate a zlib stream to at most `maxBytes` bytes. */
export function inflateTile(bytes: Uint8Array, maxBytes: number, what: string): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    inflate(bytes, { maxOutputLength: Math.max(1, maxBytes) }, (err, out) => {
      if (!err) return resolve(out);
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ERR_BUFFER_TOO_LARGE') reject(new AppError('tile_too_large', `${what}: DEFLATE data decompresses to more than ${maxBytes} bytes`));
      else reject(new AppError('invalid_tiff', `${what}: corrupt DEFLATE data (${err.message})`, { cause: err }));
    });
  });
}
