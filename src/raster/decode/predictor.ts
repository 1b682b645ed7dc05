/**
 * Undo the TIFF predictors, as libtiff's decoder does (tif_predict.c), row by row over
 * `rows` rows of `width` pixels of `spp` samples:
 * - 2, horizontal: each sample plus the same band's sample of the previous pixel, in the sample's
 *   integer width (wrapping; also for float data, whose bits are added as integers). Samples must
 *   already be in machine (little-endian) order.
 * - 3, floating point: a byte-wise horizontal sum, then the byte planes (most significant first)
 *   put back together into little-endian samples. Works on the raw, unswapped bytes.
 */

/** Predictor 2 in place on little-endian samples of `bps` bytes (`bytes` aligned to `bps`). */
export function undoHorizontal(bytes: Uint8Array, width: number, rows: number, spp: number, bps: 1 | 2 | 4 | 8): void {
  if (bps === 8) return undoHorizontal64(bytes, width, rows, spp);
  const count = width * rows * spp;
  const v = bps === 1 ? bytes : bps === 2 ? new Uint16Array(bytes.buffer, bytes.byteOffset, count) : new Uint32Array(bytes.buffer, bytes.byteOffset, count);
  const rowSamples = width * spp;
  for (let r = 0; r < rows; r++) {
    const end = (r + 1) * rowSamples;
    for (let i = r * rowSamples + spp; i < end; i++) v[i] += v[i - spp];
  }
}

/** 64-bit samples as two 32-bit words with a carry. */
function undoHorizontal64(bytes: Uint8Array, width: number, rows: number, spp: number): void {
  const v = new Uint32Array(bytes.buffer, bytes.byteOffset, width * rows * spp * 2);
  const rowWords = width * spp * 2;
  const stride = spp * 2;
  for (let r = 0; r < rows; r++) {
    const end = (r + 1) * rowWords;
    for (let i = r * rowWords + stride; i < end; i += 2) {
      const lo = v[i] + v[i - stride];
      v[i] = lo;
      v[i + 1] = v[i + 1] + v[i + 1 - stride] + (lo > 0xffffffff ? 1 : 0);
    }
  }
}

/** Predictor 3 in place: byte-wise accumulate, then un-shuffle the byte planes of each row. */
export function undoFloatingPoint(bytes: Uint8Array, width: number, rows: number, spp: number, bps: 1 | 2 | 4 | 8): void {
  const wc = width * spp;
  const rowBytes = wc * bps;
  const tmp = new Uint8Array(rowBytes);
  for (let r = 0; r < rows; r++) {
    const row = bytes.subarray(r * rowBytes, (r + 1) * rowBytes);
    for (let i = spp; i < rowBytes; i++) row[i] = (row[i] + row[i - spp]) & 0xff;
    tmp.set(row);
    for (let b = 0; b < bps; b++) {
      const plane = (bps - 1 - b) * wc;
      for (let s = 0; s < wc; s++) row[s * bps + b] = tmp[plane + s];
    }
  }
}
