/** Byte order: big-endian TIFF samples are swapped to the machine's (little-endian) order in place. */

/** Reverse the bytes of every `size`-byte sample of `bytes` in place. */
export function swapBytes(bytes: Uint8Array, size: 1 | 2 | 4 | 8): void {
  if (size === 1) return;
  const n = bytes.length - (bytes.length % size);
  for (let i = 0; i < n; i += size) {
    for (let a = i, b = i + size - 1; a < b; a++, b--) {
      const t = bytes[a];
      bytes[a] = bytes[b];
      bytes[b] = t;
    }
  }
}
