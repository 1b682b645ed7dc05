/**
 * geopera's codec addon (`addon.c`, `jpeg.c`, `png.c`, `deflate.c`, built by `npm run build:native` into build/Release):
 * libjpeg-turbo and libdeflate without libvips around them. Its JPEG encodes are the same bytes as sharp's
 * with geopera's settings and its decodes the same pixels, at about half sharp's CPU per encode (sharp's
 * libvips pipeline costs ~0.45 ms a call even for 8x8 pixels); its PNGs hold the same pixels as sharp's,
 * deflated by libdeflate instead of zlib-ng, and its zlib streams (DEFLATE and mask tiles) inflate to the
 * same bytes as node:zlib's. Absent when it was not built; callers then use sharp.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface NativeCodecs {
  /** Baseline JPEG, optimised Huffman tables, Annex K tables at `quality`, no JFIF marker. */
  jpegEncode(pixels: Uint8Array, width: number, height: number, components: 1 | 3, quality: number, subsampling: 1 | 2): Promise<Buffer>;
  /**
   * Pixels at 1/scaleDenom size; null when the stream has another number of components. Written into
   * `into` when it is given and holds them (`data` is then `into` itself; the caller leaves it alone until
   * the Promise settles), else into a new Buffer.
   */
  jpegDecode(stream: Uint8Array, components: 1 | 3, scaleDenom: 1 | 2 | 4 | 8, maxPixels: number, into?: Uint8Array): Promise<{ data: Uint8Array; width: number; height: number } | null>;
  /**
   * 8-bit RGB or RGBA PNG deflated by libdeflate at `level` (1-12); every row after the first with
   * `filter` (0 None, the default; 2 Up), the first with None.
   */
  pngEncode(pixels: Uint8Array, width: number, height: number, components: 3 | 4, level: number, filter?: 0 | 2): Promise<Buffer>;
  /** A zlib stream (RFC 1950) of `bytes` by libdeflate at `level` (1-12). */
  zlibEncode(bytes: Uint8Array, level: number): Promise<Buffer>;
  /**
   * A GDAL mask tile: `mask` (width x height bytes, 0 invalid) packed to 1 bit a pixel, most significant bit
   * first, rows padded to a byte (packMaskBits), then zlibEncode's stream, both on libuv's pool.
   */
  maskEncode(mask: Uint8Array, width: number, height: number, level: number): Promise<Buffer>;
  /**
   * Synchronous: `rows` rows of `rowBytes` bytes from src[srcStart + r * srcStride] to dst[dstStart + r * dstStride]
   * (a RangeError, and nothing copied, when a row falls outside either array).
   */
  copyRows(dst: Uint8Array, dstStart: number, dstStride: number, src: Uint8Array, srcStart: number, srcStride: number, rowBytes: number, rows: number): void;
  /**
   * glibc's malloc_trim(0), synchronous: what every thread's malloc arena holds free goes back to the
   * system (true when some did; false on another C library).
   */
  mallocTrim(): boolean;
  /**
   * mallopt(M_ARENA_MAX): threads allocating for the first time from now on share at most `arenas` malloc
   * arenas (true when set). bin/geopera.js calls it first thing; see there.
   */
  mallocArenaMax(arenas: number): boolean;
  /** How many malloc arenas the process has (0 on another C library). */
  mallocArenas(): number;
  /** JPEG_LIB_VERSION it was compiled against (62 for libjpeg62-turbo). */
  libjpegVersion: number;
}

/** The folder holding package.json, from this file in src/ (tsx) or dist/src/ (built). */
function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) return dir;
    dir = up;
  }
  return dir;
}

/** Where the addon is built. */
export const nativeCodecsFile = path.join(packageRoot(), 'build', 'Release', 'geopera_codecs.node');

/** Why the addon is not in use (not built, or it would not load), or null when it is. */
export let nativeCodecsMissing: string | null = null;

function load(): NativeCodecs | null {
  if (!existsSync(nativeCodecsFile)) {
    nativeCodecsMissing = 'not built (npm run build:native)';
    return null;
  }
  try {
    return createRequire(import.meta.url)(nativeCodecsFile) as NativeCodecs;
  } catch (err) {
    nativeCodecsMissing = `it would not load: ${(err as Error).message.split('\n')[0]}`;
    return null;
  }
}

/** The addon, or null when it is missing. Loaded once per thread. */
export const nativeCodecs: NativeCodecs | null = load();

/** Which libraries encode and decode JPEG and PNG tiles in this process, for the startup log. */
export function codecsName(): string {
  return nativeCodecs ? 'libjpeg-turbo and libdeflate (geopera addon)' : `sharp (the addon is ${nativeCodecsMissing})`;
}
