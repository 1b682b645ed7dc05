/**
 * TIFF predictors applied before lossless compression, exactly as libtiff's encoder does
 * (tif_predict.c: horDiff8/16/32/64 and fpDiff), one row at a time. Pure; returns new buffers.
 */

/**
 * Predictor 2: each sample minus the same band's sample of the previous pixel, in the sample's
 * integer width (wrapping), per row. `bytes` are little-endian samples, pixel-interleaved.
 */
export function horizontalDifference(bytes: Uint8Array, width: number, height: number, spp: number, bps: 1 | 2 | 4 | 8): Uint8Array {
  const out = new Uint8Array(bytes); // aligned copy
  const rowSamples = width * spp;
  if (bps === 8) {
    const v = new BigUint64Array(out.buffer);
    for (let r = 0; r < height; r++) {
      const base = r * rowSamples;
      for (let i = rowSamples - 1; i >= spp; i--) v[base + i] = BigInt.asUintN(64, v[base + i]! - v[base + i - spp]!);
    }
    return out;
  }
  const v = bps === 1 ? out : bps === 2 ? new Uint16Array(out.buffer) : new Uint32Array(out.buffer);
  for (let r = 0; r < height; r++) {
    const base = r * rowSamples;
    // Descending so each subtraction uses the original previous sample; typed arrays wrap on store.
    for (let i = base + rowSamples - 1; i >= base + spp; i--) v[i] = v[i]! - v[i - spp]!;
  }
  return out;
}

/**
 * Predictor 3 (floating point): per row, split each sample's bytes into planes (most significant byte
 * plane first), then difference consecutive bytes with a stride of `spp` bytes, as libtiff's fpDiff.
 */
export function floatingPointDifference(bytes: Uint8Array, width: number, height: number, spp: number, bps: 1 | 2 | 4 | 8): Uint8Array {
  const rowSamples = width * spp;
  const rowBytes = rowSamples * bps;
  const out = new Uint8Array(bytes.length);
  for (let r = 0; r < height; r++) {
    const base = r * rowBytes;
    // Byte `b` (little-endian, 0 = least significant) of sample `s` goes to plane bps-1-b.
    for (let b = 0; b < bps; b++) {
      const plane = base + (bps - 1 - b) * rowSamples;
      let src = base + b;
      for (let s = 0; s < rowSamples; s++, src += bps) out[plane + s] = bytes[src]!;
    }
    for (let i = base + rowBytes - 1; i >= base + spp; i--) out[i] = (out[i]! - out[i - spp]!) & 0xff;
  }
  return out;
}
