/** The general per-pixel RGB formula shared by the fast paths' fallbacks. */

/** Result of `resamplePixel`: r, g, b (not yet rescaled). */
export const pixelRgb = new Float64Array(3);

/**
 * One RGB pixel by the general formula, for the edges and masked pixels of every RGB path: GDAL's
 * 2×2 bilinear (`four`) or its triangle kernel (radius ≤ 2); taps outside the window or invalid are
 * skipped and the weights renormalised. Writes r, g, b into `pixelRgb`.
 */
export function resamplePixel(src: ArrayLike<number>, valid: Uint8Array, width: number, height: number, lx: number, ly: number, four: boolean, rx: number, ry: number, irx: number, iry: number): void {
  const fx = lx - 0.5;
  const fy = ly - 0.5;
  let r = 0, g = 0, b = 0, wsum = 0;
  if (four) {
    const ix = ((fx + 1) | 0) - 1;
    const iy = ((fy + 1) | 0) - 1;
    const ax = fx - ix;
    const ay = fy - iy;
    for (let dy = 0; dy < 2; dy++) {
      const y = iy + dy;
      const wy = dy === 0 ? 1 - ay : ay;
      if (wy === 0 || y < 0 || y >= height) continue;
      for (let dx = 0; dx < 2; dx++) {
        const x = ix + dx;
        if (x < 0 || x >= width) continue;
        const qq = y * width + x;
        if (valid[qq] === 0) continue;
        const w = wy * (dx === 0 ? 1 - ax : ax);
        const p = qq * 3;
        r += w * src[p]!;
        g += w * src[p + 1]!;
        b += w * src[p + 2]!;
        wsum += w;
      }
    }
  } else {
    const i0 = Math.floor(fx - rx) + 1;
    const j0 = Math.floor(fy - ry) + 1;
    for (let j = j0; j < j0 + 4; j++) {
      const wj = 1 - Math.abs(j - fy) * iry;
      if (wj <= 0 || j < 0 || j >= height) continue;
      const row = j * width;
      for (let i = i0; i < i0 + 4; i++) {
        const wi = 1 - Math.abs(i - fx) * irx;
        if (wi <= 0 || i < 0 || i >= width) continue;
        const q = row + i;
        if (valid[q] === 0) continue;
        const w = wj * wi;
        const p = q * 3;
        r += w * src[p]!;
        g += w * src[p + 1]!;
        b += w * src[p + 2]!;
        wsum += w;
      }
    }
  }
  const inv = 1 / wsum;
  pixelRgb[0] = r * inv;
  pixelRgb[1] = g * inv;
  pixelRgb[2] = b * inv;
}
