/**
 * Overview levels of a COG, GDAL's COG driver rule: halve until the level fits in one tile.
 */

/** Size of one resolution level, pixels. */
export interface LevelSize {
  width: number;
  height: number;
}

/**
 * Overview sizes (level 1 first, level 0 excluded) for an image of `width` x `height` tiled
 * `tileWidth` x `tileHeight`: each level is the previous one halved, rounded up (so every overview pixel is
 * exactly a 2x2 block of the level above, the last row/column a partial block), until a level fits in one
 * tile. Empty when level 0 already fits in one tile.
 *
 * GDAL's COG driver (3.6) stops at the same level count in most cases but rounds sizes down
 * (`nTmpXSize /= 2`) and resamples with the resulting non-integer ratio; rounding up keeps the 2x2 kernel
 * exact and is what `gdaladdo` does.
 */
export function planOverviews(width: number, height: number, tileWidth: number, tileHeight: number): LevelSize[] {
  if (!(width >= 1 && height >= 1 && tileWidth >= 1 && tileHeight >= 1)) {
    throw new RangeError(`planOverviews: sizes must be >= 1 (got ${width}x${height}, tile ${tileWidth}x${tileHeight})`);
  }
  const levels: LevelSize[] = [];
  let w = width;
  let h = height;
  while (w > tileWidth || h > tileHeight) {
    w = Math.ceil(w / 2);
    h = Math.ceil(h / 2);
    levels.push({ width: w, height: h });
  }
  return levels;
}
