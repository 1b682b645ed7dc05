/**
 * PackBits (TIFF Compression 32773), each row encoded on its own as libtiff does:
 * a header byte n in 0..127 copies n+1 literal bytes, n in -127..-1 repeats the next byte 1-n times.
 * Runs start at 3 equal bytes, so the output never exceeds one header byte per 128 literal bytes.
 */

/** Compress bytes with PackBits, row by row (`rowBytes` bytes a row). */
export function packBitsEncode(src: Uint8Array, rowBytes: number): Uint8Array {
  const rows = Math.ceil(src.length / rowBytes);
  const out = new Uint8Array(src.length + rows * Math.ceil(rowBytes / 128) + 8);
  let op = 0;
  const runAt = (i: number, end: number): number => {
    let run = 1;
    while (i + run < end && run < 128 && src[i + run] === src[i]) run++;
    return run;
  };
  for (let row = 0; row < src.length; row += rowBytes) {
    const end = Math.min(row + rowBytes, src.length);
    let i = row;
    while (i < end) {
      const run = runAt(i, end);
      if (run >= 3) {
        out[op++] = (257 - run) & 0xff;
        out[op++] = src[i]!;
        i += run;
        continue;
      }
      // Literal: up to 128 bytes, stopping where a run of 3 begins.
      const start = i;
      i += run;
      while (i < end && i - start < 128) {
        if (i + 2 < end && src[i] === src[i + 1] && src[i] === src[i + 2]) break;
        i++;
      }
      i = Math.min(i, start + 128);
      out[op++] = i - start - 1;
      out.set(src.subarray(start, i), op);
      op += i - start;
    }
  }
  return out.slice(0, op);
}
