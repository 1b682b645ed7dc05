/**
 * TIFF LZW (Compression 5): codes of 9 to 12 bits, most significant bit first, ClearCode 256,
 * EndOfInformation 257, and the "early change" of code width libtiff's encoder uses. Table entries
 * point back into the output (every entry is an earlier output string plus one byte), so decoding
 * a code is one forward copy.
 */
import { AppError } from '../../errors/app.error.js';

const CLEAR = 256;
const EOI = 257;

/** Decode TIFF LZW into at most `maxBytes` bytes (returns a shorter view when the data ends first). */
export function lzwDecode(input: Uint8Array, maxBytes: number, what: string): Uint8Array {
  if (input.length >= 2 && input[0] === 0 && (input[1] & 1) === 1) {
    throw new AppError('unsupported_compression', `${what}: Compression 5 (old-style LZW, LSB first) is not supported`);
  }
  const out = new Uint8Array(maxBytes);
  const start = new Int32Array(4096);
  const length = new Int32Array(4096);
  const n = input.length;
  let pos = 0;
  let bits = 0;
  let bitCount = 0;
  let width = 9;
  let next = 258;
  let o = 0;
  let prevStart = -1;
  let prevLength = 0;
  while (o < maxBytes) {
    while (bitCount < width) {
      if (pos >= n) return out.subarray(0, o);
      bits = (bits << 8) | input[pos++];
      bitCount += 8;
    }
    bitCount -= width;
    const code = (bits >>> bitCount) & ((1 << width) - 1);
    bits &= (1 << bitCount) - 1;
    if (code === EOI) break;
    if (code === CLEAR) {
      width = 9;
      next = 258;
      prevStart = -1;
      continue;
    }
    const at = o;
    let len: number;
    if (code < 256) {
      out[o++] = code;
      len = 1;
    } else if (code < next) {
      len = length[code];
      const from = start[code];
      if (len <= 16 && o + len <= maxBytes) {
        for (let i = 0; i < len; i++) out[o + i] = out[from + i];
        o += len;
      } else o = copy(out, from, len, o, maxBytes);
    } else if (code === next && prevStart >= 0) {
      // KwKwK: the previous string followed by its own first byte.
      len = prevLength + 1;
      o = copy(out, prevStart, prevLength, o, maxBytes);
      if (o < maxBytes) out[o++] = out[prevStart];
    } else {
      throw new AppError('invalid_tiff', `${what}: corrupt LZW data (code ${code} before table entry ${next})`);
    }
    if (prevStart >= 0 && next < 4096) {
      start[next] = prevStart;
      length[next] = prevLength + 1;
      next++;
    }
    prevStart = at;
    prevLength = len;
    if (next + 1 >= 1 << width && width < 12) width++;
  }
  return o === maxBytes ? out : out.subarray(0, o);
}

/** Copy `len` earlier output bytes from `from` to `to`, clipped at `max`; returns the new end. */
function copy(out: Uint8Array, from: number, len: number, to: number, max: number): number {
  const n = Math.min(len, max - to);
  if (n > 16) out.copyWithin(to, from, from + n);
  else for (let i = 0; i < n; i++) out[to + i] = out[from + i];
  return to + n;
}
