/**
 * The lossless byte-stream codecs: their output is the tile's raw sample bytes in file order,
 * before byte swapping and predictors. Each stops at `maxBytes` (the tile's decoded size).
 */
import { AppError } from '../../errors/app.error.js';
import { Compression } from '../raster.types.js';
import { compressionName } from './compression.names.js';
import { inflateTile } from './codec.deflate.js';
import { lzwDecode } from './codec.lzw.js';
import { packbitsDecode } from './codec.packbits.js';
import { zstdDecode } from './codec.zstd.js';

/** True for the codecs `decompressRaw` handles. */
export function isRawCodec(compression: number): boolean {
  return (
    compression === Compression.None ||
    compression === Compression.Lzw ||
    compression === Compression.Deflate ||
    compression === Compression.AdobeDeflate ||
    compression === Compression.PackBits ||
    compression === Compression.Zstd
  );
}

/**
 * Decompress one tile into a fresh buffer of at most `maxBytes` bytes (the caller checks it got
 * the bytes it needs). The input is never modified.
 */
export async function decompressRaw(compression: number, bytes: Uint8Array, maxBytes: number, what: string): Promise<Uint8Array> {
  switch (compression) {
    case Compression.None:
      return bytes.slice(0, maxBytes);
    case Compression.Lzw:
      return lzwDecode(bytes, maxBytes, what);
    case Compression.Deflate:
    case Compression.AdobeDeflate:
      return inflateTile(bytes, maxBytes, what);
    case Compression.PackBits:
      return packbitsDecode(bytes, maxBytes);
    case Compression.Zstd:
      return zstdDecode(bytes, maxBytes, what);
    default:
      throw new AppError('unsupported_compression', `Compression ${compression} (${compressionName(compression)}) is not supported`);
  }
}
