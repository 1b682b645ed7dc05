/**
 * DEFLATE tiles (TIFF Compression 8 / 32946: a zlib stream, RFC 1950) on libuv's thread pool, so the
 * event loop stays free: through geopera's codec addon (libdeflate, as GDAL builds use) when it is built,
 * else through node:zlib's asynchronous API.
 */
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { nativeCodecs } from '../native/codecs.native.js';

const deflateAsync = promisify(zlib.deflate);

/**
 * GDAL's default ZLEVEL, so outputs are about the size GDAL would write (egress is metered by bytes).
 * Measured on a 512x512 aerial RGB tile with predictor 2: level 6 ~30 ms, 376 KiB; level 3 ~13 ms,
 * 386 KiB (+2.7%); level 1 ~11 ms, 402 KiB (+7%). Pass `deflateLevel` for speed over size.
 */
export const DEFAULT_DEFLATE_LEVEL = 6;

/** Compress bytes into a zlib stream at `level` (1-9). */
export async function deflateEncode(bytes: Uint8Array, level: number = DEFAULT_DEFLATE_LEVEL): Promise<Uint8Array> {
  if (nativeCodecs) return nativeCodecs.zlibEncode(bytes, level);
  const out = await deflateAsync(bytes, { level, memLevel: 9 });
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/**
 * Compress a small input (a mask tile: 32 KiB for 512²) on the calling thread: without the addon, handing it
 * to libuv's pool costs more than the compression (a 512² AOI-edge mask tile took 0.45-0.66 ms of CPU
 * through `zlib.deflate`, 0.10 ms through `zlib.deflateSync`, `.bench`-style loop of 200, three rounds).
 */
export function deflateSmall(bytes: Uint8Array, level: number = DEFAULT_DEFLATE_LEVEL): Uint8Array {
  const out = zlib.deflateSync(bytes, { level, memLevel: 9 });
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}
