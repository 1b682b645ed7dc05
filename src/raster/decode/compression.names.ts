/** Names of TIFF Compression values, for messages. */

const NAMES: Readonly<Record<number, string>> = {
  1: 'none',
  2: 'CCITT RLE',
  3: 'CCITT Group 3 fax',
  4: 'CCITT Group 4 fax',
  5: 'LZW',
  6: 'old-style JPEG',
  7: 'JPEG',
  8: 'Adobe deflate',
  32773: 'PackBits',
  32946: 'DEFLATE',
  34661: 'JBIG',
  34712: 'JPEG 2000',
  34887: 'LERC',
  34925: 'LZMA',
  50000: 'ZSTD',
  50001: 'WEBP',
  50002: 'JPEG XL',
  52546: 'JPEG XL',
};

/** "LZW", "JPEG 2000", ... or "unknown". */
export function compressionName(code: number): string {
  return NAMES[code] ?? 'unknown';
}
