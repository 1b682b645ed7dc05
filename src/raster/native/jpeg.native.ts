/**
 * geopera's JPEG addon (`jpeg.addon.c`, built by `npm run build:native` into build/Release): libjpeg-turbo
 * without libvips around it. It writes the same bytes as sharp does with geopera's JPEG settings and
 * decodes to the same pixels, at about half sharp's CPU per encode (sharp's libvips pipeline costs
 * ~0.45 ms a call even for 8x8 pixels). Absent when it was not built; callers then use sharp.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface NativeJpeg {
  /** Baseline JPEG, optimised Huffman tables, Annex K tables at `quality`, no JFIF marker. */
  encode(pixels: Uint8Array, width: number, height: number, components: 1 | 3, quality: number, subsampling: 1 | 2): Promise<Buffer>;
  /** Pixels at 1/scaleDenom size; null when the stream has another number of components. */
  decode(stream: Uint8Array, components: 1 | 3, scaleDenom: 1 | 2 | 4 | 8, maxPixels: number): Promise<{ data: Buffer; width: number; height: number } | null>;
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
export const nativeJpegFile = path.join(packageRoot(), 'build', 'Release', 'geopera_jpeg.node');

/** Why the addon is not in use (not built, or it would not load), or null when it is. */
export let nativeJpegMissing: string | null = null;

function load(): NativeJpeg | null {
  if (!existsSync(nativeJpegFile)) {
    nativeJpegMissing = 'not built (npm run build:native)';
    return null;
  }
  try {
    return createRequire(import.meta.url)(nativeJpegFile) as NativeJpeg;
  } catch (err) {
    nativeJpegMissing = `it would not load: ${(err as Error).message.split('\n')[0]}`;
    return null;
  }
}

/** The addon, or null when it is missing. Loaded once per thread. */
export const nativeJpeg: NativeJpeg | null = load();

/** Which library encodes and decodes JPEG tiles in this process, for the startup log. */
export function jpegCodecName(): string {
  return nativeJpeg ? 'libjpeg-turbo (geopera addon)' : `sharp (the addon is ${nativeJpegMissing})`;
}
