/**
 * The libjpeg quality (1-100) a JPEG was written with, recovered from its luminance quantisation
 * table (in JPEGTables) by matching the IJG standard table scaled for each quality, as libjpeg's
 * `jpeg_set_quality` scales it. Unknown (custom tables) gives undefined.
 */

/** IJG standard luminance table, natural (row-major) order. */
const STD_LUMINANCE = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
  18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
];

/** Zigzag position → natural position. */
const ZIGZAG = [
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50,
  43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
];

/** The quality whose scaled standard table equals table 0 of the JPEG's DQT segments, if any. */
export function jpegQualityOf(jpeg: Uint8Array): number | undefined {
  const table = luminanceTable(jpeg);
  if (!table) return undefined;
  for (let q = 1; q <= 100; q++) {
    const scale = q < 50 ? Math.floor(5000 / q) : 200 - q * 2;
    let same = true;
    for (let k = 0; k < 64 && same; k++) {
      const v = Math.min(255, Math.max(1, Math.floor((STD_LUMINANCE[ZIGZAG[k]] * scale + 50) / 100)));
      same = v === table[k];
    }
    if (same) return q;
  }
  return undefined;
}

/** Quantisation table 0 in zigzag order, from the first DQT segment that defines it. */
function luminanceTable(b: Uint8Array): number[] | undefined {
  let i = 2;
  while (i + 4 <= b.length && b[i] === 0xff) {
    const marker = b[i + 1];
    const len = (b[i + 2] << 8) | b[i + 3];
    if (marker === 0xdb) {
      let p = i + 4;
      while (p < i + 2 + len) {
        const precision = b[p] >> 4;
        const id = b[p] & 15;
        const size = precision ? 128 : 64;
        if (id === 0) return Array.from({ length: 64 }, (_, k) => (precision ? (b[p + 1 + 2 * k] << 8) | b[p + 2 + 2 * k] : b[p + 1 + k]));
        p += 1 + size;
      }
    }
    if (marker === 0xda || marker === 0xd9) break;
    i += 2 + len;
  }
  return undefined;
}
