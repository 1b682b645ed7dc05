/** PackBits (Apple run-length encoding, TIFF Compression 32773). */

/** Decode PackBits into at most `maxBytes` bytes (a longer stream is cut there, as libtiff does). */
export function packbitsDecode(bytes: Uint8Array, maxBytes: number): Uint8Array {
  const out = new Uint8Array(maxBytes);
  let i = 0;
  let o = 0;
  while (i < bytes.length && o < maxBytes) {
    const n = (bytes[i++] << 24) >> 24;
    if (n >= 0) {
      const len = Math.min(n + 1, maxBytes - o, bytes.length - i);
      out.set(bytes.subarray(i, i + len), o);
      i += n + 1;
      o += len;
    } else if (n !== -128) {
      if (i >= bytes.length) break;
      const len = Math.min(1 - n, maxBytes - o);
      out.fill(bytes[i++], o, o + len);
      o += len;
    }
  }
  return o === maxBytes ? out : out.subarray(0, o);
}
