/** Sample-by-sample comparison of our pixels with GDAL's bytes (NaN equals NaN). */
import { pixelsFromBytes } from '../../../src/raster/decode/pixel.array.js';
import type { DataType, PixelArray } from '../../../src/raster/raster.types.js';

/** How far two sample arrays are apart. */
export interface SampleDiff {
  /** Samples that differ */
  mismatches: number;
  /** Largest absolute difference (Infinity when one is NaN and the other not) */
  maxDiff: number;
  /** Index of the first differing sample, -1 when equal */
  first: number;
}

/** Compare our samples with GDAL's little-endian bytes of the same data type. */
export function compareSamples(ours: PixelArray, gdal: Uint8Array, dataType: DataType): SampleDiff {
  const theirs = pixelsFromBytes(dataType, new Uint8Array(gdal), gdal.byteLength / (ours.BYTES_PER_ELEMENT || 1));
  if (theirs.length !== ours.length) return { mismatches: Math.max(ours.length, theirs.length), maxDiff: Infinity, first: 0 };
  let mismatches = 0;
  let maxDiff = 0;
  let first = -1;
  for (let i = 0; i < ours.length; i++) {
    const a = ours[i];
    const b = theirs[i];
    if (a === b || (Number.isNaN(a) && Number.isNaN(b))) continue;
    mismatches++;
    if (first < 0) first = i;
    const d = Number.isNaN(a) || Number.isNaN(b) ? Infinity : Math.abs(a - b);
    if (d > maxDiff) maxDiff = d;
  }
  return { mismatches, maxDiff, first };
}
