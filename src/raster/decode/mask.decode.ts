/**
 * GDAL internal mask tiles (PhotometricInterpretation 4, usually 1 bit per pixel packed most
 * significant bit first, each row starting on a byte) → one byte per pixel, 0 or 255.
 */
import { AppError } from '../../errors/app.error.js';
import type { RasterInfo, RasterLevel } from '../raster.types.js';
import { undoHorizontal } from './predictor.js';
import { decompressRaw } from './raw.decompress.js';
import { HostLittleEndian } from './pixel.array.js';

/** The mask level aligned with image level `level`, or a RangeError. */
export function maskLevel(info: RasterInfo, level: number): RasterLevel {
  const lvl = info.mask?.levels[level];
  if (!lvl) throw new RangeError(`${info.path}: no internal mask for level ${level}`);
  return lvl;
}

/** Decode one mask tile to tileWidth * tileHeight bytes of 0 (invalid) or 255 (valid); a null (sparse) tile is all 0. */
export async function decodeMaskTile(info: RasterInfo, level: number, tx: number, ty: number, bytes: Uint8Array | null): Promise<Uint8Array> {
  const lvl = maskLevel(info, level);
  const mask = info.mask!;
  if (tx < 0 || ty < 0 || tx >= lvl.tilesAcross || ty >= lvl.tilesDown) throw new RangeError(`${info.path}: mask tile ${tx},${ty} is outside the grid`);
  const { tileWidth: width, tileHeight: height } = lvl;
  const out = new Uint8Array(width * height);
  if (!bytes) return out;
  const rows = lvl.tiled ? height : Math.min(height, lvl.height - ty * height);
  const rowBytes = mask.bitsPerSample === 1 ? Math.ceil(width / 8) : width;
  const what = `${info.path} mask level ${level} tile ${tx},${ty}`;
  const raw = await decompressRaw(mask.compression, bytes, rowBytes * height, what);
  if (raw.length < rowBytes * rows) throw new AppError('invalid_tiff', `${what}: decodes to ${raw.length} bytes, expected ${rowBytes * rows}`);
  if (mask.bitsPerSample === 8) {
    if (mask.predictor === 2) undoHorizontal(raw, width, rows, 1, 1);
    for (let i = 0, n = width * rows; i < n; i++) out[i] = raw[i] === 0 ? 0 : 255;
    return out;
  }
  if (HostLittleEndian && (width & 7) === 0) {
    // Eight pixels a byte, as two words from a table; a byte of zeros leaves its pixels as they are (0).
    const words = new Int32Array(out.buffer, out.byteOffset, out.length >> 2);
    for (let r = 0; r < rows; r++) {
      const src = r * rowBytes;
      for (let k = 0, w = (r * width) >> 2; k < rowBytes; k++, w += 2) {
        const v = raw[src + k]!;
        if (v === 0) continue;
        words[w] = ByteWords[v * 2]!;
        words[w + 1] = ByteWords[v * 2 + 1]!;
      }
    }
    return out;
  }
  for (let r = 0; r < rows; r++) {
    const src = r * rowBytes;
    const dst = r * width;
    for (let c = 0; c < width; c++) out[dst + c] = (raw[src + (c >> 3)]! >> (7 - (c & 7))) & 1 ? 255 : 0;
  }
  return out;
}

/** For each packed byte, the two little-endian words of its eight pixels (the most significant bit first, 0 or 255 each). */
const ByteWords = (() => {
  const t = new Int32Array(512);
  for (let v = 0; v < 256; v++) for (let j = 0; j < 8; j++) if (v & (0x80 >> j)) t[v * 2 + (j >> 2)]! |= 0xff << ((j & 3) * 8);
  return t;
})();
