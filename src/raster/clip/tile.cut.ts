/** Copy tiles in and out of tile-row buffers (pixel-interleaved, whole tiles wide). */
import type { PixelArray } from '../raster.types.js';
import { allocPixels, pixelBytes } from '../decode/pixel.array.js';
import type { DataType } from '../raster.types.js';
import { nativeCodecs } from '../native/codecs.native.js';

/**
 * Copy `rows` rows of `rowLength` samples from src (from sample `srcStart`, `srcStride` samples apart) to dst
 * (from `dstStart`, `dstStride` apart); both of one data type. One addon call where it is built (a row in
 * JavaScript is a subarray and a set, which cost more than their bytes), else row by row.
 */
export function copyRows(dst: PixelArray, dstStart: number, dstStride: number, src: PixelArray, srcStart: number, srcStride: number, rowLength: number, rows: number): void {
  if (nativeCodecs) {
    const b = dst.BYTES_PER_ELEMENT;
    nativeCodecs.copyRows(pixelBytes(dst), dstStart * b, dstStride * b, pixelBytes(src), srcStart * b, srcStride * b, rowLength * b, rows);
  } else {
    copyRowsJs(dst, dstStart, dstStride, src, srcStart, srcStride, rowLength, rows);
  }
}

/** `copyRows` in JavaScript, row by row (without the addon; the addon's reference in tests). */
export function copyRowsJs(dst: PixelArray, dstStart: number, dstStride: number, src: PixelArray, srcStart: number, srcStride: number, rowLength: number, rows: number): void {
  for (let r = 0; r < rows; r++) {
    const from = srcStart + r * srcStride;
    dst.set(src.subarray(from, from + rowLength) as never, dstStart + r * dstStride);
  }
}

/** Put a tile's pixels (tileWidth x tileHeight x bands) into a row buffer at tile column `tx`. */
export function putTile(row: PixelArray, rowWidth: number, tile: PixelArray, tx: number, tileWidth: number, tileHeight: number, bands: number): void {
  copyRows(row, tx * tileWidth * bands, rowWidth * bands, tile, 0, tileWidth * bands, tileWidth * bands, tileHeight);
}

/** Put a tile's 0/255 validity into a row validity buffer. */
export function putMask(row: Uint8Array, rowWidth: number, tile: Uint8Array, tx: number, tileWidth: number, tileHeight: number): void {
  copyRows(row, tx * tileWidth, rowWidth, tile, 0, tileWidth, tileWidth, tileHeight);
}

/** Cut tile column `tx` out of a row buffer: into `into` (every sample written), else a new array. */
export function cutTile(row: PixelArray, rowWidth: number, tx: number, tileWidth: number, tileHeight: number, bands: number, dataType: DataType, into?: PixelArray): PixelArray {
  const out = into ?? allocPixels(dataType, tileWidth * tileHeight * bands);
  copyRows(out, 0, tileWidth * bands, row, tx * tileWidth * bands, rowWidth * bands, tileWidth * bands, tileHeight);
  return out;
}

/** Cut tile column `tx` out of a row validity buffer: into `into` (every byte written), else a new array. */
export function cutMask(row: Uint8Array, rowWidth: number, tx: number, tileWidth: number, tileHeight: number, into?: Uint8Array): Uint8Array {
  const out = into ?? new Uint8Array(tileWidth * tileHeight);
  copyRows(out, 0, tileWidth, row, tx * tileWidth, rowWidth, tileWidth, tileHeight);
  return out;
}

/** Invalidate pixels beyond a level's edge in a tile (column and row limits in pixels within the tile). */
export function clipToExtent(valid: Uint8Array, tileWidth: number, tileHeight: number, cols: number, rows: number): void {
  if (cols >= tileWidth && rows >= tileHeight) return;
  for (let r = 0; r < tileHeight; r++) {
    if (r >= rows) valid.fill(0, r * tileWidth, (r + 1) * tileWidth);
    else if (cols < tileWidth) valid.fill(0, r * tileWidth + cols, (r + 1) * tileWidth);
  }
}

/** Set every invalid pixel of a tile to `value` (0 outside the AOI, or the nodata value). */
export function fillInvalid(tile: PixelArray, valid: Uint8Array, bands: number, value: number): void {
  for (let i = 0; i < valid.length; i++) {
    if (valid[i] === 0) for (let b = 0; b < bands; b++) tile[i * bands + b] = value;
  }
}

/**
 * For lossy codecs: fill only the `block` x `block` cells (JPEG MCUs) with no valid pixel, so the codec
 * sees the real picture around the AOI's edge and does not ring into it. Neighbouring empty cells of a
 * block row are filled together (one `fill` a pixel row, or one for the whole block row when all of it
 * is empty): a boundary tile has hundreds of empty cells, and each `fill` call costs more than its bytes.
 */
export function fillInvalidBlocks(tile: PixelArray, valid: Uint8Array, width: number, height: number, bands: number, value: number, block = 16): void {
  // Validity read four bytes at a time where rows and blocks fall on 32-bit words.
  const words = width % 4 === 0 && block % 4 === 0 && valid.byteOffset % 4 === 0 ? new Uint32Array(valid.buffer, valid.byteOffset, valid.length >> 2) : null;
  const cellEmpty = (bx: number, by: number, xEnd: number, yEnd: number): boolean => {
    if (words) {
      for (let y = by; y < yEnd; y++) {
        for (let q = (y * width + bx) >> 2, qEnd = (y * width + xEnd + 3) >> 2; q < qEnd; q++) if (words[q] !== 0) return false;
      }
    } else {
      for (let y = by; y < yEnd; y++) {
        for (let x = bx; x < xEnd; x++) if (valid[y * width + x]) return false;
      }
    }
    return true;
  };
  for (let by = 0; by < height; by += block) {
    const yEnd = Math.min(height, by + block);
    for (let bx = 0; bx < width; ) {
      if (!cellEmpty(bx, by, Math.min(width, bx + block), yEnd)) {
        bx += block;
        continue;
      }
      // A run of empty cells from bx to runEnd.
      let runEnd = Math.min(width, bx + block);
      while (runEnd < width && cellEmpty(runEnd, by, Math.min(width, runEnd + block), yEnd)) runEnd = Math.min(width, runEnd + block);
      if (bx === 0 && runEnd === width) tile.fill(value as never, by * width * bands, yEnd * width * bands);
      else for (let y = by; y < yEnd; y++) tile.fill(value as never, (y * width + bx) * bands, (y * width + runEnd) * bands);
      bx = runEnd + block;
    }
  }
}
